import type { Finding } from '../../../contracts/moderation';
import type { Phase } from '../../pipeline-types';
import { findEmails, findLinks, findPhones, findRepeatedRuns, measureCapitals } from '../text-signals';

const SHOUTING_MIN_LETTERS = 20;
const SHOUTING_UPPER_SHARE = 0.7;
const REPEATED_RUN_LENGTH = 10;

function isTrusted(host: string, trustedDomains: readonly string[]): boolean {
  return trustedDomains.some((domain) => {
    const trusted = domain.toLowerCase().replace(/^www\./, '');
    return host === trusted || host.endsWith(`.${trusted}`);
  });
}

/** Spam signals hold a comment for a moderator: each signal is its own finding. */
export const spamPhase: Phase = ({ text, site }) => {
  const findings: Finding[] = [];
  for (const link of findLinks(text)) {
    if (isTrusted(link.host, site.settings.trustedDomains)) continue;
    findings.push({
      rule: 'spam.link',
      category: 'spam',
      detail: `Link to an untrusted domain (${link.host}).`,
      span: link.span,
      action: 'hold',
    });
  }
  const { letters, upper } = measureCapitals(text);
  if (letters >= SHOUTING_MIN_LETTERS && upper / letters > SHOUTING_UPPER_SHARE) {
    const share = Math.round((upper / letters) * 100);
    findings.push({
      rule: 'spam.shouting',
      category: 'spam',
      detail: `Mostly capitals (${share}% of ${letters} letters).`,
      span: [0, text.length],
      action: 'hold',
    });
  }
  for (const run of findRepeatedRuns(text, REPEATED_RUN_LENGTH)) {
    findings.push({
      rule: 'spam.repeated-chars',
      category: 'spam',
      detail: `A character repeated ${[...run.value].length} times.`,
      span: run.span,
      action: 'hold',
    });
  }
  for (const email of findEmails(text)) {
    findings.push({
      rule: 'spam.contact',
      category: 'spam',
      detail: 'An e-mail address.',
      span: email.span,
      action: 'hold',
    });
  }
  for (const phone of findPhones(text)) {
    findings.push({
      rule: 'spam.contact',
      category: 'spam',
      detail: 'A phone number.',
      span: phone.span,
      action: 'hold',
    });
  }
  return findings.length > 0 ? { action: 'hold', findings } : undefined;
};

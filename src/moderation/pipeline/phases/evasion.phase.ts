import type { Finding } from '../../../contracts/moderation';
import type { Phase } from '../../pipeline-types';
import { readText, SCRIPT_NAMES } from '../../text';
import { actionFor } from '../category-action';

/** A moderator reads a handful; a flood of them is one hostile comment. */
const MAX_FINDINGS = 20;

/**
 * A word that mixes scripts (`nаzi` with a Cyrillic а, `Fսck` with an Armenian
 * ս) is written to slip past filters: an `evasion` finding in itself, whatever
 * the word is. The word filter reads it folded towards its main script.
 */
export const evasionPhase: Phase = ({ text, site }) => {
  const reading = readText(text);
  if (!reading.hasNonAscii) return undefined;
  const action = actionFor(site.settings, 'evasion', false);
  if (action === undefined) return undefined;
  const findings: Finding[] = [];
  for (const word of reading.words) {
    if (word.foreign.length === 0) continue;
    const others = word.scripts
      .filter((script) => script !== word.script)
      .map((script) => SCRIPT_NAMES[script]);
    const letters = word.foreign.slice(0, 3).map((offset) => text.slice(offset, offset + 1));
    findings.push({
      rule: 'evasion.mixed-script',
      category: 'evasion',
      detail: `"${text.slice(word.start, word.end)}" mixes ${SCRIPT_NAMES[word.script]} with ${others.join(' and ')} letters (${letters.join(', ')}), a way to slip past word lists.`,
      span: [word.start, word.end],
      action,
    });
    if (findings.length >= MAX_FINDINGS) break;
  }
  return findings.length > 0 ? { action, findings } : undefined;
};

import type { Finding } from '../../../contracts/moderation';
import type { Phase } from '../../pipeline-types';

/**
 * Site and post policy: pre-moderation of everyone or of new authors, and the
 * post's heat. Verified (SSO) authors get no exemption: heat is about the
 * thread, and a site that trusts its subscribers can lower the threshold.
 */
export const policyPhase: Phase = ({ site, post, author }) => {
  const { settings } = site;
  const premoderation = post.premoderation ?? settings.premoderation;
  const isNewAuthor = author.approvedCount < settings.newAuthorThreshold;
  const findings: Finding[] = [];
  if (premoderation === 'all') {
    findings.push({
      rule: 'policy.premoderation',
      category: 'policy',
      detail: 'Every comment here is pre-moderated.',
      action: 'hold',
    });
  }
  if (premoderation === 'new-authors' && isNewAuthor) {
    findings.push({
      rule: 'policy.new-author',
      category: 'policy',
      detail: `New authors (fewer than ${settings.newAuthorThreshold} approved comments) are pre-moderated here.`,
      action: 'hold',
    });
  }
  if (post.heat === 'lockdown') {
    findings.push({
      rule: 'policy.lockdown',
      category: 'policy',
      detail: 'The post is in lockdown: every comment is held.',
      action: 'hold',
    });
  }
  if (post.heat === 'heated' && isNewAuthor) {
    findings.push({
      rule: 'policy.heated',
      category: 'policy',
      detail: 'The post is heated: comments by new authors are held.',
      action: 'hold',
    });
  }
  return findings.length > 0 ? { action: 'hold', findings } : undefined;
};

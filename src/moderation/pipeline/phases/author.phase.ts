import type { Phase } from '../../pipeline-types';

/** Banned and currently suspended authors are refused; premoderated authors are held. */
export const authorPhase: Phase = ({ author, now }) => {
  if (author.standing === 'banned') {
    const message = 'This account is banned from commenting on this site.';
    return {
      action: 'reject',
      findings: [{ rule: 'author.banned', category: 'policy', detail: message, action: 'reject' }],
      refusal: { code: 'AUTHOR_BANNED', message },
    };
  }
  const until = author.suspendedUntil;
  if (author.standing === 'suspended' && until === undefined) {
    // A suspension without an end date lasts until a moderator lifts it.
    const message = 'This account is suspended until a moderator lifts the suspension.';
    return {
      action: 'reject',
      findings: [{ rule: 'author.suspended', category: 'policy', detail: message, action: 'reject' }],
      refusal: { code: 'AUTHOR_SUSPENDED', message },
    };
  }
  if (author.standing === 'suspended' && until !== undefined && until.getTime() > now.getTime()) {
    const message = `This account is suspended until ${until.toISOString()}.`;
    return {
      action: 'reject',
      findings: [{ rule: 'author.suspended', category: 'policy', detail: message, action: 'reject' }],
      refusal: { code: 'AUTHOR_SUSPENDED', message, context: { until: until.toISOString() } },
    };
  }
  if (author.standing === 'premoderated') {
    return {
      action: 'hold',
      findings: [
        {
          rule: 'author.premoderated',
          category: 'policy',
          detail: 'The author is on pre-moderation.',
          action: 'hold',
        },
      ],
    };
  }
  return undefined;
};

import type { AuthorNoticeDto, AuthorReasonCode } from '../contracts/comments';
import type { Finding, VerdictAction } from '../contracts/moderation';
import type { CommentRecord } from './comment.types';

/**
 * Sentences for a comment's own author about why it was held or refused:
 * phrased from the findings' category or rule family, never the finding's
 * `detail` (a moderator's text, naming the matched words and lists).
 */
const BY_CATEGORY: Record<string, string> = {
  profanity: "it contains language this site doesn't allow",
  slur: "it contains language this site doesn't allow",
  insult: 'it reads as a personal attack',
  dehumanising: 'it describes people in a dehumanising way',
  violence: 'it reads as a call to violence',
  threat: 'it reads as a threat',
  'self-harm': 'it mentions self-harm, so a person reads it first',
  spam: 'it looks like spam',
  promotion: 'it looks like advertising',
  evasion: 'it disguises words this site checks',
  brigading: 'many similar comments arrived at once',
  history: 'comments from this account are reviewed first',
  external: 'an automatic check flagged it',
};

const BY_RULE: [RegExp, string][] = [
  [/^words\.banned/, "it contains language this site doesn't allow"],
  [/^words\.suspect/, 'it contains words a moderator checks first'],
  [/^spam\.link/, 'it contains a link to an unknown site'],
  [/^spam\.shouting/, 'it is written mostly in capital letters'],
  [/^spam\.repeated/, 'it has long runs of the same character'],
  [/^spam\.contact/, 'it contains contact details (a phone number or an e-mail address)'],
  [/^spam\./, 'it looks like spam'],
  [/^flood\.repeat/, 'it repeats a comment you already posted'],
  [/^flood\./, 'comments are arriving quickly here'],
  [/^author\.premoderated/, 'your comments are reviewed before they appear'],
  [/^policy\.premoderation/, 'this site reviews comments before they appear'],
  [/^policy\.lockdown/, 'this discussion is locked down: every comment is reviewed first'],
  [/^policy\.(heated|new-author)/, 'this discussion is heated: comments from new voices are reviewed first'],
  [/^(hostility|threat)/, 'it reads as hostile'],
  [/^brigading/, 'many similar comments arrived at once'],
  [/^history/, 'comments from this account are reviewed first'],
  [/^external|^perspective/, 'an automatic check flagged it'],
];

const FALLBACK: Record<Exclude<VerdictAction, 'publish'>, string> = {
  hold: 'a moderator looks at some comments before they appear',
  reject: "it breaks this site's rules",
};

/** Reject reason codes as the author reads them ("removed by a moderator: …"). */
const MODERATOR_REASONS: Record<string, string> = {
  spam: 'spam',
  abuse: 'abusive',
  hate: 'hateful',
  'off-topic': 'off-topic',
  misinformation: 'misinformation',
  'personal-info': 'shares personal information',
  other: "it breaks the site's rules",
};

/** A reason as a stable code (what clients phrase in their reader's language) and its English sentence. */
interface Reason {
  code: string;
  text: string;
}

/** Stable codes of the rule sentences, in `BY_RULE`'s order. */
const RULE_CODES = [
  'words.banned',
  'words.suspect',
  'spam.link',
  'spam.shouting',
  'spam.repeated',
  'spam.contact',
  'spam',
  'flood.repeat',
  'flood',
  'author.premoderated',
  'policy.premoderation',
  'policy.lockdown',
  'policy.heated',
  'hostile',
  'category.brigading',
  'category.history',
  'category.external',
] as const satisfies readonly AuthorReasonCode[];

function phrase(finding: Finding & { category?: string }): Reason | undefined {
  // A rule's own sentence is the more precise one; every finding has a category to fall back on.
  const index = BY_RULE.findIndex(([pattern]) => pattern.test(finding.rule));
  const byRule = BY_RULE[index];
  if (byRule !== undefined) return { code: RULE_CODES[index] ?? 'rule', text: byRule[1] };
  const text = finding.category !== undefined ? BY_CATEGORY[finding.category] : undefined;
  return text !== undefined ? { code: `category.${finding.category ?? ''}`, text } : undefined;
}

/** The reasons behind a hold or reject, for its author, with their codes: the decisive findings first, no repeats. */
export function readerReasonsWithCodes(action: VerdictAction, findings: readonly Finding[]): Reason[] {
  if (action === 'publish') return [];
  const decisive = findings.filter((finding) => finding.action === undefined || finding.action === action);
  const reasons: Reason[] = [];
  for (const reason of decisive.map(phrase)) {
    if (reason !== undefined && !reasons.some((other) => other.text === reason.text)) reasons.push(reason);
  }
  return reasons.length > 0 ? reasons.slice(0, 3) : [{ code: `fallback.${action}`, text: FALLBACK[action] }];
}

/** The reasons behind a hold or reject, for its author: the decisive findings first, no repeats. */
export function readerReasons(action: VerdictAction, findings: readonly Finding[]): string[] {
  return readerReasonsWithCodes(action, findings).map((reason) => reason.text);
}

/** How a moderator's reject reason code reads to the author. */
export function moderatorReason(code: string | undefined): string {
  return (code !== undefined ? MODERATOR_REASONS[code] : undefined) ?? MODERATOR_REASONS['other'] ?? '';
}

function moderatorReasonWithCode(code: string | undefined): Reason {
  const known = code !== undefined && MODERATOR_REASONS[code] !== undefined ? code : 'other';
  return { code: `moderator.${known}`, text: moderatorReason(code) };
}

/** A notice from reasons: the English sentences, and the codes clients phrase in their reader's language. */
function noticeOf(kind: AuthorNoticeDto['kind'], reasons: readonly Reason[]): AuthorNoticeDto {
  return { kind, reasons: reasons.map((reason) => reason.text), reasonCodes: reasons.map((reason) => reason.code) };
}

/** What the author of a held or refused comment is told about it; undefined for published and deleted comments. */
export function authorNoticeOf(comment: Pick<CommentRecord, 'status' | 'verdict' | 'statusChangedBy'>): AuthorNoticeDto | undefined {
  const by = comment.statusChangedBy;
  if (comment.status === 'rejected' && by?.kind === 'moderator') return noticeOf('removed', [moderatorReasonWithCode(by.reason)]);
  if (comment.status === 'pending' && by?.kind === 'moderator') {
    return noticeOf('held', [{ code: 'moderator.rechecking', text: 'a moderator is looking at it again' }]);
  }
  if (comment.status === 'pending') return noticeOf('held', readerReasonsWithCodes('hold', comment.verdict?.findings ?? []));
  if (comment.status === 'rejected') return noticeOf('rejected', readerReasonsWithCodes('reject', comment.verdict?.findings ?? []));
  return undefined;
}

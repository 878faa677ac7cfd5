import type { WidgetMessageKey } from './i18n';

/** Reason codes of author notices (`AuthorNoticeDto.reasonCodes`) the catalogues phrase. */
const REASON_CODES = [
  'category.profanity',
  'category.slur',
  'category.insult',
  'category.dehumanising',
  'category.violence',
  'category.threat',
  'category.self-harm',
  'category.spam',
  'category.promotion',
  'category.evasion',
  'category.brigading',
  'category.history',
  'category.external',
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
  'fallback.hold',
  'fallback.reject',
  'moderator.spam',
  'moderator.abuse',
  'moderator.hate',
  'moderator.off-topic',
  'moderator.misinformation',
  'moderator.personal-info',
  'moderator.other',
  'moderator.rechecking',
] as const;

type ReasonCode = (typeof REASON_CODES)[number];

function isReasonCode(code: string): code is ReasonCode {
  return (REASON_CODES as readonly string[]).includes(code);
}

/**
 * The service's reasons for the author, as one clause in the reader's language:
 * each code the catalogues know is phrased from them, any other reason keeps
 * the service's English sentence.
 */
export function phraseReasons(
  t: (key: WidgetMessageKey) => string,
  reasons: readonly string[],
  codes: readonly string[] | undefined,
): string {
  return reasons
    .map((text, index) => {
      const code = codes?.[index];
      return code !== undefined && isReasonCode(code) ? t(`reason.${code}`) : text;
    })
    .join('; ');
}

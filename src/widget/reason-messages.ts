import { AUTHOR_REASON_CODES, type AuthorReasonCode } from '../contracts/comments';
import type { WidgetMessageKey } from './i18n';

function isReasonCode(code: string): code is AuthorReasonCode {
  return (AUTHOR_REASON_CODES as readonly string[]).includes(code);
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

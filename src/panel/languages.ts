/**
 * Languages the service's detector names, as the queue's language filter offers
 * them: the site's own three first, then the others it recognises
 * (`tests/i18n/panel-queue-languages.test.ts` keeps this list within what the server accepts).
 */
export const QUEUE_LANGUAGES: readonly string[] = ['en', 'ru', 'uk', 'be', 'de', 'es', 'fr', 'it', 'kk', 'mk', 'pl', 'sr'];

/** A language's own name ("Русский", "Українська"): how readers of it look for it in a list. */
export function languageName(code: string, panelLanguage: string): string {
  try {
    const own = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    if (own && own !== code) return own.charAt(0).toLocaleUpperCase(code) + own.slice(1);
  } catch {
    // An engine without the language's data: the name in the panel's language below.
  }
  try {
    return new Intl.DisplayNames([panelLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

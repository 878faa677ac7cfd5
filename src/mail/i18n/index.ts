import { createTranslator, pickLanguage, type Translator } from '../../i18n';
import { en, type MailMessageKey } from './en';
import { ru } from './ru';
import { uk } from './uk';

export type { MailMessageKey } from './en';
export const MAIL_LANGUAGES = ['en', 'ru', 'uk'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

const CATALOGUES = { en, ru, uk } as const;

/** The supported language among `candidates` (BCP 47 tags, best first), else English. */
export function pickMailLanguage(candidates: readonly (string | null | undefined)[]): MailLanguage {
  return pickLanguage(MAIL_LANGUAGES, candidates) ?? 'en';
}

export function mailTranslator(lang: MailLanguage): Translator<MailMessageKey> {
  return createTranslator(lang, CATALOGUES[lang]);
}

export { CATALOGUES as MAIL_CATALOGUES };

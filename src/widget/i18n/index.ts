/**
 * The widget's languages. Adding one is one file (a copy of `en.ts` in the new
 * language: its `…Loader` and widget catalogues) plus its line in `CATALOGUES`
 * here and in `loader.ts`.
 */
import { createTranslator, pickLanguage, type Catalogue, type Translator } from '../../i18n';
import { en, enLoader, type WidgetMessageKey } from './en';
import { ru, ruLoader } from './ru';
import { uk, ukLoader } from './uk';

export { type WidgetMessageKey } from './en';

/** Each language's whole widget catalogue: the loader's strings and the widget's. */
export const WIDGET_CATALOGUES: Readonly<Record<string, Catalogue<WidgetMessageKey>>> = {
  en: { ...enLoader, ...en },
  ru: { ...ruLoader, ...ru },
  uk: { ...ukLoader, ...uk },
};
export const WIDGET_LANGUAGES = Object.keys(WIDGET_CATALOGUES);

export type WidgetTranslator = Translator<WidgetMessageKey>;

/** The catalogue for the first supported candidate (`data-lang`, the page's `lang`, the browser's), else English. */
export function createWidgetTranslator(candidates: readonly (string | null | undefined)[]): WidgetTranslator {
  const lang = pickLanguage(WIDGET_LANGUAGES, candidates) ?? 'en';
  const catalogue = WIDGET_CATALOGUES[lang] ?? WIDGET_CATALOGUES['en'];
  // The map is a literal with an `en` entry; the fallback only satisfies the index type.
  return createTranslator(lang, catalogue ?? { ...enLoader, ...en });
}

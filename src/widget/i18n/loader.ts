/**
 * The loader's own strings (the count badge, "Loading comments…"): imported by
 * `/embed.js` without the widget's full catalogues, so the loader stays within 4 kB.
 */
import { createTranslator, pickLanguage, type Translator } from '../../i18n';
import { enLoader, type LoaderCatalogue, type LoaderMessageKey } from './en';
import { ruLoader } from './ru';
import { ukLoader } from './uk';

const LOADER_CATALOGUES: Readonly<Record<string, LoaderCatalogue>> = { en: enLoader, ru: ruLoader, uk: ukLoader };

export type LoaderTranslator = Translator<LoaderMessageKey>;

export function createLoaderTranslator(candidates: readonly (string | null | undefined)[]): LoaderTranslator {
  const lang = pickLanguage(Object.keys(LOADER_CATALOGUES), candidates) ?? 'en';
  return createTranslator(lang, LOADER_CATALOGUES[lang] ?? enLoader);
}

/** The language candidates of an element: its `data-lang`, the nearest `lang` (usually `<html lang>`), the browser's. */
export function languageCandidatesOf(element: Element): (string | undefined)[] {
  const own = element instanceof HTMLElement ? element.dataset['lang'] : undefined;
  const inherited = element.closest('[lang]')?.getAttribute('lang') ?? undefined;
  return [own, inherited, ...navigator.languages, navigator.language];
}

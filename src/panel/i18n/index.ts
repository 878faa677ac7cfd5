/**
 * The panel's language: `?lang=` in the panel's URL, else the one chosen in the
 * panel (kept in localStorage), else the browser's; English when none is shipped.
 * Adding a language is one file (a copy of `en.ts`) plus its line in `catalogues.ts`.
 * Chosen once per page load, so one module-level translator serves every component.
 */
import { createTranslator, pickLanguage, type MessageParams, type Translator } from '../../i18n';
import { PANEL_CATALOGUES } from './catalogues';
import { en, type PanelMessageKey } from './en';

export { type PanelMessageKey } from './en';
export { PANEL_CATALOGUES } from './catalogues';
export const PANEL_LANGUAGES = Object.keys(PANEL_CATALOGUES);
const STORAGE_KEY = 'parley:panel-lang';

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function languageCandidates(): (string | null | undefined)[] {
  if (typeof window === 'undefined') return [];
  return [new URLSearchParams(window.location.search).get('lang'), storedLanguage(), ...navigator.languages, navigator.language];
}

const lang = pickLanguage(PANEL_LANGUAGES, languageCandidates()) ?? 'en';
export const panelTranslator: Translator<PanelMessageKey> = createTranslator(lang, PANEL_CATALOGUES[lang] ?? en);

/** The panel's message for `key` in its language. */
export const t = (key: PanelMessageKey, params?: MessageParams): string => panelTranslator.t(key, params);

/** Keeps the moderator's choice and reloads, so every string is said in it. */
export function choosePanelLanguage(next: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Without storage the choice lasts through `?lang=` only.
  }
  const url = new URL(window.location.href);
  url.searchParams.set('lang', next);
  window.location.replace(url.href);
}

import { en, type PanelCatalogue } from './en';
import { ru } from './ru';
import { uk } from './uk';

/** Every panel language; adding one is one file (a copy of `en.ts`) plus its line here. */
export const PANEL_CATALOGUES: Readonly<Record<string, PanelCatalogue>> = { en, ru, uk };

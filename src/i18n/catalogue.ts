/**
 * Message catalogues for the browser code (widget, loader, panel). Imports nothing,
 * like `contracts/`: the widget and the panel bundle it; the server never needs it.
 *
 * A catalogue maps a key to a message. A message is a string with `{name}`
 * placeholders, or plural forms chosen through `Intl.PluralRules` by the `count`
 * parameter ("1 комментарий, 2 комментария, 5 комментариев"). Numbers placed into
 * messages are formatted through `Intl.NumberFormat` for the catalogue's language.
 */

/** The CLDR plural categories a language may use; `other` is always required. */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
export type PluralMessage = Readonly<Partial<Record<PluralCategory, string>> & { other: string }>;
export type Message = string | PluralMessage;
export type Catalogue<Key extends string> = Readonly<Record<Key, Message>>;
export type MessageParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** Turns one catalogue into strings for one language. */
export interface Translator<Key extends string> {
  /** The BCP 47 language of the catalogue in use (`en`, `ru`, `uk`). */
  readonly lang: string;
  /** The message for `key`, with `{placeholders}` filled; plural messages need `count`. */
  t: (key: Key, params?: MessageParams) => string;
  /** "1,204" / "1 204": a number in the language's own digits grouping. */
  formatNumber: (value: number) => string;
  /** A date and time in the language's own order and month names. */
  formatDate: (date: Date, options: Intl.DateTimeFormatOptions) => string;
  /** "2 minutes ago", "2 минуты назад", "вчора" (Intl.RelativeTimeFormat, numeric: auto). */
  formatRelative: (value: number, unit: Intl.RelativeTimeFormatUnit) => string;
}

export function createTranslator<Key extends string>(lang: string, catalogue: Catalogue<Key>): Translator<Key> {
  const plurals = new Intl.PluralRules(lang);
  const numbers = new Intl.NumberFormat(lang);
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const fill = (template: string, params: MessageParams | undefined): string =>
    params === undefined
      ? template
      : template.replace(PLACEHOLDER, (whole, name: string) => {
          const value = params[name];
          if (value === undefined) return whole;
          return typeof value === 'number' ? numbers.format(value) : value;
        });
  return {
    lang,
    t: (key, params) => {
      const message = catalogue[key];
      if (typeof message === 'string') return fill(message, params);
      const count = params?.['count'];
      const category = typeof count === 'number' ? plurals.select(count) : 'other';
      return fill(message[category] ?? message.other, params);
    },
    formatNumber: (value) => numbers.format(value),
    formatDate: (date, options) => date.toLocaleString(lang, options),
    formatRelative: (value, unit) => relative.format(value, unit),
  };
}

/**
 * The first supported language among the candidates, in order: `ru-RU` matches `ru`.
 * Candidates that are empty or unsupported are passed over.
 */
export function pickLanguage<Lang extends string>(
  supported: readonly Lang[],
  candidates: readonly (string | null | undefined)[],
): Lang | undefined {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    const match = supported.find((lang) => lang === primary);
    if (match) return match;
  }
  return undefined;
}

/** The placeholder names a message uses, for the catalogue completeness test. */
export function placeholdersOf(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message).filter((text): text is string => text !== undefined);
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(PLACEHOLDER)) if (match[1]) names.add(match[1]);
  return [...names].sort();
}

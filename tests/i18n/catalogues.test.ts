import { createTranslator, placeholdersOf, type Catalogue, type Message } from '../../src/i18n';
import { PANEL_CATALOGUES } from '../../src/panel/i18n/catalogues';
import { WIDGET_CATALOGUES } from '../../src/widget/i18n';
import { MAIL_CATALOGUES } from '../../src/mail/i18n';

/**
 * Every catalogue of a surface must say everything the English one says: the same
 * keys, every plural form its language uses (CLDR, through Intl.PluralRules), and
 * the same placeholders. A language missing a string fails here, not in a reader's face.
 */
const SURFACES: { name: string; catalogues: Readonly<Record<string, Catalogue<string>>> }[] = [
  { name: 'widget', catalogues: WIDGET_CATALOGUES },
  { name: 'panel', catalogues: PANEL_CATALOGUES },
  { name: 'mail', catalogues: MAIL_CATALOGUES },
];

const isPlural = (message: Message): boolean => typeof message !== 'string';

describe.each(SURFACES)('the $name catalogues', ({ catalogues }) => {
  const reference = catalogues['en'];
  if (!reference) throw new Error('English is the reference catalogue');
  const others = Object.entries(catalogues).filter(([lang]) => lang !== 'en');

  it('when listed, then English, Russian and Ukrainian are all shipped', () => {
    expect(Object.keys(catalogues).sort()).toEqual(expect.arrayContaining(['en', 'ru', 'uk']));
  });

  it.each(others)('when %s is compared with English, then it has exactly the same keys', (_lang, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(reference).sort());
  });

  it.each(Object.entries(catalogues))('when %s has a plural message, then it has every plural form of its language', (lang, catalogue) => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    const missing: string[] = [];
    for (const [key, message] of Object.entries(catalogue)) {
      if (isPlural(reference[key] ?? '') !== isPlural(message)) missing.push(`${key}: plural in one language, not in the other`);
      if (typeof message === 'string') continue;
      for (const category of categories) if (message[category] === undefined) missing.push(`${key}.${category}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(others)('when %s fills a message, then it uses the same placeholders as English', (_lang, catalogue) => {
    const mismatched = Object.entries(catalogue)
      .filter(([key, message]) => {
        const english = reference[key];
        return english !== undefined && placeholdersOf(english).join() !== placeholdersOf(message).join();
      })
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it.each(Object.entries(catalogues))('when %s is read, then no message is empty', (_lang, catalogue) => {
    const empty = Object.entries(catalogue)
      .filter(([, message]) => (typeof message === 'string' ? [message] : Object.values(message)).some((text) => text?.trim() === ''))
      .map(([key]) => key);
    expect(empty).toEqual([]);
  });
});

describe('comment counts in each language', () => {
  const count = (lang: string, value: number): string => {
    const catalogue = WIDGET_CATALOGUES[lang];
    if (!catalogue) throw new Error(`no ${lang} catalogue`);
    return createTranslator(lang, catalogue).t('count.comments', { count: value });
  };

  it('when counted in Russian, then 1 комментарий, 2 комментария, 5 комментариев, 21 комментарий', () => {
    expect([1, 2, 5, 11, 21, 22, 25].map((value) => count('ru', value))).toEqual([
      '1 комментарий',
      '2 комментария',
      '5 комментариев',
      '11 комментариев',
      '21 комментарий',
      '22 комментария',
      '25 комментариев',
    ]);
  });

  it('when counted in Ukrainian, then 1 коментар, 2 коментарі, 5 коментарів', () => {
    expect([1, 3, 5, 21].map((value) => count('uk', value))).toEqual(['1 коментар', '3 коментарі', '5 коментарів', '21 коментар']);
  });

  it('when counted in English, then 1 Comment, 0 and 1,204 Comments', () => {
    expect([0, 1, 1204].map((value) => count('en', value))).toEqual(['0 Comments', '1 Comment', '1,204 Comments']);
  });
});

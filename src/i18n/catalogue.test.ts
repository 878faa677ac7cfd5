import { createTranslator, pickLanguage, placeholdersOf } from './catalogue';

describe('pickLanguage', () => {
  const supported = ['en', 'ru', 'uk'] as const;

  it('when the first candidate is a regional tag of a supported language, then that language is picked', () => {
    expect(pickLanguage(supported, ['ru-RU', 'en'])).toBe('ru');
    expect(pickLanguage(supported, ['UK_ua'])).toBe('uk');
  });

  it('when candidates are empty or unsupported, then the next supported one wins', () => {
    expect(pickLanguage(supported, [undefined, '', 'de', 'uk-UA'])).toBe('uk');
  });

  it('when nothing is supported, then nothing is picked', () => {
    expect(pickLanguage(supported, ['de', 'fr-FR', null])).toBeUndefined();
  });
});

describe('createTranslator', () => {
  const translator = createTranslator('ru', {
    greeting: 'Привет, {name}!',
    replies: { one: '{count} ответ', few: '{count} ответа', many: '{count} ответов', other: '{count} ответа' },
  });

  it('when a message has placeholders, then they are filled and numbers formatted for the language', () => {
    expect(translator.t('greeting', { name: 'Оксана' })).toBe('Привет, Оксана!');
    expect(translator.t('replies', { count: 12345 })).toBe(`${new Intl.NumberFormat('ru').format(12345)} ответов`);
  });

  it('when a plural message is counted, then the form comes from Intl.PluralRules', () => {
    expect([1, 3, 7, 1.5].map((count) => translator.t('replies', { count }))).toEqual(['1 ответ', '3 ответа', '7 ответов', '1,5 ответа']);
  });

  it('when a relative time is asked for, then Intl words it in the language', () => {
    expect(translator.formatRelative(-1, 'day')).toBe('вчера');
    expect(translator.formatRelative(-2, 'minute')).toBe('2 минуты назад');
  });

  it('when placeholders are listed, then every form of a plural message counts', () => {
    expect(placeholdersOf({ one: '{count} of {name}', other: '{count} {what}' })).toEqual(['count', 'name', 'what']);
  });
});

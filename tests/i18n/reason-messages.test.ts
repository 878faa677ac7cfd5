import { createWidgetTranslator } from '../../src/widget/i18n';
import { phraseReasons } from '../../src/widget/reason-messages';

describe('reasons phrased in the reader language', () => {
  const reasons = ['it reads as a personal attack', 'it contains a link to an unknown site'];
  const codes = ['category.insult', 'spam.link'];

  it.each([
    ['ru', 'он читается как личное оскорбление; в нём есть ссылка на незнакомый сайт'],
    ['uk', 'він читається як особиста образа; у ньому є посилання на незнайомий сайт'],
    ['en', 'it reads as a personal attack; it contains a link to an unknown site'],
  ])('when a %s reader is told why a comment was held, then the reasons come from that catalogue', (language, expected) => {
    const translator = createWidgetTranslator([language]);
    const t = (key: Parameters<typeof translator.t>[0]): string => translator.t(key);
    expect(phraseReasons(t, reasons, codes)).toBe(expected);
  });

  it('when a reason code is unknown to the widget, then its English sentence is kept', () => {
    const translator = createWidgetTranslator(['ru']);
    const t = (key: Parameters<typeof translator.t>[0]): string => translator.t(key);
    expect(phraseReasons(t, ['a brand-new reason'], ['rule.unknown'])).toBe('a brand-new reason');
    expect(phraseReasons(t, ['no codes sent'], undefined)).toBe('no codes sent');
  });
});

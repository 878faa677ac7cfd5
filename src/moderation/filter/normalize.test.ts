import { normalizeForMatching, toSlots } from './normalize';

const view = (text: string): string => normalizeForMatching(text).chars;

describe('normalizeForMatching', () => {
  it('when a word is Cyrillic or Greek, then it is never read as Latin (folding towards a word\'s script comes first)', () => {
    expect(view('шаг')).toBe(' ');
    expect(view('ѕһіт')).toBe(' ');
  });

  it('when text has capitals and accents, then it is lower-cased and the marks are stripped', () => {
    expect(view('FÜCK Ça Śhit')).toBe('fuck ca shit');
  });

  it('when text uses fullwidth or mathematical look-alikes, then they read as Latin letters', () => {
    expect(view('ｆｕｃｋ')).toBe('fuck');
    expect(view('𝐟𝐮𝐜𝐤 𝕗𝕦𝕔𝕜')).toBe('fuck fuck');
  });

  it('when leet digits and symbols sit inside a word, then they read as letters', () => {
    expect(view('sh1t @ss b!tch a$$ 5h17 sh!+')).toBe('shit ass bitch ass shit shit');
  });

  it('when a number stands alone, then its digits stay a gap (455 is not "ass")', () => {
    expect(view('$455 or 455')).toBe('sass or ');
    expect(view('in 2024')).toBe('in ');
  });

  it('when "!" ends a word, then it is punctuation, not an "i"', () => {
    expect(view('shit!')).toBe('shit ');
    expect(view('no!')).toBe('no ');
  });

  it('when single letters are spelled out with one separator, then they join into one word', () => {
    expect(view('f.u.c.k')).toBe('fuck');
    expect(view('f u c k you')).toBe('fuck you');
    expect(view('f-u-c-k')).toBe('fuck');
    expect(view('f_u_c_k')).toBe('fuck');
    expect(view('p*u*s*s*y')).toBe('pussy');
  });

  it('when two real words are separated, then they are not joined ("is hit" never reads "shit")', () => {
    expect(view('is hit')).toBe('is hit');
    expect(view('a b')).toBe('a b');
    expect(view('a f.u.c.k')).toBe('a fuck');
  });

  it('when zero-width characters or soft hyphens are inside a word, then they vanish', () => {
    expect(view('f\u200bu\u200cc\u200dk a\u00adss')).toBe('fuck ass');
  });

  it('when a masking star sits inside a word, then it is a wildcard; decorative stars are gaps', () => {
    expect(view('f**k')).toBe('f**k');
    expect(view('*bold*')).toBe(' bold ');
    expect(view('a****b')).toBe('a b');
  });

  it('when letters repeat, then the slots collapse them with a count', () => {
    const slots = toSlots('fuuuuck as ass');
    expect(
      slots.map((slot) => (slot.kind === 'gap' ? ' ' : `${slot.letters[0] ?? ''}${slot.count}`)).join(''),
    ).toBe('f1u4c1k1 a1s1 a1s2');
  });

  it('when characters are mapped, then the map points at their original UTF-16 offsets', () => {
    const { chars, map } = normalizeForMatching('é 𝐟u');
    expect(chars).toBe('e fu');
    expect(map).toEqual([0, 1, 2, 4]);
  });
});

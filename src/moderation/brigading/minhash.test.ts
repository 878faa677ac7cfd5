import { estimateSimilarity, isNearDuplicate, minhashSketch } from './minhash';

const sketch = (text: string): number[] => {
  const value = minhashSketch(text);
  if (!value) throw new Error(`no sketch for ${text}`);
  return value;
};

describe('minhash near-duplicates', () => {
  it('when the same text comes back with case, punctuation or an extra word changed, then it is a near-duplicate', () => {
    const base = sketch('Stop the talks now, Ukraine must never accept these terms from the Kremlin');
    expect(estimateSimilarity(base, sketch('STOP the talks now!!! Ukraine must never accept these terms from the Kremlin.'))).toBe(1);
    expect(isNearDuplicate(base, sketch('Stop the talks now, Ukraine must never accept these terms from the Kremlin #brigade'))).toBe(true);
  });

  it('when Cyrillic comments are copied with small changes, then they are near-duplicates, and different Cyrillic texts are not', () => {
    const a = sketch('Переговоры в Стамбуле — это предательство, никаких уступок агрессору и точка');
    expect(isNearDuplicate(a, sketch('Переговоры в Стамбуле — это предательство, никаких уступок агрессору и точка!!!'))).toBe(true);
    expect(isNearDuplicate(a, sketch('Переговори в Стамбулі дали шанс на обмін полоненими, і це вже добре для родин'))).toBe(false);
  });

  it('when two ordinary comments on the same topic differ, then they are not near-duplicates', () => {
    const a = sketch('I think the negotiators in Istanbul should publish the full transcript for everyone');
    const b = sketch('The sanctions will hurt the economy more than the negotiators in Istanbul admit');
    expect(isNearDuplicate(a, b)).toBe(false);
  });

  it('when a text has fewer than four words, then it has no sketch', () => {
    expect(minhashSketch('Agreed, totally')).toBeUndefined();
    expect(minhashSketch('+1')).toBeUndefined();
  });

  it('when a stock reply is written alike by anyone, then it is too short to sketch, in any language', () => {
    for (const reply of ['I agree with you 100%', 'Agreed, well said, thank you!', 'Полностью согласен с вами, спасибо', 'Так, повністю згоден з вами', 'Согласен, Так, +1, Agreed']) {
      expect(minhashSketch(reply)).toBeUndefined();
    }
    // A sentence of substance still is.
    expect(minhashSketch('Stop the talks now, Ukraine must never accept these terms')).toBeDefined();
  });
});

import { areConfusable, confusableSkeletons } from './confusables';

describe('confusable skeletons (UTS #39)', () => {
  it('when two names differ only by letters of another script that look the same, then they are confusable', () => {
    expect(areConfusable('Аdmin', 'admin')).toBe(true); // Cyrillic А
    expect(areConfusable('Αdmin', 'Admin')).toBe(true); // Greek Alpha
    expect(areConfusable('ΑDΜΙΝ', 'ADMIN')).toBe(true); // Greek capitals
    expect(areConfusable('раураl', 'paypal')).toBe(true); // Cyrillic р, а, у
  });

  it('when case, accents and spacing differ, then they are still confusable', () => {
    expect(areConfusable('M i r a', 'mira')).toBe(true);
    expect(areConfusable('Zoé', 'zoe')).toBe(true);
  });

  it('when names really differ, also in one script, then they are not confusable', () => {
    expect(areConfusable('Олена', 'Олег')).toBe(false);
    expect(areConfusable('Анна', 'Anya')).toBe(false);
    expect(areConfusable('Mira', 'Mina')).toBe(false);
  });

  it('when a text has no letters or digits, then its skeleton is empty and it matches nothing', () => {
    expect(confusableSkeletons('---')).toEqual(['']);
    expect(areConfusable('---', '...')).toBe(false);
  });
});

import { DETECTABLE_LANGUAGES } from '../../src/moderation/text';
import { QUEUE_LANGUAGES } from '../../src/panel/languages';

describe('the queue language filter', () => {
  it('offers only languages the server can filter by (an unknown one would be refused)', () => {
    expect(QUEUE_LANGUAGES.filter((code) => !DETECTABLE_LANGUAGES.includes(code))).toEqual([]);
  });

  it('offers English, Russian and Ukrainian first', () => {
    expect(QUEUE_LANGUAGES.slice(0, 3)).toEqual(['en', 'ru', 'uk']);
  });
});

import { readTokens } from './tokens';

describe('readTokens', () => {
  it('when a star follows a separator before a letter (`_*a`, as Markdown writes), then the scan moves on and reads the word', () => {
    for (const [text, word] of [['_*a', 'a'], ['_*_*core*_*_', 'core'], [`${'_*'.repeat(200)}core`, 'core']] as const) {
      expect(readTokens(text, text).map((token) => [token.key, text.slice(token.start, token.end)])).toEqual([[word, word]]);
    }
  });
});

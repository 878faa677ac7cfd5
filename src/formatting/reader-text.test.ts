import { readerTextOf, readParsedText, toSourceSpan } from './reader-text';

/** The source a finding on `word` (as readers see it) points to. */
function sourceOf(source: string, word: string, occurrence = 0): string {
  const reader = readerTextOf(source);
  let at = -1;
  for (let index = 0; index <= occurrence; index++) at = reader.text.indexOf(word, at + 1);
  expect(at).toBeGreaterThanOrEqual(0);
  const [start, end] = toSourceSpan(reader, [at, at + word.length]);
  return source.slice(start, end);
}

describe('readerTextOf: a comment as its readers read it', () => {
  it('when Markdown splits a word, then readers (and the filter) read it whole, and its span covers the source', () => {
    expect(readerTextOf('**f**u**ck** you').text).toBe('fuck you');
    expect(sourceOf('**f**u**ck** you', 'fuck')).toBe('f**u**ck');
    expect(readerTextOf('s~~~~h`i`t').text).toBe('s~~~~hit');
    expect(readerTextOf('||bl||||ah||').text).toBe('blah');
  });

  it('when a link hides its target, then the target follows the text, and its span is the target in the source', () => {
    const source = 'Read [nice site](http://spam.example/deal) now';
    const reader = readerTextOf(source);
    expect(reader.text).toBe('Read nice site now\nhttp://spam.example/deal');
    expect(reader.links).toEqual(['http://spam.example/deal']);
    expect(sourceOf(source, 'spam.example')).toBe('spam.example');
  });

  it('when a link shows its own target, then the target is not repeated', () => {
    expect(readerTextOf('see example.com and https://example.org/x and me@example.org').text).toBe('see example.com and https://example.org/x and me@example.org');
    expect(readerTextOf('<https://example.org>').text).toBe('https://example.org');
    expect(readerTextOf('https://яндекс.рф/путь').text).toBe('https://яндекс.рф/путь');
  });

  it('when a comment has quotes, lists and code, then their text is read without markup, spans still in the source', () => {
    const source = '> quoted *idiot*\n> more\n\n- one\n- two idiot\n\n```\ncode idiot\n```';
    expect(readerTextOf(source).text).toBe('quoted idiot\nmore\none\ntwo idiot\ncode idiot');
    expect(source.indexOf(sourceOf(source, 'idiot', 0))).toBe(source.indexOf('idiot'));
    const spans = [0, 1, 2].map((occurrence) => {
      const reader = readerTextOf(source);
      let at = -1;
      for (let index = 0; index <= occurrence; index++) at = reader.text.indexOf('idiot', at + 1);
      return toSourceSpan(reader, [at, at + 5]);
    });
    for (const [start, end] of spans) expect(source.slice(start, end)).toBe('idiot');
    expect(new Set(spans.map(([start]) => start)).size).toBe(3);
  });

  it('when Cyrillic is formatted, then it reads as the words written', () => {
    const source = 'Це **дуже** _погано_, ~~брехня~~';
    expect(readerTextOf(source).text).toBe('Це дуже погано, брехня');
    expect(sourceOf(source, 'погано')).toBe('погано');
  });

  it('when raw HTML or an inert link is written, then it is read as the text readers see', () => {
    expect(readerTextOf('<b>hi</b> [x](javascript:alert(1))').text).toBe('<b>hi</b> [x](javascript:alert(1))');
  });

  it('when nesting is beyond what is parsed, then the comment is read as written', () => {
    const tower = `${'>'.repeat(500)} deep`;
    expect(readerTextOf(tower).text).toBe(tower);
    expect(sourceOf(tower, 'deep')).toBe('deep');
  });

  it('when any comment is read, then every offset points into the source, in order within the visible text', () => {
    const inputs = ['*_'.repeat(300) + 'x' + '_*'.repeat(300), '- '.repeat(200) + 'leaf', '[a](http://b.example) '.repeat(50), '`'.repeat(99), '||'.repeat(100) + 'a'];
    for (const source of inputs) {
      const reader = readerTextOf(source);
      expect(reader.sourceOffsets).toHaveLength(reader.text.length);
      for (const offset of reader.sourceOffsets) {
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(source.length);
      }
    }
  });

  it('when a comment has no markup, line break or link, then it reads as written without a parse, as the parser reads it', () => {
    const inputs = [
      'The peace talks in Istanbul are the first serious attempt in years.',
      'Inflation is down to 2.3% but my shopping bill says otherwise & so on, #1 = "best"!',
      'Переговоры в Стамбуле — это шаг вперёд, но до мира ещё далеко…',
      'Спершу побачимо текст угоди: м’ясо, будь-яке, (ну) «так»?',
      '1998 was the year; 25 basis points (as expected) + more',
      'see example.com and me@example.org',
      '- a list',
      '1. first',
      '> quoted',
      'a *b* c',
      'AT&amp;T and &copy; stay as written',
      'localhost:3000 and http:x',
      'ends with a space ',
      'ends with spaces   ',
      ' starts with one',
      'a tab\tinside',
      'emoji 😀 and 𝒳 stay',
      'f.u.c.k this, e.g. the talks, i.e. not 2.3.4 or v1.2',
      'x.y and a.b.c. end.',
      'one letter after a dot is no host: www.x, news.c, but news.co and x.рф are',
      'site.com.ua, x.y1, a.𝒳b',
    ];
    for (const source of inputs) expect(readerTextOf(source)).toEqual(readParsedText(source));
  });
});


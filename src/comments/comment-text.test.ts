import { normaliseCommentText } from './comment-text';

describe('normaliseCommentText', () => {
  it('when the text has surrounding whitespace, then it is trimmed', () => {
    expect(normaliseCommentText('  \n hello \n\n ')).toBe('hello');
  });

  it('when the text has control characters, then they are removed but newlines are kept', () => {
    expect(normaliseCommentText('a\u0000b\u0007c\nd\u001be\u007ff\u0085g')).toBe('abc\ndefg');
  });

  it('when the text uses CRLF, then it becomes LF', () => {
    expect(normaliseCommentText('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });

  it('when the text is decomposed, then it is composed (NFC)', () => {
    expect(normaliseCommentText('Cafe\u0301')).toBe('Caf\u00e9');
  });

  it('when the text has bidi overrides, then they are removed', () => {
    expect(normaliseCommentText('abc\u202Edef\u2066')).toBe('abcdef');
  });

  it('when the text is HTML, then it is kept as text', () => {
    expect(normaliseCommentText('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
  });
});

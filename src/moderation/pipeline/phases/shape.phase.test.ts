import { makeContext } from '../../../../tests/fixtures/moderation/screening-context';
import { shapePhase } from './shape.phase';

describe('shape phase', () => {
  it('when the text is only whitespace, then it refuses with COMMENT_EMPTY', () => {
    const result = shapePhase(makeContext({ text: '   \n ' }));
    expect(result?.refusal?.code).toBe('COMMENT_EMPTY');
    expect(result?.findings[0]?.rule).toBe('shape.empty');
  });

  it('when the text is longer than maxLength, then it refuses with COMMENT_TOO_LONG and the limit', () => {
    const result = shapePhase(makeContext({ text: 'a'.repeat(101), settings: { maxLength: 100 } }));
    expect(result?.refusal).toMatchObject({
      code: 'COMMENT_TOO_LONG',
      context: { maxLength: 100, length: 101 },
    });
    expect(result?.refusal?.message).toContain('100');
  });

  it('when the text is exactly maxLength characters (emoji counted once), then it passes', () => {
    expect(shapePhase(makeContext({ text: '🇺🇦'.repeat(50), settings: { maxLength: 100 } }))).toBeUndefined();
  });

  it('when the text has more links than maxLinks, then it refuses with COMMENT_TOO_MANY_LINKS', () => {
    const text = 'See https://a.example.com, www.b.org and c.ru/news today.';
    const result = shapePhase(makeContext({ text, settings: { maxLinks: 2 } }));
    expect(result?.refusal).toMatchObject({
      code: 'COMMENT_TOO_MANY_LINKS',
      context: { maxLinks: 2, links: 3 },
    });
    expect(shapePhase(makeContext({ text, settings: { maxLinks: 3 } }))).toBeUndefined();
  });

  it('when the post is closed, then it refuses with POST_CLOSED', () => {
    const result = shapePhase(makeContext({ post: { closed: true } }));
    expect(result?.refusal?.code).toBe('POST_CLOSED');
    expect(result?.action).toBe('reject');
    expect(result?.findings[0]?.rule).toBe('shape.post-closed');
  });

  it('when the comment is ordinary, then the phase says nothing', () => {
    expect(shapePhase(makeContext())).toBeUndefined();
  });
});

import { decodeCursor, encodeCursor } from './cursor';
import { AppError } from '../shared/errors';

describe('cursors', () => {
  it('when a cursor is encoded, then it decodes to the same position for the same scope', () => {
    const cursor = encodeCursor({ scope: 'newest', key: 1700000000000, id: '0123456789abcdef01234567' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'newest')).toEqual({ scope: 'newest', key: 1700000000000, id: '0123456789abcdef01234567' });
  });

  it('when a start cursor is encoded, then it decodes with null key and id', () => {
    expect(decodeCursor(encodeCursor({ scope: 'replies', key: null, id: null }), 'replies')).toEqual({ scope: 'replies', key: null, id: null });
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['wrong shape', Buffer.from(JSON.stringify({ v: 1, s: 'newest', k: 'x', i: 'y' })).toString('base64url')],
    ['operator', Buffer.from(JSON.stringify({ v: 1, s: 'newest', k: { $gt: 0 }, i: null })).toString('base64url')],
    ['half start', Buffer.from(JSON.stringify({ v: 1, s: 'newest', k: 1, i: null })).toString('base64url')],
    ['other scope', encodeCursor({ scope: 'oldest', key: 1, id: '0123456789abcdef01234567' })],
    ['too long', 'a'.repeat(600)],
  ])('when the cursor is %s, then it is CURSOR_INVALID', (_name, cursor) => {
    expect(() => decodeCursor(cursor, 'newest')).toThrow(AppError);
    try {
      decodeCursor(cursor, 'newest');
    } catch (error) {
      expect((error as AppError).code).toBe('CURSOR_INVALID');
    }
  });
});

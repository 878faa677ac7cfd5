import { createHmac } from 'node:crypto';
import { signPayload, verifySignature } from './signature';

const SECRET = 'a classifier secret of some length';
const NOW = new Date('2026-12-01T12:00:00Z');

describe('X-Parley-Signature', () => {
  it('when a body is signed, then the header is t=<unix s>,v1=<HMAC-SHA256 of "<t>.<body>">', () => {
    const header = signPayload(SECRET, '{"a":1}', NOW);
    const t = Math.floor(NOW.getTime() / 1000);
    const expected = createHmac('sha256', SECRET).update(`${t}.{"a":1}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
  });

  it('when the same secret checks the same body, then it is valid', () => {
    expect(verifySignature(signPayload(SECRET, 'body', NOW), SECRET, 'body', NOW)).toEqual({ isValid: true });
  });

  it('when the body, the secret or the header differ, then it is refused with a reason', () => {
    const header = signPayload(SECRET, 'body', NOW);
    expect(verifySignature(header, SECRET, 'body!', NOW)).toEqual({ isValid: false, reason: 'a signature that does not match' });
    expect(verifySignature(header, 'another secret entirely', 'body', NOW).isValid).toBe(false);
    expect(verifySignature(undefined, SECRET, 'body', NOW)).toEqual({ isValid: false, reason: 'no signature header' });
    expect(verifySignature('v1=abc', SECRET, 'body', NOW)).toEqual({ isValid: false, reason: 'a malformed signature header' });
  });

  it('when the signature is older than five minutes, then it is refused as a replay', () => {
    const header = signPayload(SECRET, 'body', new Date(NOW.getTime() - 301_000));
    const check = verifySignature(header, SECRET, 'body', NOW);
    expect(check.isValid).toBe(false);
    expect(check).toMatchObject({ reason: expect.stringContaining('away from our clock') });
  });

  it('when several v1 values are sent (a secret being rotated), then one matching is enough', () => {
    const good = signPayload(SECRET, 'body', NOW);
    const rotated = `${good},v1=${'0'.repeat(64)}`;
    expect(verifySignature(rotated, SECRET, 'body', NOW)).toEqual({ isValid: true });
  });
});

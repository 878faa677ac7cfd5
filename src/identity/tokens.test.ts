import jwt from 'jsonwebtoken';
import { issueAuthorToken, verifyAuthorToken, verifySsoToken } from './tokens';

const SECRET = 'x'.repeat(40);
const NOW = new Date('2026-11-26T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const site = { id: 'my-blog', ssoSecret: 'site-secret-'.padEnd(40, 's') };

function sso(claims: Record<string, unknown>, secret = site.ssoSecret, algorithm: jwt.Algorithm = 'HS256'): string {
  return jwt.sign({ sub: 'u1', name: 'Olena', exp: nowSeconds + 600, ...claims }, secret, { algorithm, noTimestamp: true });
}

describe('author tokens', () => {
  const author = { id: 'a'.repeat(24), site: 'my-blog' };

  it('when a token is issued, then it verifies for its site and yields the author id', () => {
    expect(verifyAuthorToken(SECRET, issueAuthorToken(SECRET, author), 'my-blog')).toBe(author.id);
  });

  it.each([
    ['another site', (token: string) => verifyAuthorToken(SECRET, token, 'other-blog')],
    ['another secret', (token: string) => verifyAuthorToken('y'.repeat(40), token, 'my-blog')],
    ['a changed author id', (token: string) => verifyAuthorToken(SECRET, token.replace('aaaa', 'bbbb'), 'my-blog')],
    ['garbage', () => verifyAuthorToken(SECRET, 'pa1.nope', 'my-blog')],
  ])('when checked against %s, then AUTHOR_TOKEN_INVALID', (_what, check) => {
    expect(() => check(issueAuthorToken(SECRET, author))).toThrow(expect.objectContaining({ code: 'AUTHOR_TOKEN_INVALID' }));
  });
});

describe('verifySsoToken', () => {
  it('when the token is good, then its claims come back', () => {
    const claims = verifySsoToken(sso({ email: 'o@example.com' }), site, NOW);
    expect(claims).toMatchObject({ sub: 'u1', name: 'Olena', email: 'o@example.com' });
  });

  it.each([
    ['expired', sso({ exp: nowSeconds - 1 }), 'SSO_TOKEN_EXPIRED'],
    ['signed with another secret', sso({}, 'another-secret-'.padEnd(40, 'z')), 'SSO_TOKEN_INVALID'],
    ['missing exp', jwt.sign({ sub: 'u1', name: 'O' }, site.ssoSecret, { noTimestamp: true }), 'SSO_TOKEN_INVALID'],
    ['missing name', sso({ name: undefined }), 'SSO_TOKEN_INVALID'],
    ['for another site (aud)', sso({ aud: 'other-blog' }), 'SSO_WRONG_SITE'],
    ['for another site (site claim)', sso({ site: 'other-blog' }), 'SSO_WRONG_SITE'],
    ['signed with HS512', sso({}, site.ssoSecret, 'HS512'), 'SSO_TOKEN_INVALID'],
    ['not a JWT', 'not-a-jwt', 'SSO_TOKEN_INVALID'],
  ])('when the token is %s, then %s', (_what, token, code) => {
    expect(() => verifySsoToken(token, site, NOW)).toThrow(expect.objectContaining({ code }));
  });

  it('when the site has no SSO secret, then SSO_NOT_CONFIGURED', () => {
    expect(() => verifySsoToken(sso({}), { id: 'my-blog', ssoSecret: undefined }, NOW)).toThrow(
      expect.objectContaining({ code: 'SSO_NOT_CONFIGURED' }),
    );
  });
});

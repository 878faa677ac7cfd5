import { createEmailVault, maskEmail } from './email-vault';
import { createMailTokens } from './mail-tokens';

const SECRET = 'a-test-secret-that-is-long-enough-000000';

describe('mail tokens', () => {
  const tokens = createMailTokens(SECRET);
  const claims = { purpose: 'confirm' as const, subscriptionId: 'sub1', nonce: 'n1', expiresAt: 1000 };

  it('when a token is issued, then it verifies for its purpose until it expires', () => {
    const token = tokens.issue(claims);
    expect(tokens.verify(token, 'confirm', 999)).toEqual({ ok: true, claims });
    expect(tokens.verify(token, 'confirm', 1001)).toMatchObject({ ok: false, reason: 'expired', claims });
    expect(tokens.verify(token, 'unsubscribe', 999)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('when a token is altered or signed with another secret, then it is invalid', () => {
    const token = tokens.issue(claims);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ p: 'confirm', s: 'sub2', n: 'n1', e: 1000 })).toString('base64url');
    expect(tokens.verify(`${forged}.${signature}`, 'confirm', 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify(`${payload}.x${signature}`, 'confirm', 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(createMailTokens(`${SECRET}-other`).verify(token, 'confirm', 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify('garbage', 'confirm', 0)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('e-mail vault', () => {
  const vault = createEmailVault(SECRET);

  it('when an address is sealed, then only the same secret opens it, and hashes ignore case', () => {
    const sealed = vault.encrypt(' Olena@Example.COM ');
    expect(sealed).not.toContain('olena');
    expect(vault.decrypt(sealed)).toBe('olena@example.com');
    expect(createEmailVault(`${SECRET}-other`).decrypt(sealed)).toBeUndefined();
    expect(vault.hash('OLENA@example.com')).toBe(vault.hash('olena@example.com'));
    expect(vault.hash('olena@example.com')).not.toBe(vault.hash('petro@example.com'));
  });

  it('when an address is shown, then it is masked', () => {
    expect(maskEmail('olena@example.com')).toBe('o•••@example.com');
  });
});

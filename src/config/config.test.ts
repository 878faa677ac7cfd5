import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config';
import { envSchema } from './config.schema';

describe('loadConfig', () => {
  it('when nothing is set, then development defaults apply', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.mongodbUri).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.bodyLimitBytes).toBe(64 * 1024);
    expect(config.isSessionSecretEphemeral).toBe(true);
    expect(config.guestBanClientHours).toBe(72);
    expect(config.sessionSecret).toHaveLength(64);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when values are valid, then they are parsed into their types', () => {
    const config = loadConfig({
      PORT: '8080',
      MONGODB_URI: 'mongodb://db:27017/parley',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PUBLIC_URL: 'https://comments.example.com/',
      BODY_LIMIT: '128kb',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'debug',
      ADMIN_EMAIL: 'Admin@Example.com',
      ADMIN_PASSWORD: 'long enough password',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://comments.example.com');
    expect(config.bodyLimitBytes).toBe(128 * 1024);
    expect(config.trustProxy).toBe(1);
    expect(config.admin).toEqual({ email: 'admin@example.com', password: 'long enough password' });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a number \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ MONGODB_URI: 'postgres://x' }, /MONGODB_URI must be a mongodb:\/\//],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must be a redis:\/\//],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL must be an absolute http\(s\) URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ BODY_LIMIT: 'huge' }, /BODY_LIMIT must be a size/],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET must be at least 32 characters$/],
    [{ ADMIN_EMAIL: 'a@b.co' }, /ADMIN_PASSWORD must be set together with ADMIN_EMAIL/],
    [{ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@b.co' }, /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ SMTP_URL: 'smtp://mail.example.com' }, /MAIL_FROM must be set together with SMTP_URL \(mail is off without both\)/],
    [{ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'not an address' }, /MAIL_FROM must be an address/],
    [{ DATA_RETENTION_DAYS: '0' }, /DATA_RETENTION_DAYS must be at least 1/],
    [{ DATA_RETENTION_DAYS: '2.5' }, /DATA_RETENTION_DAYS must be a whole number of days/],
    [{ GUEST_BAN_CLIENT_HOURS: 'soon' }, /GUEST_BAN_CLIENT_HOURS must be a number/],
    [{ GUEST_BAN_CLIENT_HOURS: '1.5' }, /GUEST_BAN_CLIENT_HOURS must be a whole number of hours/],
    [{ GUEST_BAN_CLIENT_HOURS: '9000' }, /GUEST_BAN_CLIENT_HOURS must be at most 8760/],
  ])('when %j, then one clear line names the variable', (env, message) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const text = (caught as ConfigError).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('when in production without a database, secret or public URL, then all three are named', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /MONGODB_URI is required in production; SESSION_SECRET is required in production; PUBLIC_URL is required in production/,
    );
  });

  it('when SMTP_URL and MAIL_FROM are given, then mail is on; without them it is off', () => {
    expect(loadConfig({}).mail).toBeUndefined();
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', MAIL_FROM: 'Parley <c@example.com>' }).mail).toEqual({
      smtpUrl: 'smtps://u:p@mail.example.com:465',
      from: 'Parley <c@example.com>',
      retryBaseMs: 60000,
      replyBatchSeconds: 300,
    });
    expect(() => loadConfig({ SMTP_URL: 'ftp://u:hunter2@x', MAIL_FROM: 'c@example.com' })).toThrow(/^(?!.*hunter2).*$/);
  });

  it('when a secret is wrong, then its value is never echoed', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'hunter2' })).toThrow(/^(?!.*hunter2).*$/);
  });
});

describe('.env.example', () => {
  const examplePath = path.resolve(__dirname, '..', '..', '.env.example');
  const example = parseDotenv(readFileSync(examplePath, 'utf8'));

  it('when loaded as it is, then it is a valid configuration', () => {
    expect(() => loadConfig(example)).not.toThrow();
  });

  it('when compared with the schema, then it lists every variable, each under a comment', () => {
    const text = readFileSync(examplePath, 'utf8');
    expect(Object.keys(example).sort()).toEqual(Object.keys(envSchema.shape).sort());
    for (const name of Object.keys(envSchema.shape)) {
      const lines = text.split('\n');
      const index = lines.findIndex((line) => line.startsWith(`${name}=`));
      const above = lines.slice(0, index).reverse().find((line) => !/^[A-Z_]+=/.test(line));
      expect(above).toMatch(/^#/);
    }
  });
});

import { normaliseOrigin } from './origins';

describe('normaliseOrigin', () => {
  it.each([
    ['https://Example.COM/some/path?q=1', 'https://example.com'],
    ['http://blog.example.com:80', 'http://blog.example.com'],
    ['https://blog.example.com:443/', 'https://blog.example.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:8080/x', 'http://127.0.0.1:8080'],
  ])('when given %s, then it gives %s', (input, expected) => {
    expect(normaliseOrigin(input)).toBe(expected);
  });

  it.each(['', 'null', 'example.com', 'javascript:alert(1)', 'ftp://example.com', 'https://user:pw@example.com', 'data:text/html,hi'])(
    'when given %j, then it refuses it',
    (input) => {
      expect(normaliseOrigin(input)).toBeUndefined();
    },
  );
});

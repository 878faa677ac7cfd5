import { validateDisplayName } from './display-name';

describe('validateDisplayName', () => {
  it('when a name is ordinary, then it is returned trimmed and NFC-normalised', () => {
    expect(validateDisplayName('  Olena   K. ')).toBe('Olena K.');
    expect(validateDisplayName('Zoe\u0301')).toBe('Zoé');
    expect(validateDisplayName('Анна')).toBe('Анна');
  });

  it.each(['Moderator', 'admin', 'The Admin Team', 'M0derat0r', 'a.d.m.i.n', 'Parley staff', 'Adm1nistrator'])(
    'when a guest claims to be staff (%s), then it is refused',
    (name) => {
      expect(() => validateDisplayName(name)).toThrow(expect.objectContaining({ code: 'AUTHOR_NAME_INVALID' }));
    },
  );

  it.each(['', '   ', 'x'.repeat(51), 'bad\u0007bell', 'zero\u200bwidth', '---'])(
    'when a name is empty, too long, has control characters or no letters (%j), then it is refused',
    (name) => {
      expect(() => validateDisplayName(name)).toThrow(expect.objectContaining({ code: 'AUTHOR_NAME_INVALID' }));
    },
  );

  it('when a name merely contains a reserved fragment inside another word, then it is allowed', () => {
    expect(validateDisplayName('Modest Mouse')).toBe('Modest Mouse');
    expect(validateDisplayName('Badminton fan')).toBe('Badminton fan');
  });
});

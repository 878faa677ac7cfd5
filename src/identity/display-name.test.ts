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

describe('validateDisplayName with look-alike letters (UTS #39 skeletons)', () => {
  it.each([
    ['Аdmin', 'Cyrillic А'],
    ['Αdmin', 'Greek Alpha'],
    ['ΑDΜΙΝ', 'all Greek capitals'],
    ['Moderatоr', 'Cyrillic о'],
    ['Stаff', 'Cyrillic а'],
    ['S t а f f', 'spaced, Cyrillic а'],
    ['sTaFF', 'mixed case'],
    ['Ѕtaff', 'Cyrillic Ѕ'],
    ['Тhe Аdmin Тeam', 'Cyrillic Т and А inside a phrase'],
    ['раrlеу', 'Cyrillic р, а, е, у'],
    ['Оfficial', 'Cyrillic О'],
    ['Ádmin', 'an accent'],
    ['Adrnin', 'rn for m'],
  ])('when a guest writes a staff word in look-alike letters (%s: %s), then it is refused', (name) => {
    expect(() => validateDisplayName(name)).toThrow(
      expect.objectContaining({ code: 'AUTHOR_NAME_INVALID', message: 'Display names cannot claim to be a moderator or administrator' }),
    );
  });

  it.each(['Олена', 'Дмитро', 'Αλέξανδρος', 'Анна', 'Мария', 'Ярослава Стаффорд', 'Σταύρος', 'Админов', 'Modest Mouse', 'Badminton fan'])(
    'when a name is ordinary Cyrillic, Greek or Latin (%s), then it is allowed',
    (name) => {
      expect(validateDisplayName(name)).toBe(name);
    },
  );

  it('when a guest takes a moderator’s name, also in look-alike letters or other case and spacing, then it is refused', () => {
    const protectedNames = ['Mira Petrova', 'Олег'];
    for (const name of ['Mira Petrova', 'mira petrova', 'Mіra Petrovа', 'MiraPetrova', 'Олег', 'OЛEГ']) {
      expect(() => validateDisplayName(name, { protectedNames })).toThrow(
        expect.objectContaining({ code: 'AUTHOR_NAME_INVALID', message: "Display names cannot look like the name of one of this site's moderators" }),
      );
    }
    expect(validateDisplayName('Mira', { protectedNames })).toBe('Mira');
    expect(validateDisplayName('Олена', { protectedNames })).toBe('Олена');
  });

  it('when a moderator’s name is very short, then guests may still use it', () => {
    expect(validateDisplayName('Al', { protectedNames: ['Al'] })).toBe('Al');
  });
});

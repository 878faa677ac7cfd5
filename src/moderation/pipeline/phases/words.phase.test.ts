import { makeContext } from '../../../../tests/fixtures/moderation/screening-context';
import { createWordFilter } from '../../filter';
import { createSiteFilterCache, createWordsPhase, hashWordLists } from './words.phase';

describe('words phase', () => {
  const phase = createWordsPhase({ filterFor: createSiteFilterCache() });

  it('when the text has a default banned word, then it rejects with the word and its span', () => {
    const text = 'This deal is sh1t and everyone knows it.';
    const result = phase(makeContext({ text }));
    expect(result?.action).toBe('reject');
    const finding = result?.findings[0];
    expect(finding).toMatchObject({ rule: 'words.banned', action: 'reject', span: [13, 17] });
    expect(text.slice(...(finding?.span ?? [0, 0]))).toBe('sh1t');
    expect(finding?.detail).toContain('shit');
  });

  it("when the text has only a site's suspect word, then it holds", () => {
    const result = phase(
      makeContext({ text: 'Typical kremlinbot talking points.', settings: { suspectWords: ['kremlinbot'] } }),
    );
    expect(result?.action).toBe('hold');
    expect(result?.findings).toEqual([expect.objectContaining({ rule: 'words.suspect', span: [8, 18] })]);
  });

  it("when the text has a site's banned word, then it rejects", () => {
    const result = phase(
      makeContext({ text: 'What a libtard take.', settings: { bannedWords: ['libtard'] } }),
    );
    expect(result?.action).toBe('reject');
  });

  it('when the text is clean, then the phase says nothing', () => {
    expect(
      phase(makeContext({ text: 'The classic analysis of Sussex voters by a therapist.' })),
    ).toBeUndefined();
  });

  it("when two sites have different lists, then one site's words never reach the other", () => {
    const settings = { bannedWords: ['kremlinbot'] };
    expect(phase(makeContext({ siteId: 'a', text: 'a kremlinbot', settings }))?.action).toBe('reject');
    expect(phase(makeContext({ siteId: 'b', text: 'a kremlinbot' }))).toBeUndefined();
  });

  it('when a site changes its list, then the cache builds a new filter', () => {
    const filterFor = createSiteFilterCache();
    const before = makeContext({ settings: { bannedWords: ['alpha'] } }).site;
    const after = makeContext({ settings: { bannedWords: ['alpha', 'beta'] } }).site;
    expect(filterFor(before)).toBe(filterFor(before));
    expect(filterFor(after)).not.toBe(filterFor(before));
    expect(filterFor(after).scan('beta').length).toBe(1);
  });

  it('when more sites than the cache holds are used, then the oldest is evicted and rebuilt on demand', () => {
    const filterFor = createSiteFilterCache({ maxSites: 2 });
    const site = (id: string) => makeContext({ siteId: id }).site;
    const first = filterFor(site('1'));
    filterFor(site('2'));
    filterFor(site('3'));
    expect(filterFor(site('1'))).not.toBe(first);
  });

  it('when a masked word matches several entries over the same characters, then there is one finding', () => {
    const findings = phase(makeContext({ text: 'What a f**k up.' }))?.findings ?? [];
    expect(findings).toHaveLength(1);
    expect(findings[0]?.span).toEqual([7, 11]);
  });

  it('when filterFor is injected, then the phase uses it', () => {
    const custom = createWordsPhase({
      filterFor: () => createWordFilter({ banned: [], suspect: ['ceasefire'] }),
    });
    expect(custom(makeContext())?.findings[0]?.rule).toBe('words.suspect');
  });

  it('when a word moves between lists, then the list hash changes', () => {
    expect(hashWordLists({ bannedWords: ['a'], suspectWords: [] })).not.toBe(
      hashWordLists({ bannedWords: [], suspectWords: ['a'] }),
    );
  });
});

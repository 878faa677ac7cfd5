import { makeContext } from '../../../tests/fixtures/moderation/screening-context';
import { createWordFilter } from '../filter';
import { screenComment } from '../pipeline';
import { tokensOfText } from '../pipeline/phases/lexicon.phase';
import { DEFAULT_LATIN_LEXICON_WORDS, DEFAULT_LEXICON, DEFAULT_LEXICON_FILES } from './index';

/**
 * The lexicons check themselves: every entry of every language names texts it
 * must find and innocent words it must spare. Examples are read by the matcher
 * that owns the entry (the lexicon for Cyrillic patterns and phrases, the word
 * filter for Latin words) and then screened through the default pipeline,
 * which must act on them in the entry's category; spared words are screened
 * through the pipeline and must not bring the entry's rule.
 */
const entries = DEFAULT_LEXICON_FILES.flatMap((file) =>
  file.entries.map((entry) => ({ file, entry, rule: `lexicon.${entry.id}` })),
);
const latinFilter = createWordFilter({ banned: [...DEFAULT_LATIN_LEXICON_WORDS.keys()], suspect: [] });

/** The ids of every entry that matches somewhere in the text, before the pipeline keeps one finding per span. */
function entriesMatching(text: string): Set<string> {
  const ids = new Set(DEFAULT_LEXICON.scan(tokensOfText(text)).map((match) => match.entry.id));
  for (const match of latinFilter.scan(text)) {
    const entry = DEFAULT_LATIN_LEXICON_WORDS.get(match.word);
    if (entry !== undefined) ids.add(entry.id);
  }
  return ids;
}

function lexiconFindings(text: string) {
  return screenComment(makeContext({ text })).findings.filter((finding) => finding.rule.startsWith('lexicon.'));
}

describe('default lexicons: every entry against its own examples and spared words', () => {
  it('when the lexicons are loaded, then every language has entries, ids are unique and every entry has an example', () => {
    expect(new Set(DEFAULT_LEXICON_FILES.map((file) => file.language))).toEqual(new Set(['en', 'ru', 'uk']));
    const ids = entries.map(({ entry }) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { entry, file } of entries) {
      expect(entry.examples?.length ?? 0).toBeGreaterThan(0);
      expect(entry.id.startsWith(`${file.language}.${file.category}.`)).toBe(true);
    }
  });

  const examples = entries.flatMap(({ file, entry }) =>
    (entry.examples ?? []).map((example) => [file.language, example, entry.id, file.category] as const),
  );
  it.each(examples)(
    '%s: when "%s" is read, then entry %s matches and the pipeline acts on it as %s',
    (_language, example, id, category) => {
      expect([...entriesMatching(example)]).toContain(id);
      const outcome = screenComment(makeContext({ text: example }));
      expect(outcome.action).not.toBe('publish');
      expect(outcome.findings).toContainEqual(expect.objectContaining({ category }));
    },
  );

  const spares = entries.flatMap(({ file, entry, rule }) =>
    (entry.spares ?? []).flatMap((spare) => [
      [file.language, spare, rule] as const,
      // A spared word inside a sentence, capitalised as a name would be.
      [file.language, `${spare.charAt(0).toUpperCase()}${spare.slice(1)} said so yesterday.`, rule] as const,
    ]),
  );
  it.each(spares)('%s: when the spared "%s" is screened, then %s does not trigger', (_language, text, rule) => {
    expect(lexiconFindings(text).map((finding) => finding.rule)).not.toContain(rule);
  });
});

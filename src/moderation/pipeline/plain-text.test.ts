import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { makeContext } from '../../../tests/fixtures/moderation/screening-context';
import type { ModerationSettings } from '../../contracts/moderation';
import { readParsedText } from '../../formatting/reader-text';
import { DEFAULT_BANNED_WORDS } from '../filter';
import { DEFAULT_LATIN_LEXICON_WORDS, DEFAULT_LEXICON_FILES } from '../lexicon';
import { createDefaultPhases, createScreener, createSiteFilterCache, runPipeline } from './index';
import { createPlainTextReader } from './plain-text';

const fixtures = join(__dirname, '../../../tests/fixtures/moderation');
const labelled = [
  ...(JSON.parse(readFileSync(join(fixtures, 'labelled-hostility.json'), 'utf8')) as { text: string }[]),
  ...(JSON.parse(readFileSync(join(fixtures, 'labelled-comments.json'), 'utf8')) as { text: string }[]),
].map((item) => item.text);

const NEWS = [
  'The peace talks in Istanbul are the first serious attempt in years.',
  'Any ceasefire without security guarantees just gives both ',
  'Inflation is down to 2.3% but my shopping bill says otherwise.',
  'Turnout in the regional election was the lowest since 1998.',
  "It's a classic case of promising everything, isn't it? Scunthorpe and Essex agree.",
  'Переговоры в Стамбуле — это шаг вперёд, но до мира ещё далеко.',
  'Без гарантій безпеки будь-яке перемир’я дасть час переозброїтися.',
];

/** Words the lexicons and lists are about, written plainly, in capitals, with an ending, apart. */
function variantsOf(word: string): string[] {
  const spaced = [...word].join(' ');
  const upper = word.toUpperCase();
  return [word, upper, `${word}s`, `${word}ам`, spaced, `«${word}»`, `${word}'s`];
}

const lexiconWords = DEFAULT_LEXICON_FILES.flatMap((file) =>
  file.entries.flatMap((entry) => [
    ...(entry.examples ?? []),
    ...(entry.spares ?? []),
    ...(entry.match ?? []).map((pattern) => pattern.replace(/[*~]/g, '')),
    ...(entry.phrases ?? []).map((phrase) => phrase.replace(/[{}?|…$*~]/g, ' ').replace(/\s+/g, ' ').trim()),
  ]),
);
const listWords = [...DEFAULT_BANNED_WORDS, ...DEFAULT_LATIN_LEXICON_WORDS.keys()];

/** Every text several ways: alone, inside news sentences, next to other hostile words. */
function corpus(): string[] {
  const texts = new Set<string>([...labelled, ...NEWS]);
  const words = [...lexiconWords, ...listWords];
  words.forEach((word, index) => {
    const news = NEWS[index % NEWS.length] ?? '';
    for (const variant of variantsOf(word)) texts.add(`${news} ${variant} ${news}`);
    texts.add(word);
    texts.add(`${word}, ${words[(index * 7) % words.length] ?? ''} and more!`);
  });
  for (const text of labelled) {
    texts.add(`${NEWS[text.length % NEWS.length] ?? ''} ${text}`);
    // Trailing spaces: readers never see them.
    texts.add(`${text}   `);
  }
  return [...texts].filter((text) => text.length > 0);
}

function compare(texts: readonly string[], settings: Partial<ModerationSettings> = {}): { plain: string[] } {
  const filterFor = createSiteFilterCache();
  const screen = createScreener({ filterFor });
  const phases = createDefaultPhases({ filterFor });
  const readPlain = createPlainTextReader(filterFor);
  const plain: string[] = [];
  for (const text of texts) {
    const context = makeContext({ text, settings });
    const full = runPipeline(phases, { ...context, reader: readParsedText(text) });
    if (readPlain(text, context.site) !== undefined) {
      plain.push(text);
      expect({ text, reader: readParsedText(text).text }).toEqual({ text, reader: text.trimEnd() });
    }
    expect({ text, outcome: screen(context) }).toEqual({ text, outcome: full });
  }
  return { plain };
}

describe('the quick reading of plain text', () => {
  const texts = corpus();

  it('when a text is judged through the quick reading, then its verdict is the full phases’ verdict', () => {
    compare(texts);
  });

  it('when a comment is ordinary news talk, then the quick reading carries it', () => {
    // Or it saves nothing: every one of these must be read in one pass.
    expect(compare(NEWS).plain).toEqual(NEWS);
  });

  it('when the only listed or lexicon words are written whole, then the quick reading carries the text with the full phases’ findings', () => {
    const words = ['shit', 'Fuck', 'bastard', 'BULLSHIT', 'fuuuck', 'wanker', 'блять', 'хохлы', 'Москалі', 'кацапи', 'vatniks', 'rashists'];
    const texts = words.flatMap((word) => [
      `${NEWS[0] ?? ''} ${word} ${NEWS[5] ?? ''}`,
      `${word}, ${NEWS[2] ?? ''}`,
      `Calling them ${word} is not an argument.`,
      `«${word}» ${NEWS[6] ?? ''}`,
    ]);
    const { plain } = compare(texts);
    expect(plain).toEqual(texts);
    // Numbers, phone numbers and addresses among them.
    compare([
      'Call me on 0123 456 789 tonight, you bastard.',
      'Call 0123-456-7890 or (0123) 456 7890, 2022 2023 2024 1998 2.3% 25.',
      'He lives at 12 Baker Street, flat 3, the wanker.',
      'Он живёт: ул. Ленина, д. 5, кв. 12, сука. Москва 2024 год, 15 квартир.',
      'Unit 4 of 12 Main Road, apt 7: 1 2 3 4 5 6 7 8 9 0 digits apart.',
      // Flat words alone name a flat; inside other words they do not (community, квітня), and an address still needs one.
      'He lives at 12 Baker Street, apartment 3, and runs the community unity 2024 fund.',
      'КВ 5, квартира 12: ул. Шевченка, д. 7, квартира 9, квітня 2024 року, кварталом 7.',
      'Flat 3, 12 Baker Street, flats 4 and units 5 of the UNIT 6.',
      // Runs of one letter: a spam signal when ten are the same character.
      'Soooooooooo tired of this, fuuuuuuuuuuuck. AAAAAaaaaa, nooooooooooooo, ну даааааааааа',
    ]);
    // And they are found: the quick reading is not merely skipping them.
    const screen = createScreener();
    const flagged = texts.filter((text) => screen(makeContext({ text })).findings.length > 0);
    expect(flagged.length).toBeGreaterThan(texts.length / 2);
  });

  it('when a Latin word has digits for letters, then the quick reading carries it with the full phases’ findings', () => {
    const words = ['sh1t', 'SH1T', 'sh1tty', 'b1tch', 'f4ggot', 'n1gger', 'k1ll', 'h4te', 'l33t', 'w0rld', 'a1234b', 'a12345b'];
    const contexts = [
      (word: string) => `${NEWS[0] ?? ''} ${word} ${NEWS[5] ?? ''}`,
      (word: string) => `${word} yourself, ${NEWS[2] ?? ''}`,
      (word: string) => `You should ${word} them all.`,
      (word: string) => `Flat ${word} 3, 12 Baker Street: ${word}`,
    ];
    const texts = words.flatMap((word) => contexts.map((context) => context(word)));
    const { plain } = compare([
      ...texts,
      // Digits that are not inside a Latin word: at its end, its start, in a Cyrillic word, five of them.
      'covid19 is over, 4chan and b2b, х0хлы, сук4, a12345b, f392 and 0x1f.',
      // Capitals: digits are not letters when the share of capitals is counted.
      'WHAT A SH1T SH0W THIS IS, R3ALLY AWFUL N3WS',
      'WHAT A SH1T SH0W THIS IS, R3ALLY AWFUL n3ws today',
    ]);
    expect(plain).toEqual(expect.arrayContaining([`${NEWS[0] ?? ''} sh1t ${NEWS[5] ?? ''}`, 'You should k1ll them all.']));
  });

  it('when letters are joined by `!`, then the quick reading carries them with the full phases’ findings', () => {
    const words = ['b!tch', 'B!TCH', 'sh!t', 'sh!!t', 'b!tch!', 'b!tch!es', 'f!ck', 'k!ll', 'Wow!Great', 'a!b!c', 'n!gg!r', 'sh!t’s', 'sh!t1'];
    const texts = words.flatMap((word) => [
      `${NEWS[0] ?? ''} ${word} ${NEWS[5] ?? ''}`,
      `${word} yourself, ${NEWS[2] ?? ''}`,
      `What a ${word}! Really!! ${word}!!`,
      `a b ${word} c`,
    ]);
    const { plain } = compare([...texts, 'sh!тка, б!ля, 2!b, b!2, b!ж and !b!']);
    expect(plain).toEqual(expect.arrayContaining([`${NEWS[0] ?? ''} b!tch ${NEWS[5] ?? ''}`, `What a sh!!t! Really!! sh!!t!!`]));
  });

  it('when a phrase’s second word must stand next to its trigger, then the quick reading finds it only there, as the full phases do', () => {
    const texts = [
      'Русские не люди, а люди ждали чудес.',
      'Люди не ждали чудес, а русские — не люди.',
      'Они не. Люди ждали чудес, война никогда не бывает простой.',
      'Люди не звери, и москалі теж не люди.',
      'Росіяни не люди. Люди чекали дива, але не дочекалися.',
    ];
    const { plain } = compare(texts);
    expect(plain).toEqual(texts);
    const screen = createScreener();
    expect(screen(makeContext({ text: texts[0] ?? '' })).findings.map((finding) => finding.category)).toContain('dehumanising');
    expect(screen(makeContext({ text: texts[2] ?? '' })).findings).toEqual([]);
  });

  it('when a site has its own words in any script, then the quick reading spares none of them', () => {
    const settings = { bannedWords: ['пизда', 'frobnicate', 'mega scam'], suspectWords: ['хохлятина', 'zorp'] };
    const own = ['пизда', 'пизды', 'frobnicate', 'frobnicates', 'mega scam', 'хохлятину', 'zorp', 'ZORP'];
    const withOwn = [...NEWS, ...own.flatMap((word) => NEWS.map((news) => `${news} ${word} ${news}`))];
    const { plain } = compare(withOwn, settings);
    // Written whole, a site's own word is read by the quick reading too.
    expect(plain).toEqual(expect.arrayContaining([`${NEWS[0] ?? ''} zorp ${NEWS[0] ?? ''}`, `${NEWS[5] ?? ''} пизды ${NEWS[5] ?? ''}`]));
    compare(texts.slice(0, 400), settings);
  });

  it('when a category is off, then the quick reading agrees with the full phases', () => {
    compare(texts.slice(0, 600), {
      categories: { ...makeContext().site.settings.categories, profanity: 'off', threat: 'off' },
    });
  });
});

/**
 * Filter benchmark, in one run:
 *
 * 1. Throughput on a deterministic corpus of news comments (English, Russian and
 *    Ukrainian): Parley's whole default pipeline (every default lexicon and
 *    category enabled, the site's default word list) against two anchors,
 *    `bad-words`' `isProfane` (one regular expression per list word) and
 *    `obscenity`'s `RegExpMatcher` with its English dataset and recommended
 *    transformers. A second configuration adds 1,000 site words to Parley and
 *    bad-words. The machine may be shared, so the filters are timed in turns (a
 *    Parley pass over the whole corpus, then each anchor on the next slice of
 *    it), so that all of them see the same load. Parley's rate is the median of
 *    its passes; an anchor's rate is over all its slices. PASS when Parley is at
 *    least `TARGET_SPEED_UP` times faster than bad-words in both configurations.
 * 2. Quality on the labelled set (`tests/fixtures/moderation/`): precision and
 *    recall of each of the three (an anchor flags a text when anything matches;
 *    Parley when it holds or rejects for a content category, as the labelled-set
 *    test judges it), and Parley's recall per category.
 * 3. Hostile input: a 64 kB comment of mixed scripts and separators (Latin,
 *    Cyrillic, Greek and Armenian look-alikes, zero-width and combining marks,
 *    spaced letters, punctuation runs, a long word with no separator). The
 *    median judge time over several runs: PASS when under `HOSTILE_TARGET_MS`;
 *    and the 16 kB prefix of the same text, to show the time grows linearly
 *    (PASS when 64 kB takes less than `LINEARITY_LIMIT` times the 16 kB time;
 *    linear is 4×, quadratic 16×).
 *
 * The exit code is 1 when any PASS/FAIL line says FAIL.
 *
 * Run: npm run bench:filter (all three), or one part:
 * npm run bench:filter -- --only throughput|quality|hostile
 *
 * The script compiles the benchmark and the code it measures with tsc
 * (`tsconfig.bench.json`, the production build's settings, into dist/) and
 * runs the JavaScript, as the production image runs Parley; the anchors are
 * JavaScript packages already. `npx tsx bench/filter.bench.ts` runs it from
 * source, through tsx's loader, which keeps function names by wrapping each
 * named closure and costs Parley about a tenth of its rate.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { Filter } from 'bad-words';
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';

import {
  DEFAULT_MODERATION_SETTINGS,
  type FindingCategory,
  type ModerationSettings,
} from '../src/contracts/moderation';
import { BAD_WORDS_LIST } from '../src/moderation/filter/bad-words-list';
import { DEFAULT_BANNED_WORDS } from '../src/moderation/filter';
import { createScreener } from '../src/moderation/pipeline';
import type { ScreeningContext } from '../src/moderation/pipeline-types';

const CORPUS_SIZE = 20_000;
const EXTRA_WORDS = 1_000;
const SEED = 20_260_301;
/** Each anchor gets this much time per configuration; beyond it, its rate is extrapolated. */
const ANCHOR_BUDGET_MS = 20_000;
/** Anchors warm up on this many comments before they are timed. */
const ANCHOR_WARM_UP = 300;
/** Parley passes over the corpus after one warm-up pass (the median is reported); anchors run as many slices. */
const PARLEY_PASSES = 5;
/** The required speed-up over isProfane, in both configurations. */
const TARGET_SPEED_UP = 100;
const HOSTILE_BYTES = 64 * 1024;
const HOSTILE_SMALL_BYTES = 16 * 1024;
const HOSTILE_RUNS = 21;
const HOSTILE_TARGET_MS = 20;
const LINEARITY_LIMIT = 6;

/** mulberry32: small, fast and deterministic for a given seed. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SENTENCES: Readonly<Record<'en' | 'ru' | 'uk', readonly string[]>> = {
  en: [
    'The peace talks in Istanbul are the first serious attempt in years.',
    'Any ceasefire without security guarantees just gives both sides time to rearm.',
    'I doubt the Kremlin will accept a demilitarised zone along the current line.',
    'Prisoner exchanges are the one thing these negotiations keep delivering.',
    'Europe should keep funding air defence whatever happens at the table.',
    'Turnout in the regional election was the lowest since 1998.',
    'The polls were wrong again, maybe stop treating them as gospel.',
    'Inflation is down to 2.3% but my shopping bill says otherwise.',
    'The central bank cut rates by 25 basis points, as expected.',
    'Every party promises to fix the health service and none of them does.',
    'A classic case of promising everything before an election.',
    'The analysis in this article is excellent, thanks for the explainer.',
    'Scunthorpe and Essex both reported record turnout this year.',
    'Energy prices in Germany fell after the talks were announced.',
    'My grandparents lived through the siege, war is never simple.',
    'Let us see the text of the agreement before celebrating anything.',
    'Sanctions take years to bite, people expected miracles in months.',
    'Russian soldiers were killed near Kherson, according to the general staff.',
    'Both delegations left without a joint statement, which tells you a lot.',
    'Why is nobody talking about the pension age going up again?',
  ],
  ru: [
    'Переговоры в Стамбуле — это шаг вперёд, но до мира ещё далеко.',
    'Обмен пленными — единственное, что эти переговоры реально дают.',
    'Санкции работают медленно, а люди ждали чудес за пару месяцев.',
    'Инфляция снизилась, но цены в магазинах говорят об обратном.',
    'Мои бабушка и дедушка пережили блокаду, война никогда не бывает простой.',
    'Давайте сначала увидим текст соглашения, а потом будем радоваться.',
    'Под Херсоном погибли солдаты, сообщает генштаб.',
    'Без гарантий безопасности любое перемирие даст время перевооружиться.',
  ],
  uk: [
    'Переговори в Стамбулі — це крок уперед, але до миру ще далеко.',
    'Обмін полоненими — єдине, що ці переговори справді дають.',
    'Санкції діють повільно, а люди чекали дива за кілька місяців.',
    'Інфляція знизилася, але ціни в магазинах кажуть інше.',
    'Мої дідусь і бабуся пережили окупацію, війна ніколи не буває простою.',
    'Спершу побачимо текст угоди, а тоді вже будемо радіти.',
    'Біля Херсона загинули солдати, повідомляє генштаб.',
    'Без гарантій безпеки будь-яке перемир’я дасть час переозброїтися.',
  ],
};

const ABUSE: Readonly<Record<'en' | 'ru' | 'uk', readonly string[]>> = {
  en: ['shit', 'fuck', 'bastard', 'asshole', 'bitch', 'sh1t', 'f.u.c.k', 'fuuuck', 'b!tch', 'dickhead', 'wanker', 'bullshit'],
  ru: ['блять', 'нахуй', 'сука', 'хохлы', 'русня', 'пиздец'],
  uk: ['курва', 'москалі', 'кацапи', 'хуйло', 'бляха'],
};

function generateCorpus(random: () => number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const corpus: string[] = [];
  for (let i = 0; i < CORPUS_SIZE; i++) {
    const roll = random();
    const language = roll < 0.6 ? 'en' : roll < 0.8 ? 'ru' : 'uk';
    const targetLength = 50 + Math.floor(random() * 551);
    let text = '';
    while (text.length < targetLength) text += (text.length > 0 ? ' ' : '') + pick(SENTENCES[language]);
    text = text.slice(0, targetLength);
    if (random() < 0.1) {
      const words = text.split(' ');
      words.splice(Math.floor(random() * words.length), 0, pick(ABUSE[language]));
      text = words.join(' ');
    }
    corpus.push(text);
  }
  return corpus;
}

/** Pronounceable pseudo-words that appear in no real comment: they cost matching time only. */
function generateSiteWords(random: () => number): string[] {
  const consonants = 'bcdfghjklmnprstvz';
  const vowels = 'aeiou';
  const words = new Set<string>();
  while (words.size < EXTRA_WORDS) {
    let word = '';
    const syllables = 2 + Math.floor(random() * 3);
    for (let s = 0; s < syllables; s++) {
      word += consonants[Math.floor(random() * consonants.length)] ?? 'k';
      word += vowels[Math.floor(random() * vowels.length)] ?? 'a';
    }
    words.add(`${word}x`);
  }
  return [...words];
}

/**
 * A hostile comment of `bytes` UTF-8 bytes: pieces that each defeat a naive
 * filter in a different way, in a seeded order, cut at a character boundary.
 */
function generateHostileComment(random: () => number, bytes: number): string {
  const zeroWidth = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
  const combining = ['\u0301', '\u0308', '\u0327', '\u0336', '\u20dd'];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const interleave = (word: string, marks: readonly string[]): string =>
    [...word].map((char) => char + pick(marks)).join('');
  const pieces: (() => string)[] = [
    () => 'nаzi', // Cyrillic а
    () => 'Fսck', // Armenian ս
    () => 'сukа', // Cyrillic с and а around Latin u and k
    () => 'ѕһіt', // Cyrillic look-alikes only
    () => 'ΒΙΤϹΗ', // Greek capitals and a lunate sigma
    () => 'хуй'.replace('у', 'y'), // Latin y inside a Cyrillic word
    () => interleave('fuck', zeroWidth),
    () => interleave('блять', zeroWidth),
    () => interleave('fuck', combining),
    () => interleave('хохлы', combining),
    () => 'f u c k',
    () => 'х у й л о',
    () => 'b.l.y.a.t',
    () => 'п-и-з-д-е-ц',
    () => 'fuuuuuuuuuuuuuuck',
    () => 'бляяяяяяяяяяять',
    () => '!'.repeat(8 + Math.floor(random() * 40)),
    () => '?!'.repeat(4 + Math.floor(random() * 20)),
    () => '.'.repeat(6 + Math.floor(random() * 30)),
    () => '—–'.repeat(3 + Math.floor(random() * 10)),
    () => '*'.repeat(5 + Math.floor(random() * 20)),
    () => pick(SENTENCES.en),
    () => pick(SENTENCES.ru),
    () => pick(SENTENCES.uk),
    // One long "word" with no separator, alternating Latin and Cyrillic look-alikes.
    () => 'aаoоeеpрcсxх'.repeat(40 + Math.floor(random() * 40)),
  ];
  const separators = [' ', ' ', ' ', '\u00a0', '\t', '\n', '·', '_', '/'];
  const encoder = new TextEncoder();
  let text = '';
  let size = 0;
  while (size < bytes) {
    const piece = pick(pieces)() + pick(separators);
    text += piece;
    size += encoder.encode(piece).length;
  }
  // Cut at a code point boundary at or below the byte budget.
  const chars = [...text];
  while (encoder.encode(chars.join('')).length > bytes) chars.splice(-Math.max(1, Math.floor(chars.length / 1000)));
  return chars.join('');
}

interface Measurement {
  measured: number;
  flagged: number;
  elapsedMs: number;
  rate: number;
  isExtrapolated: boolean;
}

function measure(
  corpus: readonly string[],
  isFlagged: (text: string) => boolean,
  budgetMs = Infinity,
): Measurement {
  let flagged = 0;
  let measured = 0;
  const started = performance.now();
  for (const text of corpus) {
    if (isFlagged(text)) flagged++;
    measured++;
    if (measured % 50 === 0 && performance.now() - started > budgetMs) break;
  }
  const elapsedMs = performance.now() - started;
  return {
    measured,
    flagged,
    elapsedMs,
    rate: (measured / elapsedMs) * 1000,
    isExtrapolated: measured < corpus.length,
  };
}

/** Slices of one corpus as one measurement. */
function combine(slices: readonly Measurement[], corpusSize: number): Measurement {
  const measured = slices.reduce((sum, slice) => sum + slice.measured, 0);
  const elapsedMs = slices.reduce((sum, slice) => sum + slice.elapsedMs, 0);
  return {
    measured,
    flagged: slices.reduce((sum, slice) => sum + slice.flagged, 0),
    elapsedMs,
    rate: (measured / elapsedMs) * 1000,
    isExtrapolated: measured < corpusSize,
  };
}

/** The pass with the median rate. */
function medianOf(measurements: readonly Measurement[]): Measurement {
  const sorted = [...measurements].sort((a, b) => a.rate - b.rate);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('no measurement');
  return median;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  console.log('');
}

/** The service's clock reading, as a request has it (not parsed per comment). */
const NOW = new Date('2026-03-01T12:00:00.000Z');

/** An established author's ordinary comment on an ordinary post, under the given site settings. */
function contextFor(text: string, settings: ModerationSettings): ScreeningContext {
  return {
    text,
    isEdit: false,
    now: NOW,
    site: { id: 'bench', settings },
    post: { closed: false, heat: 'normal' },
    author: { standing: 'active', approvedCount: 25, isVerified: false },
    recent: { recentBodies: [] },
  };
}

/** The categories about what a text says, as the labelled-set test counts them. */
const CONTENT: ReadonlySet<string> = new Set([
  'profanity',
  'slur',
  'dehumanising',
  'violence',
  'threat',
  'insult',
  'self-harm',
  'promotion',
  'evasion',
]);

interface LabelledText {
  text: string;
  language: string;
  categories: FindingCategory[];
}

function loadLabelledSet(): LabelledText[] {
  // Run from bench/ (tsx) or from dist/bench/ (compiled, as `npm run bench:filter` runs it).
  const root = basename(dirname(__dirname)) === 'dist' ? join(__dirname, '../..') : join(__dirname, '..');
  const fixtures = join(root, 'tests/fixtures/moderation');
  const hostility = JSON.parse(readFileSync(join(fixtures, 'labelled-hostility.json'), 'utf8')) as LabelledText[];
  const legacy = (
    JSON.parse(readFileSync(join(fixtures, 'labelled-comments.json'), 'utf8')) as {
      text: string;
      label: 'clean' | 'abusive';
      categories?: FindingCategory[];
    }[]
  ).map((comment): LabelledText => ({
    text: comment.text,
    language: 'en',
    categories: comment.categories ?? (comment.label === 'abusive' ? ['profanity'] : []),
  }));
  return [...legacy, ...hostility];
}

interface Quality {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

function qualityOf(labelled: readonly LabelledText[], isFlagged: (text: string) => boolean): Quality {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const item of labelled) {
    const flagged = isFlagged(item.text);
    const positive = item.categories.length > 0;
    if (flagged && positive) truePositives++;
    else if (flagged) falsePositives++;
    else if (positive) falseNegatives++;
  }
  return {
    precision: truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives),
    recall: truePositives / (truePositives + falseNegatives),
    truePositives,
    falsePositives,
    falseNegatives,
  };
}

const SECTIONS = ['throughput', 'quality', 'hostile'] as const;
type Section = (typeof SECTIONS)[number];

/** `--only <section>`: one part of the benchmark; an unknown part is refused, not ignored. */
function readSections(argv: readonly string[]): ReadonlySet<Section> {
  const at = argv.indexOf('--only');
  if (at < 0) {
    const unknown = argv.find((arg) => arg.startsWith('-'));
    if (unknown !== undefined) throw new Error(`unknown option ${unknown}; use --only ${SECTIONS.join('|')}`);
    return new Set(SECTIONS);
  }
  const wanted = argv[at + 1];
  const section = SECTIONS.find((name) => name === wanted);
  if (section === undefined) throw new Error(`--only needs one of ${SECTIONS.join(', ')} (got ${wanted ?? 'nothing'})`);
  return new Set([section]);
}

function main(): void {
  const sections = readSections(process.argv.slice(2));
  const random = createRandom(SEED);
  const corpus = generateCorpus(random);
  const siteWords = generateSiteWords(random);
  const chars = corpus.reduce((sum, text) => sum + text.length, 0);
  const snapshotMatches = JSON.stringify(new Filter().list) === JSON.stringify(BAD_WORDS_LIST);
  const verdicts: string[] = [];

  const settings: ModerationSettings = { ...DEFAULT_MODERATION_SETTINGS };
  const isEveryCategoryOn = Object.values(settings.categories).every((action) => action !== 'off');
  console.log(
    `corpus: ${CORPUS_SIZE.toLocaleString('en-US')} comments (60% en, 20% ru, 20% uk; 10% with abuse), ${(chars / 1024 / 1024).toFixed(1)} MiB, seed ${SEED}`,
  );
  console.log(
    `parley: the default pipeline, every default lexicon (en, ru, uk) and every category on (${isEveryCategoryOn ? 'yes' : 'NO'}), ${DEFAULT_BANNED_WORDS.length} default list entries`,
  );
  console.log(
    `anchors: bad-words isProfane (${BAD_WORDS_LIST.length} words; snapshot matches installed bad-words: ${snapshotMatches ? 'yes' : 'NO'}); obscenity RegExpMatcher (englishDataset + englishRecommendedTransformers)`,
  );

  const obscenity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  const isFlaggedByObscenity = (text: string): boolean => obscenity.hasMatch(text);

  if (sections.has('throughput')) verdicts.push(measureThroughput(corpus, siteWords, settings, isFlaggedByObscenity));
  if (sections.has('quality')) measureQuality(settings, isFlaggedByObscenity);
  if (sections.has('hostile')) verdicts.push(...measureHostile(settings));

  console.log('');
  for (const verdict of verdicts) console.log(verdict);
  if (verdicts.some((verdict) => verdict.startsWith('FAIL'))) process.exitCode = 1;
}

function measureThroughput(
  corpus: readonly string[],
  siteWords: readonly string[],
  settings: ModerationSettings,
  isFlaggedByObscenity: (text: string) => boolean,
): string {
  const rows: string[][] = [];
  const speedUps: { label: string; speedUp: number }[] = [];
  for (const [label, extra] of [
    ['default lexicons', [] as readonly string[]],
    [`default + ${EXTRA_WORDS} site words`, siteWords],
  ] as const) {
    const buildStarted = performance.now();
    const screen = createScreener();
    const siteSettings: ModerationSettings = { ...settings, bannedWords: [...extra] };
    const isFlaggedByParley = (text: string): boolean => screen(contextFor(text, siteSettings)).action !== 'publish';
    isFlaggedByParley('warm the site filter cache');
    const buildMs = performance.now() - buildStarted;
    const badWords = new Filter();
    if (extra.length > 0) badWords.addWords(...extra);
    const isFlaggedByBadWords = (text: string): boolean => badWords.isProfane(text);
    const anchors: { name: string; isFlagged: (text: string) => boolean; slices: Measurement[] }[] = [
      { name: 'bad-words isProfane', isFlagged: isFlaggedByBadWords, slices: [] },
    ];
    // obscenity cannot take a site's own words in the same way; it is measured with its dataset only.
    if (extra.length === 0) anchors.push({ name: 'obscenity RegExpMatcher', isFlagged: isFlaggedByObscenity, slices: [] });

    measure(corpus, isFlaggedByParley); // warm-up pass: the JIT compiles the hot paths
    for (const anchor of anchors) measure(corpus.slice(0, ANCHOR_WARM_UP), anchor.isFlagged);
    const passes: Measurement[] = [];
    const sliceSize = Math.ceil(corpus.length / PARLEY_PASSES);
    for (let turn = 0; turn < PARLEY_PASSES; turn++) {
      passes.push(measure(corpus, isFlaggedByParley));
      const slice = corpus.slice(turn * sliceSize, (turn + 1) * sliceSize);
      for (const anchor of anchors) anchor.slices.push(measure(slice, anchor.isFlagged, ANCHOR_BUDGET_MS / PARLEY_PASSES));
    }
    const ours = medianOf(passes);
    rows.push([
      label,
      'parley pipeline',
      `${ours.measured}`,
      `${ours.elapsedMs.toFixed(0)} ms`,
      formatRate(ours.rate),
      `${ours.flagged}`,
      `build ${buildMs.toFixed(1)} ms; median of ${PARLEY_PASSES} passes (${passes.map((pass) => formatRate(pass.rate)).join(', ')})`,
    ]);
    for (const anchor of anchors) {
      const theirs = combine(anchor.slices, corpus.length);
      rows.push([
        label,
        anchor.name,
        `${theirs.measured}`,
        `${theirs.elapsedMs.toFixed(0)} ms`,
        formatRate(theirs.rate),
        `${theirs.flagged}`,
        theirs.isExtrapolated ? `extrapolated: ${(CORPUS_SIZE / theirs.rate).toFixed(0)} s for all ${CORPUS_SIZE}` : '',
      ]);
      rows.push([label, `parley ÷ ${anchor.name.split(' ')[0] ?? anchor.name}`, '', '', `${(ours.rate / theirs.rate).toFixed(1)}×`, '', '']);
      if (anchor.isFlagged === isFlaggedByBadWords) speedUps.push({ label, speedUp: ours.rate / theirs.rate });
    }
  }
  printTable(['configuration', 'filter', 'comments', 'time', 'comments/s', 'flagged', 'note'], rows);
  console.log(
    'flagged counts differ by design: Parley reads evasions (f.u.c.k, b!tch, fuuuck), Russian and Ukrainian, and ' +
      'holds or rejects by category; the anchors read English list words only.',
  );
  const isFast = speedUps.every(({ speedUp }) => speedUp >= TARGET_SPEED_UP);
  return `${isFast ? 'PASS' : 'FAIL'}: throughput target ≥ ${TARGET_SPEED_UP}× bad-words isProfane in both configurations (${speedUps
    .map(({ label, speedUp }) => `${label} ${speedUp.toFixed(1)}×`)
    .join(', ')})`;
}

function measureQuality(settings: ModerationSettings, isFlaggedByObscenity: (text: string) => boolean): void {
  const labelled = loadLabelledSet();
  const screen = createScreener();
  const perCategory = new Map<string, { expected: number; found: number }>();
  const parleyQuality = qualityOf(labelled, (text) => {
    const outcome = screen(contextFor(text, settings));
    return outcome.action !== 'publish' && outcome.findings.some((finding) => CONTENT.has(finding.category));
  });
  for (const item of labelled) {
    const found = new Set(screen(contextFor(item.text, settings)).findings.map((finding) => finding.category));
    for (const category of item.categories) {
      const counts = perCategory.get(category) ?? { expected: 0, found: 0 };
      counts.expected++;
      if (found.has(category)) counts.found++;
      perCategory.set(category, counts);
    }
  }
  const badWords = new Filter();
  const qualities: [string, Quality][] = [
    ['parley pipeline', parleyQuality],
    ['bad-words isProfane', qualityOf(labelled, (text) => badWords.isProfane(text))],
    ['obscenity RegExpMatcher', qualityOf(labelled, isFlaggedByObscenity)],
  ];
  const positives = labelled.filter((item) => item.categories.length > 0).length;
  const cyrillic = labelled.filter((item) => item.language === 'ru' || item.language === 'uk').length;
  console.log('');
  console.log(
    `labelled set: ${labelled.length} texts (${positives} that should be flagged, ${labelled.length - positives} that should publish; ${cyrillic} in Russian or Ukrainian)`,
  );
  printTable(
    ['filter', 'precision', 'recall', 'true +', 'false +', 'missed'],
    qualities.map(([name, quality]) => [
      name,
      quality.precision.toFixed(3),
      quality.recall.toFixed(3),
      `${quality.truePositives}`,
      `${quality.falsePositives}`,
      `${quality.falseNegatives}`,
    ]),
  );
  console.log(
    `parley recall by category: ${[...perCategory]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([category, counts]) => `${category} ${(counts.found / counts.expected).toFixed(2)} (${counts.found}/${counts.expected})`)
      .join(', ')}`,
  );

}

function measureHostile(settings: ModerationSettings): string[] {
  const verdicts: string[] = [];
  const hostile = generateHostileComment(createRandom(SEED + 1), HOSTILE_BYTES);
  const hostileSmall = generateHostileComment(createRandom(SEED + 1), HOSTILE_SMALL_BYTES);
  // The site's length limit would refuse these at once; lift it so every phase reads the whole text.
  const unlimited: ModerationSettings = { ...settings, maxLength: Number.MAX_SAFE_INTEGER };
  const judgeTimes = (text: string): { median: number; cpuMedian: number; action: string; findings: number } => {
    const hostileScreen = createScreener();
    const outcome = hostileScreen(contextFor(text, unlimited));
    for (let i = 0; i < 3; i++) hostileScreen(contextFor(text, unlimited));
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let run = 0; run < HOSTILE_RUNS; run++) {
      // A different last character each run: the pipeline keeps the reading of the last text it saw.
      const copy = `${text.slice(0, -1)}${String.fromCharCode(0x30 + (run % 10))}`;
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      hostileScreen(contextFor(copy, unlimited));
      times.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuStarted);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    return { median: median(times), cpuMedian: median(cpuTimes), action: outcome.action, findings: outcome.findings.length };
  };
  const large = judgeTimes(hostile);
  const small = judgeTimes(hostileSmall);
  const ratio = large.median / small.median;
  console.log('');
  console.log(
    `hostile comment: ${new TextEncoder().encode(hostile).length} bytes, ${hostile.length} UTF-16 units, mixed scripts and separators; verdict ${large.action} with ${large.findings} findings`,
  );
  console.log(
    `  64 kB: median ${large.median.toFixed(2)} ms wall clock, ${large.cpuMedian.toFixed(2)} ms CPU over ${HOSTILE_RUNS} runs; 16 kB prefix: median ${small.median.toFixed(2)} ms wall clock, ${small.cpuMedian.toFixed(2)} ms CPU; 64 kB ÷ 16 kB = ${ratio.toFixed(2)}× (linear 4×, quadratic 16×)`,
  );
  // The target is the time a comment waits for its verdict: the wall clock. The process's CPU time is printed beside
  // it; it also counts the garbage collector's helper threads on the other cores, so it can exceed the wall clock.
  verdicts.push(
    `${large.median < HOSTILE_TARGET_MS ? 'PASS' : 'FAIL'}: 64 kB hostile comment judged in ${large.median.toFixed(2)} ms wall clock (target < ${HOSTILE_TARGET_MS} ms; ${large.cpuMedian.toFixed(2)} ms of process CPU)`,
  );
  verdicts.push(
    `${ratio < LINEARITY_LIMIT ? 'PASS' : 'FAIL'}: judge time grows linearly, 64 kB ÷ 16 kB = ${ratio.toFixed(2)}× (limit < ${LINEARITY_LIMIT}×)`,
  );
  return verdicts;
}

main();

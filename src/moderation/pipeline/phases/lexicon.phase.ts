import type { Finding, FindingCategory, ModerationSettings } from '../../../contracts/moderation';
import { compileLexicon, DEFAULT_LEXICON, readTokens, type Lexicon, type LexiconMatch, type Token } from '../../lexicon';
import type { Phase, PhaseResult } from '../../pipeline-types';
import { readText, type TextReading } from '../../text';
import { actionFor } from '../category-action';

/** Categories whose words are often *mentioned* rather than used: quoted, or after "calling …", "the word …". */
const MENTIONABLE: ReadonlySet<FindingCategory> = new Set(['slur', 'dehumanising', 'violence', 'insult']);
const META_WINDOW = 4;
const MAX_FINDINGS = 50;

// Messenger and channel links: promotion whatever the words around them say.
const MESSENGER_LINK =
  /(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.(?:me|dog)|wa\.me|chat\.whatsapp\.com|discord\.gg|discord(?:app)?\.com\/invite|vk\.me|invite\.viber\.com|signal\.(?:me|group))\/[\w+\-/]+/giu;
// An address down to the flat: street, house number, flat (en, ru, uk).
const ADDRESS_WITH_FLAT = [
  /\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}\s+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Place|Close)\.?,?\s+\d{1,4}[a-z]?,?\s*(?:flat|apt\.?|apartment|unit)\s*\d{1,4}\b/gu,
  /\b\d{1,4}[a-z]?,?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}\s+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Place|Close)\.?,?\s*(?:flat|apt\.?|apartment|unit)\s*\d{1,4}\b/gu,
  /(?:ул(?:ица|\.)?|вул(?:иця|\.)?|проспект|просп\.?|пр-т|пер(?:еулок|\.)?|пров(?:улок|\.)?)\s*[\p{L}'’-]+(?:\s+[\p{L}'’-]+)?,?\s*(?:д(?:ом|\.)?|буд(?:инок|\.)?)?\s*\d{1,4}[\p{L}]?,?\s*(?:кв(?:артира|\.)?)\s*\d{1,4}/giu,
];

/** Every address pattern names the flat: a text without one of these words has no address (a quick test first). */
export const MAY_NAME_FLAT = /flat|apt|apartment|unit|кв/iu;

const tokensOfReading = new WeakMap<TextReading, Token[]>();

function tokensOf(reading: TextReading): Token[] {
  let tokens = tokensOfReading.get(reading);
  if (tokens === undefined) {
    tokens = readTokens(reading.text, reading.folded);
    tokensOfReading.set(reading, tokens);
  }
  return tokens;
}

/**
 * Whether the words at tokens `[first, last]` are talked *about* rather than
 * used: quoted, or shortly after a word such as "calling", "the word",
 * "называть", "слово".
 */
export function isMention(lexicon: Lexicon, tokens: readonly Token[], first: number, last: number): boolean {
  for (let index = first; index <= last; index++) if (tokens[index]?.isQuoted === true) return true;
  const sentence = tokens[first]?.sentence;
  for (let index = Math.max(0, first - META_WINDOW); index < first; index++) {
    if (tokens[index]?.sentence === sentence && lexicon.isInClass('meta', tokens, index)) return true;
  }
  return false;
}

/** The token indices `[first, last]` covering a span of the text (for matches found by the word filter). */
export function tokensAt(
  tokens: readonly Token[],
  span: readonly [number, number],
): [number, number] | undefined {
  let first = -1;
  let last = -1;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token === undefined || token.end <= span[0]) continue;
    if (token.start >= span[1]) break;
    if (first < 0) first = index;
    last = index;
  }
  return first < 0 ? undefined : [first, last];
}

/** The tokens of a text (read once per text). */
export function tokensOfText(text: string): Token[] {
  return tokensOf(readText(text));
}

const siteLexicons = new WeakMap<object, { banned: Lexicon; suspect: Lexicon } | null>();

/** A site's own words in scripts other than Latin: whole words with their endings (stem~), never inside other words. */
export function siteLexiconOf(settings: Pick<ModerationSettings, 'bannedWords' | 'suspectWords'>) {
  const cached = siteLexicons.get(settings);
  if (cached !== undefined) return cached;
  const compile = (words: readonly string[], list: string): Lexicon =>
    compileLexicon(
      [
        {
          language: 'site',
          category: 'site-words',
          entries: words
            .filter((word) => /[^\p{Script=Latin}\s\d'’-]/u.test(word))
            .map((word, index) => ({ id: `site.${list}.${index}`, match: [sitePattern(word)], note: word })),
        },
      ],
      [],
    );
  const hasNonLatin = [...settings.bannedWords, ...settings.suspectWords].some((word) =>
    /[^\p{Script=Latin}\s\d'’-]/u.test(word),
  );
  const value = hasNonLatin
    ? { banned: compile(settings.bannedWords, 'banned'), suspect: compile(settings.suspectWords, 'suspect') }
    : null;
  siteLexicons.set(settings, value);
  return value;
}

/** `пизда` → `пизд~` (пизда, пизды, пизде); a word of three letters or fewer stays whole. */
function sitePattern(word: string): string {
  const lower = word.toLowerCase().trim();
  if (lower.includes(' ') || [...lower].length <= 3) return lower;
  const last = lower[lower.length - 1] ?? '';
  const stem = 'аяоеёуюыиійьъєї'.includes(last) ? lower.slice(0, -1) : lower;
  return `${stem}~`;
}

/**
 * The curated lexicons (slurs, dehumanising language, calls for violence,
 * threats, insults, self-harm incitement, promotion; мат for ru and uk) and the
 * site's own non-Latin words. Latin words of the lexicons are matched by the
 * word filter (words phase), which reads leet and separators.
 */
export function createLexiconPhase(options: { lexicon?: Lexicon } = {}): Phase {
  const lexicon = options.lexicon ?? DEFAULT_LEXICON;
  return ({ text, site }) => {
    const tokens = tokensOf(readText(text));
    return lexiconFindings(text, site.settings, lexicon, tokens, lexicon.scan(tokens), true);
  };
}

/**
 * The lexicon phase's result for `text`: `matches` are what `lexicon` found in
 * its `tokens`; the site's own words are looked for when `hasSiteWords`
 * (false only when no token can be one), messenger links and addresses in
 * the text (addresses unless `mayHoldAddress` is false: no digits, or no word
 * for a flat).
 */
export function lexiconFindings(
  text: string,
  settings: ModerationSettings,
  lexicon: Lexicon,
  tokens: readonly Token[],
  matches: readonly LexiconMatch[],
  hasSiteWords: boolean,
  mayHoldAddress = true,
): PhaseResult | undefined {
  const findings: Finding[] = [];
  // One finding per category and stretch of text: the first (the more precise entry) names it.
  const add = (finding: Finding): void => {
    if (findings.length >= MAX_FINDINGS) return;
    if (findings.some((other) => other.category === finding.category && overlaps(other.span, finding.span))) return;
    findings.push(finding);
  };
  for (const match of matches) {
    const { entry } = match;
    if (MENTIONABLE.has(entry.category) && isMention(lexicon, tokens, match.first, match.last)) continue;
    const action = actionFor(settings, entry.category, entry.isUnsure);
    if (action === undefined) continue;
    const start = tokens[match.first]?.start ?? 0;
    const end = tokens[match.last]?.end ?? start;
    add({
      rule: `lexicon.${entry.id}`,
      category: entry.category,
      detail: `${entry.note} Found: "${text.slice(start, end)}".${entry.isUnsure ? ' Held: the reading depends on context.' : ''}`,
      span: [start, end],
      action,
    });
  }
  const siteLexicon = hasSiteWords ? siteLexiconOf(settings) : null;
  if (siteLexicon !== null) {
    for (const [list, compiled] of [
      ['banned', siteLexicon.banned],
      ['suspect', siteLexicon.suspect],
    ] as const) {
      for (const match of compiled.scan(tokens)) {
        const start = tokens[match.first]?.start ?? 0;
        const end = tokens[match.last]?.end ?? start;
        add({
          rule: list === 'banned' ? 'words.banned' : 'words.suspect',
          category: 'site-words',
          detail: `${list === 'banned' ? 'Banned' : 'Suspect'} word "${match.entry.note}" written as "${text.slice(start, end)}" (the site's list).`,
          span: [start, end],
          action: list === 'banned' ? 'reject' : 'hold',
        });
      }
    }
  }
  const promotion = actionFor(settings, 'promotion', false);
  if (promotion !== undefined && text.includes('/')) {
    for (const link of text.matchAll(MESSENGER_LINK)) {
      add({
        rule: 'promotion.messenger-link',
        category: 'promotion',
        detail: `A link to a messenger or channel (${link[0]}).`,
        span: [link.index, link.index + link[0].length],
        action: promotion,
      });
    }
  }
  if (mayHoldAddress) for (const finding of findAddresses(text, settings)) add(finding);
  if (findings.length === 0) return undefined;
  return { action: findings.some((finding) => finding.action === 'reject') ? 'reject' : 'hold', findings };
}

/**
 * Street addresses down to the flat (`threat`, possibly doxxing), unless the
 * site turned threats off. Only a text with digits can hold one.
 */
export function findAddresses(text: string, settings: Pick<ModerationSettings, 'categories'>): Finding[] {
  const found: Finding[] = [];
  const threat = actionFor(settings, 'threat', true);
  if (threat === undefined || !/\d/.test(text) || !MAY_NAME_FLAT.test(text)) return found;
  for (const pattern of ADDRESS_WITH_FLAT) {
    for (const address of text.matchAll(pattern)) {
      found.push({
        rule: 'threat.address',
        category: 'threat',
        detail: "A street address down to the flat: possibly someone's home made public (doxxing).",
        span: [address.index, address.index + address[0].length],
        action: threat,
      });
    }
  }
  return found;
}

function overlaps(
  a: readonly [number, number] | undefined,
  b: readonly [number, number] | undefined,
): boolean {
  if (a === undefined || b === undefined) return false;
  return a[0] < b[1] && b[0] < a[1];
}

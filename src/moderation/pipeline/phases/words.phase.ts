import type { Finding, ModerationSettings } from '../../../contracts/moderation';
import { createWordFilter, DEFAULT_BANNED_WORDS, type WordFilter, type WordMatch } from '../../filter';
import type { Phase, PhaseResult, ScreeningContext } from '../../pipeline-types';
import { DEFAULT_LATIN_LEXICON_WORDS, DEFAULT_LEXICON, type Token } from '../../lexicon';
import { actionFor } from '../category-action';
import { isMention, tokensAt, tokensOfText } from './lexicon.phase';

export type SiteRef = ScreeningContext['site'];

export interface WordsPhaseOptions {
  /** The filter for a site's current lists; expected to be cached by the caller. */
  filterFor: (site: SiteRef) => WordFilter;
}

/**
 * Banned words reject, suspect words hold; each match is a finding with its span.
 * Matches from the default list are `profanity` and follow the site's setting for
 * it; Latin words of the curated lexicons (slurs, transliterated мат) take their
 * entry's category; the site's own lists are `site-words` and keep their
 * banned/suspect meaning.
 */
function spansSpare(spares: readonly string[], tokens: readonly Token[]): boolean {
  return spares.length > 0 && tokens.some((token) => spares.some((spare) => token.key.includes(spare)));
}

export function createWordsPhase({ filterFor }: WordsPhaseOptions): Phase {
  return ({ text, site }) => wordFindings(text, site.settings, filterFor(site).scan(text), () => tokensOfText(text));
}

/**
 * The words phase's result for the word filter's matches in `text` (as
 * `WordFilter.scan` gives them); `tokensOf` gives the text's lexicon tokens
 * (asked only when a lexicon entry matched).
 */
export function wordFindings(
  text: string,
  settings: ModerationSettings,
  found: readonly WordMatch[],
  tokensOf: () => readonly Token[],
): PhaseResult | undefined {
  if (found.length === 0) return undefined;
  const matches = onePerSpan(found);
  const siteWords = siteWordSet(settings);
  const findings: Finding[] = [];
  /** Per lexicon rule, the furthest end of its findings so far. */
  const ruleEnds = new Map<string, number>();
  for (const match of matches) {
    const isSiteWord = siteWords.has(match.word.toLowerCase());
    const entry = isSiteWord ? undefined : DEFAULT_LATIN_LEXICON_WORDS.get(match.word);
    const matched = text.slice(match.span[0], match.span[1]);
    const spelled = matched.toLowerCase() === match.word.toLowerCase() ? '' : ` written as "${matched}"`;
    if (isSiteWord) {
      const label = match.list === 'banned' ? 'Banned' : 'Suspect';
      findings.push({
        rule: match.list === 'banned' ? 'words.banned' : 'words.suspect',
        category: 'site-words',
        detail: `${label} word "${match.word}"${spelled} (the site's list).`,
        span: match.span,
        action: match.list === 'banned' ? 'reject' : 'hold',
      });
      continue;
    }
    if (entry !== undefined) {
      const tokens = tokensOf();
      const at = tokensAt(tokens, match.span);
      // The entry's innocent words (the surname Moskalenko for `moskal`) are spared here as in the lexicon phase.
      if (at !== undefined && spansSpare(entry.spares, tokens.slice(at[0], at[1] + 1))) continue;
      if (at !== undefined && entry.category !== 'profanity' && isMention(DEFAULT_LEXICON, tokens, at[0], at[1]))
        continue;
      const action = actionFor(settings, entry.category, entry.isUnsure);
      if (action === undefined) continue;
      const rule = `lexicon.${entry.id}`;
      // Matches come in order of their start: an earlier finding of the rule overlaps this one when it ends after its start.
      if ((ruleEnds.get(rule) ?? -1) > match.span[0]) continue;
      ruleEnds.set(rule, Math.max(ruleEnds.get(rule) ?? -1, match.span[1]));
      findings.push({
        rule,
        category: entry.category,
        detail: `${entry.note} Found: "${matched}".${entry.isUnsure ? ' Held: the reading depends on context.' : ''}`,
        span: match.span,
        action,
      });
      continue;
    }
    const profanity = actionFor(settings, 'profanity', false);
    if (profanity === undefined) continue;
    const isBanned = match.list === 'banned';
    findings.push({
      rule: isBanned ? 'words.banned' : 'words.suspect',
      category: 'profanity',
      detail: `${isBanned ? 'Banned' : 'Suspect'} word "${match.word}"${spelled}.`,
      span: match.span,
      action: isBanned ? profanity : 'hold',
    });
  }
  if (findings.length === 0) return undefined;
  return { action: findings.some((finding) => finding.action === 'reject') ? 'reject' : 'hold', findings };
}

const siteWordSets = new WeakMap<object, Set<string>>();

function siteWordSet(settings: Pick<ModerationSettings, 'bannedWords' | 'suspectWords'>): Set<string> {
  let words = siteWordSets.get(settings);
  if (words === undefined) {
    words = new Set([...settings.bannedWords, ...settings.suspectWords].map((word) => word.toLowerCase()));
    siteWordSets.set(settings, words);
  }
  return words;
}

/**
 * A masked word (`f**k`) can match several entries over the same characters;
 * a moderator needs one finding per highlighted span and list.
 */
function onePerSpan(matches: readonly WordMatch[]): WordMatch[] {
  const seen = new Set<string>();
  return matches.filter((match) => {
    const key = `${match.list}:${match.span[0]}:${match.span[1]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function feedHash(hash: number, value: string): number {
  let next = hash;
  for (let index = 0; index < value.length; index++) {
    next ^= value.charCodeAt(index);
    next = Math.imul(next, 0x01000193) >>> 0;
  }
  return next;
}

/** FNV-1a over the site's lists: a change to either list gives a new cache key. */
export function hashWordLists(settings: Pick<ModerationSettings, 'bannedWords' | 'suspectWords'>): string {
  let hash = 0x811c9dc5;
  for (const word of settings.bannedWords) hash = feedHash(feedHash(hash, word), '\u0000');
  hash = feedHash(hash, '\u0001');
  for (const word of settings.suspectWords) hash = feedHash(feedHash(hash, word), '\u0000');
  return `${hash.toString(16)}:${settings.bannedWords.length}:${settings.suspectWords.length}`;
}

interface ListsHash {
  banned: readonly string[];
  suspect: readonly string[];
  bannedCopy: readonly string[];
  suspectCopy: readonly string[];
  hash: string;
}

const listHashes = new WeakMap<object, ListsHash>();

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * The lists' hash, computed once per settings object. Comparing the lists with
 * the copies taken when it was computed is far cheaper than hashing them again,
 * and still notices an edit made in place.
 */
function cachedHashOf(settings: Pick<ModerationSettings, 'bannedWords' | 'suspectWords'>): string {
  const cached = listHashes.get(settings);
  if (
    cached !== undefined &&
    cached.banned === settings.bannedWords &&
    cached.suspect === settings.suspectWords &&
    sameWords(cached.bannedCopy, settings.bannedWords) &&
    sameWords(cached.suspectCopy, settings.suspectWords)
  )
    return cached.hash;
  const hash = hashWordLists(settings);
  listHashes.set(settings, {
    banned: settings.bannedWords,
    suspect: settings.suspectWords,
    bannedCopy: [...settings.bannedWords],
    suspectCopy: [...settings.suspectWords],
    hash,
  });
  return hash;
}

/**
 * A small least-recently-used cache of site filters keyed by site id and list
 * hash, so a list edit takes effect on the next comment and one site's words
 * never reach another's filter.
 */
export function createSiteFilterCache(options: { maxSites?: number } = {}): (site: SiteRef) => WordFilter {
  const maxSites = options.maxSites ?? 200;
  const filters = new Map<string, WordFilter>();
  let lastId = '';
  let lastHash = '';
  let last: WordFilter | undefined;
  return (site) => {
    const hash = cachedHashOf(site.settings);
    // The site asked about last is already the most recently used (no key string to build).
    if (last !== undefined && site.id === lastId && hash === lastHash) return last;
    const key = `${site.id}\u0000${hash}`;
    const cached = filters.get(key);
    if (cached !== undefined) {
      filters.delete(key);
      filters.set(key, cached);
      lastId = site.id;
      lastHash = hash;
      last = cached;
      return cached;
    }
    const filter = createWordFilter({
      banned: [...DEFAULT_BANNED_WORDS, ...DEFAULT_LATIN_LEXICON_WORDS.keys(), ...site.settings.bannedWords],
      suspect: site.settings.suspectWords,
    });
    filters.set(key, filter);
    lastId = site.id;
    lastHash = hash;
    last = filter;
    while (filters.size > maxSites) {
      const oldest = filters.keys().next();
      if (oldest.done === true) break;
      filters.delete(oldest.value);
    }
    return filter;
  };
}

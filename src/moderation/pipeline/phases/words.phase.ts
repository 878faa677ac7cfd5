import type { Finding, ModerationSettings } from '../../../contracts/moderation';
import { createWordFilter, DEFAULT_BANNED_WORDS, type WordFilter, type WordMatch } from '../../filter';
import type { Phase, ScreeningContext } from '../../pipeline-types';
import { readText } from '../../text';

export type SiteRef = ScreeningContext['site'];

export interface WordsPhaseOptions {
  /** The filter for a site's current lists; expected to be cached by the caller. */
  filterFor: (site: SiteRef) => WordFilter;
}

/**
 * Banned words reject, suspect words hold; each match is a finding with its span.
 * Matches from the default list are `profanity` and follow the site's setting for
 * it; the site's own lists are `site-words` and keep their banned/suspect meaning.
 */
export function createWordsPhase({ filterFor }: WordsPhaseOptions): Phase {
  return ({ text, site }) => {
    const matches = onePerSpan(filterFor(site).scan(readText(text).folded));
    if (matches.length === 0) return undefined;
    const siteWords = siteWordSet(site.settings);
    const profanity = site.settings.categories.profanity;
    const findings: Finding[] = [];
    for (const match of matches) {
      const isSiteWord = siteWords.has(match.word.toLowerCase());
      if (!isSiteWord && profanity === 'off') continue;
      const label = match.list === 'banned' ? 'Banned' : 'Suspect';
      const matched = text.slice(match.span[0], match.span[1]);
      findings.push({
        rule: match.list === 'banned' ? 'words.banned' : 'words.suspect',
        category: isSiteWord ? 'site-words' : 'profanity',
        detail:
          matched.toLowerCase() === match.word.toLowerCase()
            ? `${label} word "${match.word}"${isSiteWord ? " (the site's list)" : ''}.`
            : `${label} word "${match.word}" written as "${matched}"${isSiteWord ? " (the site's list)" : ''}.`,
        span: match.span,
        action: isSiteWord
          ? match.list === 'banned'
            ? 'reject'
            : 'hold'
          : profanity === 'hold'
            ? 'hold'
            : 'reject',
      });
    }
    if (findings.length === 0) return undefined;
    return { action: findings.some((finding) => finding.action === 'reject') ? 'reject' : 'hold', findings };
  };
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

/** FNV-1a over the site's lists: a change to either list gives a new cache key. */
export function hashWordLists(settings: Pick<ModerationSettings, 'bannedWords' | 'suspectWords'>): string {
  let hash = 0x811c9dc5;
  const feed = (value: string): void => {
    for (let index = 0; index < value.length; index++) {
      hash ^= value.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  for (const word of settings.bannedWords) feed(`${word}\u0000`);
  feed('\u0001');
  for (const word of settings.suspectWords) feed(`${word}\u0000`);
  return `${hash.toString(16)}:${settings.bannedWords.length}:${settings.suspectWords.length}`;
}

/**
 * A small least-recently-used cache of site filters keyed by site id and list
 * hash, so a list edit takes effect on the next comment and one site's words
 * never reach another's filter.
 */
export function createSiteFilterCache(options: { maxSites?: number } = {}): (site: SiteRef) => WordFilter {
  const maxSites = options.maxSites ?? 200;
  const filters = new Map<string, WordFilter>();
  return (site) => {
    const key = `${site.id}\u0000${hashWordLists(site.settings)}`;
    const cached = filters.get(key);
    if (cached !== undefined) {
      filters.delete(key);
      filters.set(key, cached);
      return cached;
    }
    const filter = createWordFilter({
      banned: [...DEFAULT_BANNED_WORDS, ...site.settings.bannedWords],
      suspect: site.settings.suspectWords,
    });
    filters.set(key, filter);
    while (filters.size > maxSites) {
      const oldest = filters.keys().next();
      if (oldest.done === true) break;
      filters.delete(oldest.value);
    }
    return filter;
  };
}

import type { Finding, ModerationSettings } from '../../../contracts/moderation';
import { createWordFilter, DEFAULT_BANNED_WORDS, type WordFilter, type WordMatch } from '../../filter';
import type { Phase, ScreeningContext } from '../../pipeline-types';

export type SiteRef = ScreeningContext['site'];

export interface WordsPhaseOptions {
  /** The filter for a site's current lists; expected to be cached by the caller. */
  filterFor: (site: SiteRef) => WordFilter;
}

/** Banned words reject, suspect words hold; each match is a finding with its span. */
export function createWordsPhase({ filterFor }: WordsPhaseOptions): Phase {
  return ({ text, site }) => {
    const matches = onePerSpan(filterFor(site).scan(text));
    if (matches.length === 0) return undefined;
    const findings: Finding[] = matches.map((match) => ({
      rule: match.list === 'banned' ? 'words.banned' : 'words.suspect',
      detail:
        match.matched.toLowerCase() === match.word.toLowerCase()
          ? `${match.list === 'banned' ? 'Banned' : 'Suspect'} word "${match.word}".`
          : `${match.list === 'banned' ? 'Banned' : 'Suspect'} word "${match.word}" written as "${match.matched}".`,
      span: match.span,
      action: match.list === 'banned' ? 'reject' : 'hold',
    }));
    const hasBanned = matches.some((match) => match.list === 'banned');
    return { action: hasBanned ? 'reject' : 'hold', findings };
  };
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

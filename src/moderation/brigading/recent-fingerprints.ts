import type { Clock } from '../../shared/clock';
import { MAX_COMPARED, type BrigadingRepository, type FingerprintRecord } from './brigading.repository';
import { createSketchIndex, type SketchIndex } from './sketch-index';

/**
 * How long one look at a site's (or a post's) stored fingerprints answers the checks
 * that follow it. Fingerprints recorded by this instance are seen at once; those of
 * other instances within this (they are recorded after their comment is stored, so
 * they lag anyway).
 */
export const FINGERPRINT_READ_FRESH_MS = 500;
/**
 * A look that follows an earlier one asks for the ids of the fingerprints created from
 * this long before that look began, and reads in full only those it does not hold: a
 * busy site's window (up to MAX_COMPARED sketches) is read and decoded whole once, not
 * twice a second. A fingerprint is stored moments after its comment; one stored later
 * than this after it is still seen by the next full look.
 */
export const FINGERPRINT_READ_OVERLAP_MS = 10_000;
/** The ids of the whole window are asked for again at least this often. */
export const FINGERPRINT_FULL_READ_MS = 60_000;
/** Fingerprints kept this long after they left the window of the latest check. */
const PRUNE_SLACK_MS = 60_000;
/** Windows kept before those unused for FINGERPRINT_READ_FRESH_MS are dropped. */
const WINDOWS_KEPT = 256;

/** The recent fingerprints of a site or a post, as of one check. */
export interface FingerprintWindow {
  /** Newest first, at most MAX_COMPARED, created at or after the check's `since`. */
  newestFirst(): FingerprintRecord[];
  /** One fingerprint per other author (their newest) whose sketch is a near-duplicate of this one, newest first. */
  nearDuplicatesOf(sketch: readonly number[] | undefined, authorId: string): FingerprintRecord[];
}

export interface RecentFingerprints {
  /** Stores a fingerprint; the windows held here see it at once. */
  addFingerprint(record: FingerprintRecord): Promise<void>;
  onSite(site: string, since: Date): Promise<FingerprintWindow>;
  onPost(postId: string, since: Date): Promise<FingerprintWindow>;
}

interface HeldWindow {
  /** Oldest first: the newest MAX_COMPARED fingerprints seen (stored, or recorded here). */
  readonly sorted: FingerprintRecord[];
  readonly byComment: Map<string, FingerprintRecord>;
  readonly index: SketchIndex;
  /** Everything stored from this time on has been read (the oldest `since` asked for). */
  loadedSince: number;
  isLoaded: boolean;
  lookedAt: number;
  fullAt: number;
  usedAt: number;
  looking: Promise<void> | undefined;
}

const newer = (a: FingerprintRecord, b: FingerprintRecord): number => b.createdAt.getTime() - a.createdAt.getTime();

function holdWindow(): HeldWindow {
  return { sorted: [], byComment: new Map(), index: createSketchIndex(), loadedSince: Infinity, isLoaded: false, lookedAt: 0, fullAt: 0, usedAt: 0, looking: undefined };
}

/** Files a fingerprint by its time; past MAX_COMPARED the oldest leaves (no check compares more). */
function addTo(window: HeldWindow, fingerprint: FingerprintRecord): void {
  if (window.byComment.has(fingerprint.commentId)) return;
  const at = fingerprint.createdAt.getTime();
  const { sorted } = window;
  if (sorted.length >= MAX_COMPARED && at < (sorted[0]?.createdAt.getTime() ?? -Infinity)) return;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle]?.createdAt.getTime() ?? 0) <= at) low = middle + 1;
    else high = middle;
  }
  sorted.splice(low, 0, fingerprint);
  window.byComment.set(fingerprint.commentId, fingerprint);
  window.index.add(fingerprint);
  if (sorted.length > MAX_COMPARED) dropOldest(window, sorted.length - MAX_COMPARED);
}

function dropOldest(window: HeldWindow, count: number): void {
  for (const gone of window.sorted.splice(0, count)) {
    window.byComment.delete(gone.commentId);
    window.index.remove(gone);
  }
}

function viewOf(window: HeldWindow, since: number): FingerprintWindow {
  return {
    newestFirst() {
      const list: FingerprintRecord[] = [];
      for (let at = window.sorted.length - 1; at >= 0; at--) {
        const fingerprint = window.sorted[at];
        if (!fingerprint || fingerprint.createdAt.getTime() < since) break;
        list.push(fingerprint);
      }
      return list;
    },
    nearDuplicatesOf(sketch, authorId) {
      if (!sketch) return [];
      const found = window.index
        .nearDuplicatesOf(sketch)
        .filter((fingerprint) => fingerprint.authorId !== authorId && fingerprint.createdAt.getTime() >= since)
        .sort(newer);
      const byAuthor = new Map<string, FingerprintRecord>();
      for (const fingerprint of found) if (!byAuthor.has(fingerprint.authorId)) byAuthor.set(fingerprint.authorId, fingerprint);
      return [...byAuthor.values()];
    },
  };
}

interface WindowSource {
  recent(since: Date): Promise<FingerprintRecord[]>;
  recentIds(since: Date): Promise<string[]>;
}

/**
 * The windows of recent fingerprints, held per site and post and kept up to date with
 * small reads: the first look reads the window whole; later ones, at most every
 * FINGERPRINT_READ_FRESH_MS and shared by the checks meanwhile, ask for the ids created
 * since shortly before the last look (the whole window's every FINGERPRINT_FULL_READ_MS)
 * and read only the fingerprints not held. A check costs the few sketches that share a
 * band with its own (see sketch-index.ts), not a pass over the window.
 */
export function createRecentFingerprints(repository: BrigadingRepository, clock: Clock): RecentFingerprints {
  const bySite = new Map<string, HeldWindow>();
  const byPost = new Map<string, HeldWindow>();

  const forgetUnused = (windows: Map<string, HeldWindow>, now: number): void => {
    if (windows.size < WINDOWS_KEPT) return;
    for (const [key, window] of windows) if (!window.looking && now - window.usedAt >= FINGERPRINT_READ_FRESH_MS) windows.delete(key);
  };

  const look = async (window: HeldWindow, source: WindowSource, since: number, now: number): Promise<void> => {
    const previous = { lookedAt: window.lookedAt };
    const isWhole = !window.isLoaded || since < window.loadedSince;
    const isFull = isWhole || now < window.lookedAt || now - window.fullAt >= FINGERPRINT_FULL_READ_MS;
    const from = isFull ? since : Math.max(since, window.lookedAt - FINGERPRINT_READ_OVERLAP_MS);
    window.lookedAt = now;
    try {
      if (isWhole) {
        for (const fingerprint of await source.recent(new Date(since))) addTo(window, fingerprint);
        window.loadedSince = since;
        window.isLoaded = true;
      } else {
        const missing = (await source.recentIds(new Date(from))).filter((id) => !window.byComment.has(id));
        for (const fingerprint of await repository.fingerprintsOf(missing)) if (fingerprint.createdAt.getTime() >= since) addTo(window, fingerprint);
      }
      if (isFull) window.fullAt = now;
    } catch (error) {
      window.lookedAt = previous.lookedAt;
      throw error;
    }
  };

  const windowOf = async (windows: Map<string, HeldWindow>, key: string, since: Date, source: WindowSource): Promise<FingerprintWindow> => {
    const now = clock.now().getTime();
    let window = windows.get(key);
    if (!window) {
      forgetUnused(windows, now);
      window = holdWindow();
      windows.set(key, window);
    }
    window.usedAt = now;
    const at = since.getTime();
    while (window.looking) await window.looking;
    const isFresh = window.isLoaded && at >= window.loadedSince && now >= window.lookedAt && now - window.lookedAt < FINGERPRINT_READ_FRESH_MS;
    if (!isFresh) {
      const held = window;
      held.looking = look(held, source, at, now).finally(() => {
        held.looking = undefined;
      });
      await held.looking;
    }
    // What has left every check's window goes (a minute's slack: a comment's record asks from its own time, a little before).
    const keptFrom = at - PRUNE_SLACK_MS;
    if (keptFrom > window.loadedSince) {
      let stale = 0;
      while (stale < window.sorted.length && (window.sorted[stale]?.createdAt.getTime() ?? Infinity) < keptFrom) stale++;
      dropOldest(window, stale);
      window.loadedSince = keptFrom;
    }
    return viewOf(window, at);
  };

  return {
    async addFingerprint(record) {
      await repository.addFingerprint(record);
      const onSite = bySite.get(record.site);
      if (onSite) addTo(onSite, record);
      const onPost = byPost.get(record.postId);
      if (onPost) addTo(onPost, record);
    },
    onSite: (site, since) =>
      windowOf(bySite, site, since, { recent: (from) => repository.recentOnSite(site, from), recentIds: (from) => repository.recentIdsOnSite(site, from) }),
    onPost: (postId, since) =>
      windowOf(byPost, postId, since, { recent: (from) => repository.recentOnPost(postId, from), recentIds: (from) => repository.recentIdsOnPost(postId, from) }),
  };
}

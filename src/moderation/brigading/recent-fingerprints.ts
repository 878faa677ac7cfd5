import type { Clock } from '../../shared/clock';
import { MAX_COMPARED, type BrigadingRepository, type FingerprintRecord } from './brigading.repository';

/**
 * How long one read of a site's (or a post's) recent fingerprints answers the checks
 * that follow it. Every new comment compares itself against up to MAX_COMPARED
 * recent sketches; reading them per comment would cost a large query per post.
 * Fingerprints recorded by this instance are seen at once; those of other instances
 * within this (they are recorded after their comment is stored, so they lag anyway).
 */
export const FINGERPRINT_READ_FRESH_MS = 500;
/**
 * A read that follows an earlier one of the same window asks only for the fingerprints
 * created from this long before that read began, and keeps the earlier read's others:
 * a busy site's window (up to MAX_COMPARED sketches) is not read and decoded whole twice
 * a second. A fingerprint is stored moments after its comment; one stored later than
 * this after it is still seen by the next full read.
 */
export const FINGERPRINT_READ_OVERLAP_MS = 10_000;
/** The whole window is read again at least this often. */
export const FINGERPRINT_FULL_READ_MS = 60_000;

interface Read {
  readonly startedAt: number;
  readonly since: number;
  readonly stored: Promise<FingerprintRecord[]>;
  /** Recorded here after the read began, newest first. */
  readonly local: FingerprintRecord[];
  /** When the whole window was last read (this read or the one it extends). */
  readonly fullAt: number;
  /** Whether `stored` has resolved (only a loaded read is extended). */
  isLoaded: boolean;
}

/**
 * The window's fingerprints newest first, at most MAX_COMPARED: those recorded here (a
 * few, in any order) before the stored ones (already newest first, as read) when both
 * hold a comment or two share a time, so one pass merges them instead of a sort per check.
 */
function mergeNewestFirst(local: readonly FingerprintRecord[], stored: readonly FingerprintRecord[], since: number): FingerprintRecord[] {
  const seen = new Set<string>();
  const own: FingerprintRecord[] = [];
  for (const fingerprint of local) {
    if (seen.has(fingerprint.commentId) || fingerprint.createdAt.getTime() < since) continue;
    seen.add(fingerprint.commentId);
    own.push(fingerprint);
  }
  own.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const merged: FingerprintRecord[] = [];
  let next = 0;
  for (const fingerprint of stored) {
    if (merged.length >= MAX_COMPARED) return merged;
    const at = fingerprint.createdAt.getTime();
    if (at < since || seen.has(fingerprint.commentId)) continue;
    for (let mine = own[next]; mine !== undefined && mine.createdAt.getTime() >= at && merged.length < MAX_COMPARED; mine = own[++next]) merged.push(mine);
    if (merged.length < MAX_COMPARED) merged.push(fingerprint);
  }
  for (; next < own.length && merged.length < MAX_COMPARED; next += 1) {
    const mine = own[next];
    if (mine) merged.push(mine);
  }
  return merged;
}

/**
 * The brigading repository with its two window reads shared between the comments
 * posted within FINGERPRINT_READ_FRESH_MS of each other, plus what this instance
 * recorded since: one bounded read per site (and post) and interval, whatever the rate.
 */
export function withSharedFingerprintReads(repository: BrigadingRepository, clock: Clock): BrigadingRepository {
  const bySite = new Map<string, Read>();
  const byPost = new Map<string, Read>();

  const forgetStale = (reads: Map<string, Read>, now: number): void => {
    if (reads.size < 256) return;
    for (const [key, read] of reads) if (now - read.startedAt >= FINGERPRINT_READ_FRESH_MS) reads.delete(key);
  };

  const shared = async (
    reads: Map<string, Read>,
    key: string,
    since: Date,
    load: (from: Date) => Promise<FingerprintRecord[]>,
  ): Promise<FingerprintRecord[]> => {
    const now = clock.now().getTime();
    let read = reads.get(key);
    const isFresh = read !== undefined && now >= read.startedAt && now - read.startedAt < FINGERPRINT_READ_FRESH_MS;
    if (read === undefined || !isFresh || read.since > since.getTime()) {
      const previous = read;
      forgetStale(reads, now);
      const from = previous ? Math.max(since.getTime(), previous.startedAt - FINGERPRINT_READ_OVERLAP_MS) : since.getTime();
      const canExtend =
        previous !== undefined && previous.isLoaded && previous.since <= since.getTime() && now >= previous.startedAt && now - previous.fullAt < FINGERPRINT_FULL_READ_MS && from > since.getTime();
      const started: Read = canExtend
        ? {
            startedAt: now,
            since: since.getTime(),
            // The earlier read's window with what was created since shortly before it, newest first.
            stored: Promise.all([load(new Date(from)), previous.stored]).then(([fresh, earlier]) => mergeNewestFirst(fresh, earlier, since.getTime())),
            local: [],
            fullAt: previous.fullAt,
            isLoaded: false,
          }
        : { startedAt: now, since: since.getTime(), stored: load(since), local: [], fullAt: now, isLoaded: false };
      reads.set(key, started);
      started.stored.then(
        () => {
          started.isLoaded = true;
        },
        () => {
          if (reads.get(key) === started) reads.delete(key);
        },
      );
      read = started;
    }
    const { local } = read;
    const stored = await read.stored;
    return mergeNewestFirst(local, stored, since.getTime());
  };

  return {
    ...repository,
    async addFingerprint(record) {
      await repository.addFingerprint(record);
      bySite.get(record.site)?.local.unshift(record);
      byPost.get(record.postId)?.local.unshift(record);
    },
    recentOnSite: (site, since) => shared(bySite, site, since, (from) => repository.recentOnSite(site, from)),
    recentOnPost: (postId, since) => shared(byPost, postId, since, (from) => repository.recentOnPost(postId, from)),
  };
}

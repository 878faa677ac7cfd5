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

interface Read {
  readonly startedAt: number;
  readonly since: number;
  readonly stored: Promise<FingerprintRecord[]>;
  /** Recorded here after the read began, newest first. */
  readonly local: FingerprintRecord[];
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
    load: () => Promise<FingerprintRecord[]>,
  ): Promise<FingerprintRecord[]> => {
    const now = clock.now().getTime();
    let read = reads.get(key);
    const isFresh = read !== undefined && now >= read.startedAt && now - read.startedAt < FINGERPRINT_READ_FRESH_MS;
    if (read === undefined || !isFresh || read.since > since.getTime()) {
      forgetStale(reads, now);
      const started: Read = { startedAt: now, since: since.getTime(), stored: load(), local: [] };
      reads.set(key, started);
      started.stored.catch(() => {
        if (reads.get(key) === started) reads.delete(key);
      });
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
    recentOnSite: (site, since) => shared(bySite, site, since, () => repository.recentOnSite(site, since)),
    recentOnPost: (postId, since) => shared(byPost, postId, since, () => repository.recentOnPost(postId, since)),
  };
}

import type { BrigadingRepository, FingerprintRecord } from './brigading.repository';
import { FINGERPRINT_FULL_READ_MS, FINGERPRINT_READ_FRESH_MS, FINGERPRINT_READ_OVERLAP_MS, withSharedFingerprintReads } from './recent-fingerprints';

const MINUTE = 60_000;

/** A stored window in memory: what the database would answer, newest first, and the `since` of every read. */
function storedWindow(): { repository: BrigadingRepository; rows: FingerprintRecord[]; reads: number[] } {
  const rows: FingerprintRecord[] = [];
  const reads: number[] = [];
  const recent = (since: Date): Promise<FingerprintRecord[]> => {
    reads.push(since.getTime());
    return Promise.resolve(rows.filter((row) => row.createdAt >= since).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()));
  };
  const repository = {
    addFingerprint: (record: FingerprintRecord) => {
      rows.push(record);
      return Promise.resolve();
    },
    recentOnSite: (_site: string, since: Date) => recent(since),
    recentOnPost: (_post: string, since: Date) => recent(since),
  } as unknown as BrigadingRepository;
  return { repository, rows, reads };
}

const fingerprint = (id: string, at: number): FingerprintRecord => ({
  commentId: id,
  site: 's',
  postId: 'p',
  authorId: `a-${id}`,
  sketch: null,
  isFirstTimeAuthor: true,
  createdAt: new Date(at),
});

describe('shared fingerprint reads', () => {
  it('when the window is read again after the fresh interval, then only what was created from shortly before the last read is asked for, and the answer is the whole window', async () => {
    let now = 10 * MINUTE;
    const clock = { now: () => new Date(now) };
    const { repository, rows, reads } = storedWindow();
    rows.push(fingerprint('old', now - 5 * MINUTE), fingerprint('older', now - 9 * MINUTE));
    const shared = withSharedFingerprintReads(repository, clock);
    const since = (): Date => new Date(now - 10 * MINUTE);

    expect((await shared.recentOnSite('s', since())).map((row) => row.commentId)).toEqual(['old', 'older']);
    const firstReadAt = now;
    now += FINGERPRINT_READ_FRESH_MS;
    // Another instance's, stored meanwhile.
    rows.push(fingerprint('new', now - 100));
    expect((await shared.recentOnSite('s', since())).map((row) => row.commentId)).toEqual(['new', 'old', 'older']);
    expect(reads).toEqual([firstReadAt - 10 * MINUTE, firstReadAt - FINGERPRINT_READ_OVERLAP_MS]);
  });

  it('when the last full read is older than the full-read interval, then the whole window is read again (a fingerprint stored late is seen)', async () => {
    let now = 10 * MINUTE;
    const clock = { now: () => new Date(now) };
    const { repository, rows, reads } = storedWindow();
    const shared = withSharedFingerprintReads(repository, clock);
    const since = (): Date => new Date(now - 10 * MINUTE);
    const fullReadsAt: number[] = [];
    const read = async (): Promise<string[]> => {
      const before = reads.length;
      const answer = await shared.recentOnSite('s', since());
      if (reads.length > before && reads[reads.length - 1] === since().getTime()) fullReadsAt.push(now);
      return answer.map((row) => row.commentId);
    };
    await read();
    now += FINGERPRINT_READ_FRESH_MS;
    await read();
    // Stored long after its comment was made: older than any incremental read asks for.
    rows.push(fingerprint('late', now - 3 * FINGERPRINT_READ_OVERLAP_MS));
    let seen: string[] = [];
    while (now < 10 * MINUTE + FINGERPRINT_FULL_READ_MS + FINGERPRINT_READ_FRESH_MS) {
      now += FINGERPRINT_READ_FRESH_MS;
      seen = await read();
      if (now < 10 * MINUTE + FINGERPRINT_FULL_READ_MS) expect(seen).not.toContain('late');
    }
    expect(seen).toContain('late');
    expect(fullReadsAt).toEqual([10 * MINUTE, expect.any(Number)]);
  });
});

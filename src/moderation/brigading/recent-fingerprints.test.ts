import type { BrigadingRepository, FingerprintRecord } from './brigading.repository';
import { minhashSketch } from './minhash';
import { FINGERPRINT_FULL_READ_MS, FINGERPRINT_READ_FRESH_MS, FINGERPRINT_READ_OVERLAP_MS, createRecentFingerprints } from './recent-fingerprints';

const MINUTE = 60_000;

/** A stored window in memory: what the database would answer, and every read (`since` of window reads, ids read in full). */
function storedWindow(): { repository: BrigadingRepository; rows: FingerprintRecord[]; reads: number[]; idReads: number[]; fullReads: string[][] } {
  const rows: FingerprintRecord[] = [];
  const reads: number[] = [];
  const idReads: number[] = [];
  const fullReads: string[][] = [];
  const recent = (since: Date): FingerprintRecord[] => rows.filter((row) => row.createdAt >= since).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const repository = {
    addFingerprint: (record: FingerprintRecord) => {
      rows.push(record);
      return Promise.resolve();
    },
    recentOnSite: (_site: string, since: Date) => {
      reads.push(since.getTime());
      return Promise.resolve(recent(since));
    },
    recentIdsOnSite: (_site: string, since: Date) => {
      idReads.push(since.getTime());
      return Promise.resolve(recent(since).map((row) => row.commentId));
    },
    fingerprintsOf: (ids: readonly string[]) => {
      fullReads.push([...ids]);
      return Promise.resolve(rows.filter((row) => ids.includes(row.commentId)));
    },
  } as unknown as BrigadingRepository;
  return { repository, rows, reads, idReads, fullReads };
}

const fingerprint = (id: string, at: number, text?: string, authorId = `a-${id}`): FingerprintRecord => ({
  commentId: id,
  site: 's',
  postId: 'p',
  authorId,
  sketch: (text && minhashSketch(text)) || null,
  isFirstTimeAuthor: true,
  createdAt: new Date(at),
});

const ids = (rows: readonly FingerprintRecord[]): string[] => rows.map((row) => row.commentId);

describe('recent fingerprint windows', () => {
  it('when the window is looked at again after the fresh interval, then only the ids created from shortly before the last look are asked for, only the unknown are read in full, and the answer is the whole window', async () => {
    let now = 10 * MINUTE;
    const clock = { now: () => new Date(now) };
    const { repository, rows, reads, idReads, fullReads } = storedWindow();
    rows.push(fingerprint('old', now - 5 * MINUTE), fingerprint('older', now - 9 * MINUTE));
    const recent = createRecentFingerprints(repository, clock);
    const since = (): Date => new Date(now - 10 * MINUTE);

    expect(ids((await recent.onSite('s', since())).newestFirst())).toEqual(['old', 'older']);
    const firstReadAt = now;
    // Recorded here: seen at once, and not read again.
    await recent.addFingerprint(fingerprint('mine', now - 10));
    expect(ids((await recent.onSite('s', since())).newestFirst())).toEqual(['mine', 'old', 'older']);
    now += FINGERPRINT_READ_FRESH_MS;
    // Another instance's, stored meanwhile.
    rows.push(fingerprint('new', now - 100));
    expect(ids((await recent.onSite('s', since())).newestFirst())).toEqual(['new', 'mine', 'old', 'older']);
    expect(reads).toEqual([firstReadAt - 10 * MINUTE]);
    expect(idReads).toEqual([firstReadAt - FINGERPRINT_READ_OVERLAP_MS]);
    expect(fullReads).toEqual([['new']]);
  });

  it('when the last full look is older than the full-read interval, then the ids of the whole window are asked for again (a fingerprint stored late is seen)', async () => {
    let now = 10 * MINUTE;
    const clock = { now: () => new Date(now) };
    const { repository, rows, idReads } = storedWindow();
    const recent = createRecentFingerprints(repository, clock);
    const since = (): Date => new Date(now - 10 * MINUTE);
    const fullLooksAt: number[] = [];
    const read = async (): Promise<string[]> => {
      const before = idReads.length;
      const answer = ids((await recent.onSite('s', since())).newestFirst());
      if (idReads.length > before && idReads[idReads.length - 1] === since().getTime()) fullLooksAt.push(now);
      return answer;
    };
    await read();
    now += FINGERPRINT_READ_FRESH_MS;
    await read();
    // Stored long after its comment was made: older than any incremental look asks for.
    rows.push(fingerprint('late', now - 3 * FINGERPRINT_READ_OVERLAP_MS));
    let seen: string[] = [];
    while (now < 10 * MINUTE + FINGERPRINT_FULL_READ_MS + FINGERPRINT_READ_FRESH_MS) {
      now += FINGERPRINT_READ_FRESH_MS;
      seen = await read();
      if (now < 10 * MINUTE + FINGERPRINT_FULL_READ_MS) expect(seen).not.toContain('late');
    }
    expect(seen).toContain('late');
    expect(fullLooksAt).toEqual([expect.any(Number)]);
    expect(fullLooksAt[0]).toBeGreaterThanOrEqual(10 * MINUTE + FINGERPRINT_FULL_READ_MS);
  });

  it('when checks run together within the fresh interval, then they share one look', async () => {
    const now = 10 * MINUTE;
    const { repository, reads, idReads } = storedWindow();
    const recent = createRecentFingerprints(repository, { now: () => new Date(now) });
    await Promise.all(Array.from({ length: 20 }, () => recent.onSite('s', new Date(now - MINUTE))));
    expect([reads.length, idReads.length]).toEqual([1, 0]);
  });

  it('when a near-duplicate by another author is in the window, then it is found once per author (their newest), and neither the author’s own texts nor texts older than the window are', async () => {
    const now = 10 * MINUTE;
    const { repository, rows } = storedWindow();
    const text = 'Stop the talks now, Ukraine must never accept these terms from the Kremlin';
    rows.push(
      fingerprint('b-old', now - 3 * MINUTE, `${text}!!!`, 'b'),
      fingerprint('b-new', now - 2 * MINUTE, `${text} #brigade`, 'b'),
      fingerprint('c', now - 1 * MINUTE, text.toUpperCase(), 'c'),
      fingerprint('self', now - 1 * MINUTE, text, 'me'),
      fingerprint('unrelated', now - 1 * MINUTE, 'I think the council should publish the budget for the tram repairs before winter', 'd'),
      fingerprint('too-old', now - 30 * MINUTE, text, 'e'),
    );
    const recent = createRecentFingerprints(repository, { now: () => new Date(now) });
    const window = await recent.onSite('s', new Date(now - 10 * MINUTE));
    expect(ids(window.nearDuplicatesOf(minhashSketch(text), 'me'))).toEqual(['c', 'b-new']);
    expect(window.nearDuplicatesOf(undefined, 'me')).toEqual([]);
  });
});

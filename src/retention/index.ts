/**
 * Retention of client hashes and other data derived from readers' addresses: after
 * `DATA_RETENTION_DAYS` they are deleted, or cut from the record they belong to.
 * One sweeper over the collections that hold them, because the rule is one rule;
 * each entry below says what it keeps.
 */
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock';
import { startSweeper, type Sweeper } from '../shared/sweeper';

export interface RetentionDeps {
  connection: Connection;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  /** How often (real time) the sweeper looks whether an hour of service time has passed. */
  checkEveryMs?: number;
}

export interface RetentionReport {
  cutoff: string;
  /** Reports by anonymous readers whose client hash was replaced (the report and its reason stay). */
  reportReaders: number;
  /** Reactions by anonymous readers whose client hash was replaced (the reaction stays counted). */
  reactionReaders: number;
  /** Guests' client hashes (for guest bans) not seen since the cutoff, deleted. */
  guestClients: number;
  /** Client bans older than the cutoff, deleted (the author's own ban stays). */
  clientBans: number;
  /** Moderator sessions whose sign-in address was erased. */
  sessionAddresses: number;
}

const SWEEP_EVERY_MS = 3600_000;
const BATCH = 500;

/** Replaces `reader` on old anonymous entries with a value tied to the entry alone (unique per comment still). */
async function cutAnonymousReaders(connection: Connection, collection: string, cutoff: Date): Promise<number> {
  const store = connection.collection(collection);
  let changed = 0;
  for (;;) {
    const batch = await store
      .find({ reader: { $regex: '^anon:' }, createdAt: { $lt: cutoff } }, { projection: { _id: 1 } })
      .limit(BATCH)
      .toArray();
    if (batch.length === 0) return changed;
    for (const { _id } of batch) {
      await store.updateOne({ _id }, { $set: { reader: `expired:${String(_id)}` } });
    }
    changed += batch.length;
  }
}

export async function sweepRetainedData(connection: Connection, now: Date, retentionDays: number): Promise<RetentionReport> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600_000);
  const reportReaders = await cutAnonymousReaders(connection, 'reports', cutoff);
  const reactionReaders = await cutAnonymousReaders(connection, 'reactions', cutoff);
  const guestClients = (await connection.collection('guest_clients').deleteMany({ lastSeenAt: { $lt: cutoff } })).deletedCount;
  const clientBans = (await connection.collection('client_bans').deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
  const sessionAddresses = (
    await connection
      .collection('moderator_sessions')
      .updateMany({ createdAt: { $lt: cutoff }, ip: { $ne: null } }, { $set: { ip: null } })
  ).modifiedCount;
  return { cutoff: cutoff.toISOString(), reportReaders, reactionReaders, guestClients, clientBans, sessionAddresses };
}

/** Sweeps at start and then once per hour of the service's clock. */
export function startRetention(deps: RetentionDeps): Sweeper {
  return startSweeper({
    clock: deps.clock,
    everyMs: SWEEP_EVERY_MS,
    checkEveryMs: deps.checkEveryMs,
    sweep: (now) =>
      sweepRetainedData(deps.connection, now, deps.retentionDays)
        .then((report) => {
          const total = report.reportReaders + report.reactionReaders + report.guestClients + report.clientBans + report.sessionAddresses;
          if (total > 0) deps.logger.info({ ...report }, 'expired client hashes and addresses past DATA_RETENTION_DAYS');
        })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'retention sweep failed; will try again')),
  });
}

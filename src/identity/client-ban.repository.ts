import { Schema, type Connection, type Model } from 'mongoose';
import { createGroupCommit, updateEach } from '../db/group-commit';
import { modelOn } from '../db/model';
import { createGroupRead } from '../db/group-read';

/**
 * The clients (salted hashes of the client address, never the address) a guest
 * has posted from, and the bans that hold for those clients. A guest's identity is
 * an author token in localStorage: clearing it makes a new guest, so a ban that only
 * names the token is one click away from lifted. A client ban names the clients the
 * banned guest posted from, for a limited time (an address is shared and reassigned).
 */
interface GuestClientDoc {
  site: string;
  authorId: string;
  clientHash: string;
  /** Last time this guest posted from this client (retention runs on it). */
  lastSeenAt: Date;
}

interface ClientBanDoc {
  site: string;
  clientHash: string;
  /** The guest whose ban or suspension this is. */
  authorId: string;
  standing: 'banned' | 'suspended';
  until: Date;
  createdAt: Date;
}

const guestClientSchema = new Schema<GuestClientDoc>(
  {
    site: { type: String, required: true },
    authorId: { type: String, required: true },
    clientHash: { type: String, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { collection: 'guest_clients', versionKey: false },
);
guestClientSchema.index({ authorId: 1, clientHash: 1 }, { unique: true });

const clientBanSchema = new Schema<ClientBanDoc>(
  {
    site: { type: String, required: true },
    clientHash: { type: String, required: true },
    authorId: { type: String, required: true, index: true },
    standing: { type: String, enum: ['banned', 'suspended'], required: true },
    // Gone by itself once over; reads compare with the service clock as well.
    until: { type: Date, required: true, expires: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'client_bans', versionKey: false },
);
clientBanSchema.index({ site: 1, clientHash: 1, until: -1 });

/** Clients kept per guest: enough for home, work and a phone, bounded for one that hops. */
const MAX_CLIENTS_PER_GUEST = 20;

export interface ClientBan {
  authorId: string;
  standing: 'banned' | 'suspended';
  until: Date;
}

export interface ClientBanRepository {
  /** Notes that a guest posted from a client (upsert: one row per guest and client). */
  recordClient(input: { site: string; authorId: string; clientHash: string; at: Date }): Promise<void>;
  /** Bans every client the guest posted from until `until`; answers how many. */
  banClientsOf(input: { site: string; authorId: string; standing: 'banned' | 'suspended'; until: Date; at: Date }): Promise<number>;
  /** Lifts the client bans that came from this guest's ban or suspension. */
  liftBansOf(authorId: string): Promise<void>;
  /** The longest ban in force on this client of a site, if any. */
  findActiveBan(site: string, clientHash: string, now: Date): Promise<ClientBan | undefined>;
}

export function createClientBanRepository(connection: Connection): ClientBanRepository {
  const GuestClient: Model<GuestClientDoc> = modelOn(connection, 'GuestClient', guestClientSchema);
  const ClientBanModel: Model<ClientBanDoc> = modelOn(connection, 'ClientBan', clientBanSchema);
  // The clients of guests posting together: one command (every caller awaits its own upsert).
  const clientsSeen = createGroupCommit(updateEach(GuestClient), { connection: GuestClient.db });
  // Asked on every guest's post: the posts asking together share one read (through the driver, as a lean read would answer it).
  const activeBans = createGroupRead<{ site: string; clientHash: string; now: Date }, ClientBanDoc[]>(async (queries) => {
    const earliest = new Date(Math.min(...queries.map((query) => query.now.getTime())));
    const pairs = [...new Map(queries.map((query) => [`${query.site}\u0000${query.clientHash}`, { site: query.site, clientHash: query.clientHash }])).values()];
    const filter = pairs.length === 1 && pairs[0] ? { ...pairs[0], until: { $gt: earliest } } : { $or: pairs, until: { $gt: earliest } };
    const bans = await ClientBanModel.collection.find<ClientBanDoc>(filter).toArray();
    return queries.map((query) => bans.filter((ban) => ban.site === query.site && ban.clientHash === query.clientHash));
  }, { connection: ClientBanModel.db });
  return {
    async recordClient({ site, authorId, clientHash, at }) {
      await clientsSeen.add({
        updateOne: { filter: { authorId, clientHash }, update: { $set: { lastSeenAt: at }, $setOnInsert: { site, authorId, clientHash } }, upsert: true },
      });
    },
    async banClientsOf({ site, authorId, standing, until, at }) {
      const clients = await GuestClient.find({ authorId }, { clientHash: 1 })
        .sort({ lastSeenAt: -1 })
        .limit(MAX_CLIENTS_PER_GUEST)
        .lean<Pick<GuestClientDoc, 'clientHash'>[]>();
      await ClientBanModel.deleteMany({ authorId });
      if (clients.length === 0) return 0;
      await ClientBanModel.insertMany(
        clients.map(({ clientHash }) => ({ site, clientHash, authorId, standing, until, createdAt: at })),
      );
      return clients.length;
    },
    async liftBansOf(authorId) {
      await ClientBanModel.deleteMany({ authorId });
    },
    async findActiveBan(site, clientHash, now) {
      const [ban] = (await activeBans({ site, clientHash, now })).filter((candidate) => candidate.until > now).sort((a, b) => b.until.getTime() - a.until.getTime());
      return ban ? { authorId: ban.authorId, standing: ban.standing, until: ban.until } : undefined;
    },
  };
}

import { Types, type Model } from 'mongoose';
import type { AuthorStanding } from '../contracts/moderation';
import { createGroupCommit, insertEach, newDocument, updateEach } from '../db/group-commit';
import type { AuthorDoc } from './identity.models';
import type { AuthorRecord } from './identity.types';

function toRecord(doc: AuthorDoc): AuthorRecord {
  return {
    id: doc._id.toHexString(),
    site: doc.site,
    kind: doc.kind,
    externalId: doc.externalId,
    name: doc.name,
    avatar: doc.avatar,
    badges: doc.kind === 'guest' ? [] : [...(doc.badges ?? [])],
    email: doc.email ?? null,
    standing: doc.standing,
    suspendedUntil: doc.suspendedUntil,
    counts: {
      published: doc.counts?.published ?? 0,
      pending: doc.counts?.pending ?? 0,
      rejected: doc.counts?.rejected ?? 0,
    },
    createdAt: doc.createdAt,
  };
}

export interface UpsertedAuthor {
  author: AuthorRecord;
  isShownChanged: boolean;
}

export interface AuthorRepository {
  findById(id: string): Promise<AuthorRecord | undefined>;
  findByIds(ids: string[]): Promise<AuthorRecord[]>;
  /** Ids of authors whose name contains `text` (any case), on some sites or all. */
  findIdsByName(text: string, sites: readonly string[] | undefined, limit: number): Promise<string[]>;
  createGuest(input: { site: string; name: string }): Promise<AuthorRecord>;
  rename(id: string, name: string): Promise<AuthorRecord | undefined>;
  /** `isShownChanged`: an author already there now shows another name, avatar or badges. */
  upsertSso(input: { site: string; externalId: string; name: string; avatar: string | null; email: string | null; badges: string[] }): Promise<UpsertedAuthor>;
  upsertStaff(input: { site: string; externalId: string; name: string; badges: string[] }): Promise<UpsertedAuthor>;
  incrementCounts(id: string, diff: Partial<Record<'published' | 'pending' | 'rejected', number>>): Promise<void>;
  setStanding(id: string, standing: AuthorStanding, suspendedUntil: Date | null): Promise<AuthorRecord | undefined>;
}

export function createAuthorRepository(Author: Model<AuthorDoc>): AuthorRepository {
  const isId = (id: string): boolean => Types.ObjectId.isValid(id) && /^[a-f0-9]{24}$/i.test(id);
  // New guests and count changes of requests handled together: one command each (every caller awaits its own).
  const inserts = createGroupCommit(insertEach(Author), { connection: Author.db });
  const countChanges = createGroupCommit(updateEach(Author), { connection: Author.db });
  /** Sets an SSO or staff author's fields, creating it on first sight; says whether readers see a change. */
  const upsertShown = async (
    key: { site: string; kind: 'sso' | 'staff'; externalId: string },
    fields: { name: string; badges: string[]; avatar?: string | null; email?: string | null },
  ): Promise<UpsertedAuthor> => {
    const before = await Author.findOneAndUpdate(key, { $set: fields, $setOnInsert: key }, { returnDocument: 'before', upsert: true }).lean<AuthorDoc>();
    if (!before) {
      const inserted = await Author.findOne(key).lean<AuthorDoc>();
      if (!inserted) throw new Error(`${key.kind} author upsert stored nothing`);
      return { author: toRecord(inserted), isShownChanged: false };
    }
    const after: AuthorDoc = { ...before, ...fields };
    const isShownChanged =
      before.name !== after.name ||
      (before.avatar ?? null) !== (after.avatar ?? null) ||
      JSON.stringify(before.badges ?? []) !== JSON.stringify(after.badges ?? []);
    return { author: toRecord(after), isShownChanged };
  };
  return {
    async findById(id) {
      if (!isId(id)) return undefined;
      const doc = await Author.findById(id).lean<AuthorDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    async findByIds(ids) {
      const valid = ids.filter(isId);
      if (valid.length === 0) return [];
      const docs = await Author.find({ _id: { $in: valid } }).lean<AuthorDoc[]>();
      return docs.map(toRecord);
    },
    async findIdsByName(text, sites, limit) {
      const pattern = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const filter: Record<string, unknown> = { name: { $regex: pattern, $options: 'i' } };
      if (sites) filter['site'] = { $in: [...sites] };
      const docs = await Author.find(filter, { _id: 1 }).limit(limit).lean<Pick<AuthorDoc, '_id'>[]>();
      return docs.map((doc) => doc._id.toHexString());
    },
    async createGuest({ site, name }) {
      const doc = newDocument(Author, { site, kind: 'guest', name });
      await inserts.add(doc);
      return toRecord(doc as AuthorDoc);
    },
    async rename(id, name) {
      const doc = await Author.findByIdAndUpdate(id, { $set: { name } }, { returnDocument: 'after' }).lean<AuthorDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    upsertStaff: ({ site, externalId, name, badges }) =>
      upsertShown({ site, kind: 'staff', externalId }, { name, badges }),
    upsertSso: ({ site, externalId, name, avatar, email, badges }) =>
      upsertShown({ site, kind: 'sso', externalId }, { name, avatar, email, badges }),
    async incrementCounts(id, diff) {
      const inc: Record<string, number> = {};
      for (const [key, value] of Object.entries(diff)) {
        if (value) inc[`counts.${key}`] = value;
      }
      if (Object.keys(inc).length === 0 || !isId(id)) return;
      // `updatedAt` as Mongoose's timestamps would set it on an update.
      await countChanges.add({ updateOne: { filter: { _id: new Types.ObjectId(id) }, update: { $inc: inc, $set: { updatedAt: new Date() } } } });
    },
    async setStanding(id, standing, suspendedUntil) {
      if (!isId(id)) return undefined;
      const doc = await Author.findByIdAndUpdate(
        id,
        { $set: { standing, suspendedUntil } },
        { returnDocument: 'after' },
      ).lean<AuthorDoc>();
      return doc ? toRecord(doc) : undefined;
    },
  };
}

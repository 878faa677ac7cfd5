import { Schema, type Types, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { MailLanguage } from './i18n';

export type ModeratorMailSetting = 'instant' | 'hourly' | 'daily' | 'off';
export type QueueItemKind = 'pending' | 'reported';

export interface AlertPreference {
  moderatorId: string;
  site: string;
  mode: ModeratorMailSetting;
  lang: MailLanguage;
  /** When the digest with the items gathered so far goes out; null while none wait. */
  nextDigestAt: Date | null;
  updatedAt: Date;
}

interface PreferenceDoc extends AlertPreference {
  _id: Types.ObjectId;
}

const preferenceSchema = new Schema<PreferenceDoc>(
  {
    moderatorId: { type: String, required: true },
    site: { type: String, required: true },
    mode: { type: String, required: true },
    lang: { type: String, required: true },
    nextDigestAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'mail_moderator_preferences', versionKey: false },
);
preferenceSchema.index({ moderatorId: 1, site: 1 }, { unique: true });
preferenceSchema.index({ site: 1, mode: 1 });
preferenceSchema.index({ nextDigestAt: 1 });

export interface DigestItem {
  moderatorId: string;
  site: string;
  commentId: string;
  kind: QueueItemKind;
  reason: string | null;
  at: Date;
}

interface DigestItemDoc extends DigestItem {
  _id: Types.ObjectId;
}

const digestItemSchema = new Schema<DigestItemDoc>(
  {
    moderatorId: { type: String, required: true },
    site: { type: String, required: true },
    commentId: { type: String, required: true },
    kind: { type: String, required: true },
    reason: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'mail_moderator_digest_items', versionKey: false },
);
digestItemSchema.index({ moderatorId: 1, site: 1, commentId: 1, kind: 1 }, { unique: true });

const toPreference = (doc: PreferenceDoc): AlertPreference => ({
  moderatorId: doc.moderatorId,
  site: doc.site,
  mode: doc.mode,
  lang: doc.lang,
  nextDigestAt: doc.nextDigestAt,
  updatedAt: doc.updatedAt,
});

const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown }).code === 11000;

export type ModeratorAlertRepository = ReturnType<typeof createModeratorAlertRepository>;

export function createModeratorAlertRepository(connection: Connection) {
  const Preference = modelOn<PreferenceDoc>(connection, 'MailModeratorPreference', preferenceSchema);
  const Item = modelOn<DigestItemDoc>(connection, 'MailModeratorDigestItem', digestItemSchema);
  return {
    async listFor(moderatorId: string): Promise<AlertPreference[]> {
      const docs = await Preference.find({ moderatorId }).lean<PreferenceDoc[]>();
      return docs.map(toPreference);
    },
    async put(moderatorId: string, site: string, mode: ModeratorMailSetting, lang: MailLanguage, now: Date): Promise<AlertPreference> {
      if (mode === 'off') {
        await Preference.deleteOne({ moderatorId, site });
        await Item.deleteMany({ moderatorId, site });
        return { moderatorId, site, mode, lang, nextDigestAt: null, updatedAt: now };
      }
      const doc = await Preference.findOneAndUpdate(
        { moderatorId, site },
        { $set: { mode, lang, updatedAt: now } },
        { upsert: true, returnDocument: 'after' },
      ).lean<PreferenceDoc>();
      if (!doc) throw new Error('preference upsert returned nothing');
      return toPreference(doc);
    },
    async listWatching(site: string): Promise<AlertPreference[]> {
      const docs = await Preference.find({ site, mode: { $in: ['instant', 'hourly', 'daily'] } }).lean<PreferenceDoc[]>();
      return docs.map(toPreference);
    },
    /** Gathers an item for a digest; opens the digest window when it is the first. */
    async gather(item: DigestItem, digestAt: Date): Promise<void> {
      try {
        await Item.create(item);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        return;
      }
      await Preference.updateOne(
        { moderatorId: item.moderatorId, site: item.site, nextDigestAt: null },
        { $set: { nextDigestAt: digestAt } },
      );
    },
    async dueDigests(now: Date): Promise<AlertPreference[]> {
      const docs = await Preference.find({ nextDigestAt: { $lte: now } }).lean<PreferenceDoc[]>();
      return docs.map(toPreference);
    },
    /** Takes the digest's items and closes its window (one conditional update: one sender wins). */
    async takeDigest(preference: AlertPreference): Promise<DigestItem[] | undefined> {
      const claimed = await Preference.updateOne(
        { moderatorId: preference.moderatorId, site: preference.site, nextDigestAt: preference.nextDigestAt },
        { $set: { nextDigestAt: null } },
      );
      if (claimed.modifiedCount === 0) return undefined;
      const docs = await Item.find({ moderatorId: preference.moderatorId, site: preference.site })
        .sort({ at: 1 })
        .lean<DigestItemDoc[]>();
      await Item.deleteMany({ _id: { $in: docs.map((doc) => doc._id) } });
      return docs.map(({ _id, ...item }) => item);
    },
  };
}

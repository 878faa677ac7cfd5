import { Schema, type Types, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { MailLanguage } from './i18n';

export type SubscriptionStatus = 'pending' | 'active';

/** A reader's reply notifications on one site. */
export interface SubscriptionRecord {
  id: string;
  site: string;
  authorId: string;
  /** HMAC of the normalised address (lookups and limits per address). */
  emailHash: string;
  /** The address, sealed by the e-mail vault; deleted with the subscription. */
  emailSealed: string;
  lang: MailLanguage;
  status: SubscriptionStatus;
  /** Changes with every new request, so links of a replaced subscription stop working. */
  nonce: string;
  createdAt: Date;
  confirmationSentAt: Date;
  confirmedAt: Date | null;
}

interface SubscriptionDoc extends Omit<SubscriptionRecord, 'id'> {
  _id: Types.ObjectId;
  /** Unconfirmed requests are deleted after this (the link has expired). */
  purgeAt: Date | null;
}

const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    site: { type: String, required: true },
    authorId: { type: String, required: true },
    emailHash: { type: String, required: true },
    emailSealed: { type: String, required: true },
    lang: { type: String, required: true },
    status: { type: String, required: true },
    nonce: { type: String, required: true },
    createdAt: { type: Date, required: true },
    confirmationSentAt: { type: Date, required: true },
    confirmedAt: { type: Date, default: null },
    purgeAt: { type: Date, default: null },
  },
  { collection: 'mail_subscriptions', versionKey: false },
);
subscriptionSchema.index({ site: 1, authorId: 1 }, { unique: true });
subscriptionSchema.index({ emailHash: 1, site: 1 });
subscriptionSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });

/** One reply waiting to go out in a subscriber's next mail (or already sent in one). */
interface ReplyNoticeDoc {
  _id: Types.ObjectId;
  subscriptionId: string;
  commentId: string;
  createdAt: Date;
  /** When the batch this reply joined goes out. */
  dueAt: Date;
  /** Set once mailed: a reply is mailed once even if it is hidden and published again. */
  mailedAt: Date | null;
  purgeAt: Date | null;
}

const noticeSchema = new Schema<ReplyNoticeDoc>(
  {
    subscriptionId: { type: String, required: true },
    commentId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    mailedAt: { type: Date, default: null },
    purgeAt: { type: Date, default: null },
  },
  { collection: 'mail_reply_notices', versionKey: false },
);
noticeSchema.index({ subscriptionId: 1, commentId: 1 }, { unique: true });
noticeSchema.index({ mailedAt: 1, dueAt: 1 });
noticeSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });

/** How long a mailed reply is remembered (so republishing it does not mail it again). */
const MAILED_KEPT_MS = 30 * 24 * 3600_000;

const toRecord = (doc: SubscriptionDoc): SubscriptionRecord => ({
  id: doc._id.toHexString(),
  site: doc.site,
  authorId: doc.authorId,
  emailHash: doc.emailHash,
  emailSealed: doc.emailSealed,
  lang: doc.lang,
  status: doc.status,
  nonce: doc.nonce,
  createdAt: doc.createdAt,
  confirmationSentAt: doc.confirmationSentAt,
  confirmedAt: doc.confirmedAt,
});

const isId = (id: string): boolean => /^[0-9a-f]{24}$/.test(id);
const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown }).code === 11000;

export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;

export function createSubscriptionRepository(connection: Connection) {
  const Subscription = modelOn<SubscriptionDoc>(connection, 'MailSubscription', subscriptionSchema);
  const Notice = modelOn<ReplyNoticeDoc>(connection, 'MailReplyNotice', noticeSchema);

  return {
    async findById(id: string): Promise<SubscriptionRecord | undefined> {
      if (!isId(id)) return undefined;
      const doc = await Subscription.findById(id).lean<SubscriptionDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    async findByAuthor(site: string, authorId: string): Promise<SubscriptionRecord | undefined> {
      const doc = await Subscription.findOne({ site, authorId }).lean<SubscriptionDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    async findActiveByAuthor(site: string, authorId: string): Promise<SubscriptionRecord | undefined> {
      const doc = await Subscription.findOne({ site, authorId, status: 'active' }).lean<SubscriptionDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    /** Unconfirmed requests for one address on a site (a limit against mail-bombing an address). */
    countPendingForEmail(site: string, emailHash: string, since: Date): Promise<number> {
      return Subscription.countDocuments({ site, emailHash, status: 'pending', confirmationSentAt: { $gte: since } });
    },
    /** Creates or replaces the author's subscription as a new, unconfirmed request. */
    async putPending(
      input: Omit<SubscriptionRecord, 'id' | 'status' | 'confirmedAt'> & { purgeAt: Date },
    ): Promise<SubscriptionRecord> {
      const set = { ...input, status: 'pending' as const, confirmedAt: null };
      for (;;) {
        try {
          const doc = await Subscription.findOneAndUpdate(
            { site: input.site, authorId: input.authorId },
            { $set: set },
            { upsert: true, returnDocument: 'after' },
          ).lean<SubscriptionDoc>();
          if (!doc) throw new Error('subscription upsert returned nothing');
          return toRecord(doc);
        } catch (error) {
          // Two requests at once upsert the same key: the loser updates the winner's document.
          if (!isDuplicateKey(error)) throw error;
        }
      }
    },
    async activate(id: string, nonce: string, now: Date): Promise<SubscriptionRecord | undefined> {
      const doc = await Subscription.findOneAndUpdate(
        { _id: id, nonce, status: 'pending' },
        { $set: { status: 'active', confirmedAt: now, purgeAt: null } },
        { returnDocument: 'after' },
      ).lean<SubscriptionDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    /** Deletes the subscription (and with it the address) and its waiting replies. */
    async remove(id: string): Promise<boolean> {
      if (!isId(id)) return false;
      const result = await Subscription.deleteOne({ _id: id });
      await Notice.deleteMany({ subscriptionId: id });
      return result.deletedCount > 0;
    },
    /** Adds a reply to the subscriber's open batch (or opens one due at `dueIfNew`); false if it was noted before. */
    async noteReply(subscriptionId: string, commentId: string, now: Date, dueIfNew: Date): Promise<boolean> {
      const open = await Notice.findOne({ subscriptionId, mailedAt: null }).sort({ dueAt: 1 }).lean<ReplyNoticeDoc>();
      try {
        await Notice.create({
          subscriptionId,
          commentId,
          createdAt: now,
          dueAt: open?.dueAt ?? dueIfNew,
          mailedAt: null,
          purgeAt: null,
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    /** Subscriptions with a batch due now. */
    async dueSubscriptionIds(now: Date): Promise<string[]> {
      const ids = await Notice.distinct('subscriptionId', { mailedAt: null, dueAt: { $lte: now } });
      return ids.map(String);
    },
    async unmailedReplies(subscriptionId: string): Promise<string[]> {
      const docs = await Notice.find({ subscriptionId, mailedAt: null })
        .sort({ createdAt: 1 })
        .lean<ReplyNoticeDoc[]>();
      return docs.map((doc) => doc.commentId);
    },
    async markMailed(subscriptionId: string, commentIds: readonly string[], now: Date): Promise<void> {
      await Notice.updateMany(
        { subscriptionId, commentId: { $in: [...commentIds] } },
        { $set: { mailedAt: now, purgeAt: new Date(now.getTime() + MAILED_KEPT_MS) } },
      );
    },
    /** Every subscription of an author (GDPR download and erasure). */
    async listByAuthor(authorId: string): Promise<SubscriptionRecord[]> {
      const docs = await Subscription.find({ authorId }).lean<SubscriptionDoc[]>();
      return docs.map(toRecord);
    },
  };
}

import { Schema, type Types, type Connection } from 'mongoose';
import { modelOn } from '../db/model';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';
export type MailKind = 'confirmation' | 'replies' | 'moderator-alert' | 'moderator-digest';

/** One mail to send, as the worker reads it. */
export interface OutboxMail {
  id: string;
  /** Idempotency key: queueing the same mail twice keeps one. */
  key: string;
  kind: MailKind;
  subscriptionId: string | null;
  moderatorId: string | null;
  /** The recipient, sealed by the e-mail vault. */
  toSealed: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  giveUpAt: Date;
  sentAt: Date | null;
}

export type NewOutboxMail = Pick<
  OutboxMail,
  'key' | 'kind' | 'subscriptionId' | 'moderatorId' | 'toSealed' | 'subject' | 'text' | 'html' | 'headers'
>;

interface OutboxDoc extends Omit<OutboxMail, 'id'> {
  _id: Types.ObjectId;
  lockedUntil: Date | null;
  /** Finished mails (sent or given up) are deleted after this. */
  purgeAt: Date | null;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    key: { type: String, required: true },
    kind: { type: String, required: true },
    subscriptionId: { type: String, default: null },
    moderatorId: { type: String, default: null },
    toSealed: { type: String, default: '' },
    subject: { type: String, required: true },
    text: { type: String, default: '' },
    html: { type: String, default: '' },
    headers: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    giveUpAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    purgeAt: { type: Date, default: null },
  },
  { collection: 'mail_outbox', versionKey: false, minimize: false },
);
outboxSchema.index({ key: 1 }, { unique: true });
// The worker's "what is due" query.
outboxSchema.index({ status: 1, nextAttemptAt: 1 });
outboxSchema.index({ subscriptionId: 1 });
outboxSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });

/** How long a sent or abandoned mail's record (without address or body) stays for the log. */
const FINISHED_KEPT_MS = 7 * 24 * 3600_000;

const toMail = (doc: OutboxDoc): OutboxMail => ({
  id: doc._id.toHexString(),
  key: doc.key,
  kind: doc.kind,
  subscriptionId: doc.subscriptionId,
  moderatorId: doc.moderatorId,
  toSealed: doc.toSealed,
  subject: doc.subject,
  text: doc.text,
  html: doc.html,
  headers: doc.headers,
  status: doc.status,
  attempts: doc.attempts,
  nextAttemptAt: doc.nextAttemptAt,
  lastError: doc.lastError,
  createdAt: doc.createdAt,
  giveUpAt: doc.giveUpAt,
  sentAt: doc.sentAt,
});

const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown }).code === 11000;

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;

export function createOutboxRepository(connection: Connection) {
  const Outbox = modelOn<OutboxDoc>(connection, 'MailOutbox', outboxSchema);
  return {
    /** Queues a mail; false when one with the same key is already queued or sent. */
    async enqueue(mail: NewOutboxMail, now: Date, giveUpAt: Date): Promise<boolean> {
      try {
        await Outbox.create({
          ...mail,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          lockedUntil: null,
          lastError: null,
          createdAt: now,
          giveUpAt,
          sentAt: null,
          purgeAt: null,
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    /** Takes one due mail until `lockUntil` with one conditional update, so two workers never send it twice. */
    async claimDue(now: Date, lockUntil: Date): Promise<OutboxMail | undefined> {
      const doc = await Outbox.findOneAndUpdate(
        {
          status: { $in: ['pending', 'sending'] },
          nextAttemptAt: { $lte: now },
          $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
        },
        { $set: { status: 'sending', lockedUntil: lockUntil }, $inc: { attempts: 1 } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      ).lean<OutboxDoc>();
      return doc ? toMail(doc) : undefined;
    },
    /** Sent: the address and bodies go, the record stays a week for the log. */
    async markSent(id: string, now: Date): Promise<void> {
      await Outbox.updateOne(
        { _id: id },
        {
          $set: {
            status: 'sent',
            sentAt: now,
            lockedUntil: null,
            nextAttemptAt: null,
            lastError: null,
            toSealed: '',
            text: '',
            html: '',
            purgeAt: new Date(now.getTime() + FINISHED_KEPT_MS),
          },
        },
      );
    },
    async markRetry(id: string, error: string, next: Date): Promise<void> {
      await Outbox.updateOne(
        { _id: id },
        { $set: { status: 'pending', lockedUntil: null, nextAttemptAt: next, lastError: error } },
      );
    },
    async markFailed(id: string, error: string, now: Date): Promise<void> {
      await Outbox.updateOne(
        { _id: id },
        {
          $set: {
            status: 'failed',
            lockedUntil: null,
            nextAttemptAt: null,
            lastError: error,
            toSealed: '',
            text: '',
            html: '',
            purgeAt: new Date(now.getTime() + FINISHED_KEPT_MS),
          },
        },
      );
    },
    async countByStatus(): Promise<Record<OutboxStatus, number>> {
      const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
      const rows = await Outbox.aggregate<{ _id: OutboxStatus; n: number }>([
        { $group: { _id: '$status', n: { $sum: 1 } } },
      ]);
      for (const row of rows) counts[row._id] = row.n;
      return counts;
    },
    /** The oldest unsent mail's last error (what /readyz shows when mail is stuck). */
    async oldestUnsent(): Promise<OutboxMail | undefined> {
      const doc = await Outbox.findOne({ status: { $in: ['pending', 'sending'] } })
        .sort({ createdAt: 1 })
        .lean<OutboxDoc>();
      return doc ? toMail(doc) : undefined;
    },
    /** Drops the unsent mails of a subscription (unsubscribed or erased). */
    async dropUnsentOf(subscriptionId: string): Promise<void> {
      await Outbox.deleteMany({ subscriptionId, status: { $in: ['pending', 'sending'] } });
    },
    async dropUnsentOfModerator(moderatorId: string): Promise<void> {
      await Outbox.deleteMany({ moderatorId, status: { $in: ['pending', 'sending'] } });
    },
  };
}

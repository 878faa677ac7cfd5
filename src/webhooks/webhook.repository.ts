import { Schema, Types, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { WebhookDeliveryStatus, WebhookEventType, WebhookPayload } from '../contracts/webhooks';

export interface WebhookRecord {
  id: string;
  site: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  /** Endpoints stored before the switch existed read as enabled. */
  enabled: boolean;
  createdAt: Date;
  createdBy: string;
}

export type WebhookPatch = Partial<Pick<WebhookRecord, 'url' | 'events' | 'secret' | 'enabled'>>;

export interface DeliveryRecord {
  id: string;
  hookId: string;
  site: string;
  eventId: string;
  type: WebhookPayload['type'];
  /** The exact JSON sent, so every attempt signs the same bytes. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  /** Until when a worker owns the delivery (a crashed worker's claim runs out). */
  lockedUntil: Date | null;
  lastStatus: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: Date;
  /** Retries stop after this (a day after the event by default). */
  giveUpAt: Date;
  deliveredAt: Date | null;
}

interface WebhookDoc extends Omit<WebhookRecord, 'id'> {
  _id: Types.ObjectId;
}
interface DeliveryDoc extends Omit<DeliveryRecord, 'id' | 'hookId'> {
  _id: Types.ObjectId;
  hookId: Types.ObjectId;
}

const webhookSchema = new Schema<WebhookDoc>(
  {
    site: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    secret: { type: String, required: true },
    enabled: { type: Boolean, default: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'webhooks', versionKey: false },
);
webhookSchema.index({ site: 1, createdAt: 1 });

const deliverySchema = new Schema<DeliveryDoc>(
  {
    hookId: { type: Schema.Types.ObjectId, required: true },
    site: { type: String, required: true },
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    lockedUntil: { type: Date, default: null },
    lastStatus: { type: Number, default: null },
    lastLatencyMs: { type: Number, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    giveUpAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'webhook_deliveries', versionKey: false },
);
// The worker's "what is due" query.
deliverySchema.index({ status: 1, nextAttemptAt: 1 });
// An endpoint's delivery log, newest first.
deliverySchema.index({ hookId: 1, createdAt: -1, _id: -1 });

const toWebhook = (doc: WebhookDoc): WebhookRecord => ({
  id: doc._id.toHexString(),
  site: doc.site,
  url: doc.url,
  events: doc.events,
  secret: doc.secret,
  enabled: doc.enabled !== false,
  createdAt: doc.createdAt,
  createdBy: doc.createdBy,
});

const toDelivery = (doc: DeliveryDoc): DeliveryRecord => ({
  id: doc._id.toHexString(),
  hookId: doc.hookId.toHexString(),
  site: doc.site,
  eventId: doc.eventId,
  type: doc.type,
  body: doc.body,
  status: doc.status,
  attempts: doc.attempts,
  nextAttemptAt: doc.nextAttemptAt,
  lockedUntil: doc.lockedUntil,
  lastStatus: doc.lastStatus,
  lastLatencyMs: doc.lastLatencyMs,
  lastError: doc.lastError,
  createdAt: doc.createdAt,
  giveUpAt: doc.giveUpAt,
  deliveredAt: doc.deliveredAt,
});

export interface AttemptOutcome {
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastLatencyMs: number;
  lastError: string | null;
  deliveredAt: Date | null;
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;

export function createWebhookRepository(connection: Connection) {
  const Webhook = modelOn<WebhookDoc>(connection, 'Webhook', webhookSchema);
  const Delivery = modelOn<DeliveryDoc>(connection, 'WebhookDelivery', deliverySchema);
  const isId = (id: string): boolean => Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id);

  return {
    async insertHook(hook: Omit<WebhookRecord, 'id'>): Promise<WebhookRecord> {
      const doc = await Webhook.create(hook);
      return toWebhook(doc.toObject());
    },
    async listHooks(site: string): Promise<WebhookRecord[]> {
      const docs = await Webhook.find({ site }).sort({ createdAt: 1 }).lean<WebhookDoc[]>();
      return docs.map(toWebhook);
    },
    async findHook(site: string, id: string): Promise<WebhookRecord | undefined> {
      if (!isId(id)) return undefined;
      const doc = await Webhook.findOne({ _id: id, site }).lean<WebhookDoc>();
      return doc ? toWebhook(doc) : undefined;
    },
    async findHookById(id: string): Promise<WebhookRecord | undefined> {
      if (!isId(id)) return undefined;
      const doc = await Webhook.findById(id).lean<WebhookDoc>();
      return doc ? toWebhook(doc) : undefined;
    },
    async updateHook(site: string, id: string, patch: WebhookPatch): Promise<WebhookRecord | undefined> {
      if (!isId(id)) return undefined;
      const doc = await Webhook.findOneAndUpdate(
        { _id: id, site },
        { $set: patch },
        { returnDocument: 'after' },
      ).lean<WebhookDoc>();
      return doc ? toWebhook(doc) : undefined;
    },
    async deleteHook(site: string, id: string): Promise<boolean> {
      if (!isId(id)) return false;
      const result = await Webhook.deleteOne({ _id: id, site });
      if (result.deletedCount === 0) return false;
      // Its pending deliveries would have nowhere to go.
      await Delivery.updateMany(
        { hookId: id, status: 'pending' },
        { $set: { status: 'failed', lastError: 'endpoint deleted', nextAttemptAt: null } },
      );
      return true;
    },
    async insertDeliveries(deliveries: Omit<DeliveryRecord, 'id'>[]): Promise<DeliveryRecord[]> {
      if (deliveries.length === 0) return [];
      const docs = await Delivery.insertMany(
        deliveries.map((delivery) => ({ ...delivery, hookId: new Types.ObjectId(delivery.hookId) })),
      );
      return docs.map((doc) => toDelivery(doc.toObject() as DeliveryDoc));
    },
    async findDelivery(hookId: string, id: string): Promise<DeliveryRecord | undefined> {
      if (!isId(id) || !isId(hookId)) return undefined;
      const doc = await Delivery.findOne({ _id: id, hookId }).lean<DeliveryDoc>();
      return doc ? toDelivery(doc) : undefined;
    },
    async listDeliveries(
      hookId: string,
      beforeId: string | undefined,
      limit: number,
    ): Promise<DeliveryRecord[]> {
      const filter: Record<string, unknown> = { hookId: new Types.ObjectId(hookId) };
      if (beforeId) filter['_id'] = { $lt: new Types.ObjectId(beforeId) };
      const docs = await Delivery.find(filter).sort({ _id: -1 }).limit(limit).lean<DeliveryDoc[]>();
      return docs.map(toDelivery);
    },
    async latestDeliveries(hookIds: readonly string[]): Promise<Map<string, DeliveryRecord>> {
      const found = new Map<string, DeliveryRecord>();
      for (const hookId of hookIds) {
        const doc = await Delivery.findOne({ hookId: new Types.ObjectId(hookId) })
          .sort({ _id: -1 })
          .lean<DeliveryDoc>();
        if (doc) found.set(hookId, toDelivery(doc));
      }
      return found;
    },
    /** Takes one due delivery for this worker until `lockUntil`: one conditional update, so two workers never send it twice. */
    async claimDue(now: Date, lockUntil: Date): Promise<DeliveryRecord | undefined> {
      const doc = await Delivery.findOneAndUpdate(
        {
          status: 'pending',
          nextAttemptAt: { $lte: now },
          $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
        },
        { $set: { lockedUntil: lockUntil }, $inc: { attempts: 1 } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      ).lean<DeliveryDoc>();
      return doc ? toDelivery(doc) : undefined;
    },
    async recordAttempt(id: string, outcome: AttemptOutcome): Promise<void> {
      await Delivery.updateOne({ _id: id }, { $set: { ...outcome, lockedUntil: null } });
    },
    /** Sends a delivery again from now: a fresh day of retries. */
    async requeue(id: string, now: Date, giveUpAt: Date): Promise<DeliveryRecord | undefined> {
      const doc = await Delivery.findOneAndUpdate(
        { _id: id },
        { $set: { status: 'pending', nextAttemptAt: now, giveUpAt, lockedUntil: null, attempts: 0 } },
        { returnDocument: 'after' },
      ).lean<DeliveryDoc>();
      return doc ? toDelivery(doc) : undefined;
    },
    async countPending(): Promise<number> {
      return Delivery.countDocuments({ status: 'pending' });
    },
  };
}

import { Schema, Types, type Connection } from 'mongoose';
import { createGroupCommit, insertEach, newDocument } from '../../db/group-commit';
import { modelOn } from '../../db/model';
import type { AuditEntryDto } from '../../contracts/moderation-api';

export type AuditActor = AuditEntryDto['actor'];

export interface AuditInput {
  actor: AuditActor;
  action: string;
  site: string;
  commentId?: string | null;
  authorId?: string | null;
  postId?: string | null;
  revision?: number | null;
  reason?: string | null;
  note?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  sites: string[] | null;
  site?: string | undefined;
  moderatorId?: string | undefined;
  authorId?: string | undefined;
  commentId?: string | undefined;
  action?: string | undefined;
  after?: Date | undefined;
  before?: Date | undefined;
  /** Entries older than this id (cursor). */
  beforeId?: string | undefined;
  limit: number;
}

interface AuditDoc {
  _id: Types.ObjectId;
  at: Date;
  actorKind: 'moderator' | 'system';
  actorId: string | null;
  actorName: string | null;
  action: string;
  site: string;
  commentId: string | null;
  authorId: string | null;
  postId: string | null;
  revision: number | null;
  reason: string | null;
  note: string | null;
  detail: Record<string, unknown>;
}

const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true },
    actorKind: { type: String, required: true },
    actorId: { type: String, default: null },
    actorName: { type: String, default: null },
    action: { type: String, required: true },
    site: { type: String, required: true },
    commentId: { type: String, default: null },
    authorId: { type: String, default: null },
    postId: { type: String, default: null },
    revision: { type: Number, default: null },
    reason: { type: String, default: null },
    note: { type: String, default: null },
    detail: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);
auditSchema.index({ site: 1, _id: -1 });
auditSchema.index({ commentId: 1, _id: -1 });
auditSchema.index({ authorId: 1, _id: -1 });
auditSchema.index({ actorId: 1, _id: -1 });
auditSchema.index({ site: 1, action: 1, at: -1 });

function toDto(doc: AuditDoc): AuditEntryDto {
  return {
    id: doc._id.toHexString(),
    at: doc.at.toISOString(),
    actor:
      doc.actorKind === 'moderator'
        ? { kind: 'moderator', id: doc.actorId ?? '', name: doc.actorName ?? '' }
        : { kind: 'system' },
    action: doc.action,
    site: doc.site,
    commentId: doc.commentId,
    authorId: doc.authorId,
    postId: doc.postId,
    revision: doc.revision,
    reason: doc.reason,
    note: doc.note,
    detail: doc.detail ?? {},
  };
}

/** The audit log is append-only: this repository has no update or delete. */
export interface AuditRepository {
  append(entry: AuditInput, at: Date): Promise<AuditEntryDto>;
  query(query: AuditQuery): Promise<AuditEntryDto[]>;
  /** Moderator decisions (approve/reject) since a time, with how long each comment waited. */
  decisionsSince(sites: string[] | null, since: Date): Promise<{ waitSeconds: number }[]>;
}

export function createAuditRepository(connection: Connection): AuditRepository {
  const Audit = modelOn(connection, 'AuditEntry', auditSchema);
  // Entries appended together (the screenings of comments posted together): one insert command.
  const inserts = createGroupCommit(insertEach(Audit), { connection: Audit.db });
  return {
    async append(entry, at) {
      const doc = newDocument(Audit, {
        at,
        actorKind: entry.actor.kind,
        actorId: entry.actor.kind === 'moderator' ? entry.actor.id : null,
        actorName: entry.actor.kind === 'moderator' ? entry.actor.name : null,
        action: entry.action,
        site: entry.site,
        commentId: entry.commentId ?? null,
        authorId: entry.authorId ?? null,
        postId: entry.postId ?? null,
        revision: entry.revision ?? null,
        reason: entry.reason ?? null,
        note: entry.note ?? null,
        detail: entry.detail ?? {},
      });
      await inserts.add(doc);
      return toDto(doc as AuditDoc);
    },
    async query(query) {
      const filter: Record<string, unknown> = {};
      if (query.site) filter['site'] = query.site;
      else if (query.sites) filter['site'] = { $in: query.sites };
      if (query.moderatorId) filter['actorId'] = query.moderatorId;
      if (query.authorId) filter['authorId'] = query.authorId;
      if (query.commentId) filter['commentId'] = query.commentId;
      if (query.action) filter['action'] = query.action;
      if (query.after || query.before) {
        filter['at'] = { ...(query.after ? { $gte: query.after } : {}), ...(query.before ? { $lt: query.before } : {}) };
      }
      if (query.beforeId) filter['_id'] = { $lt: new Types.ObjectId(query.beforeId) };
      const docs = await Audit.find(filter).sort({ _id: -1 }).limit(query.limit).lean<AuditDoc[]>();
      return docs.map(toDto);
    },
    async decisionsSince(sites, since) {
      const filter: Record<string, unknown> = {
        actorKind: 'moderator',
        action: { $in: ['comment.approve', 'comment.reject'] },
        at: { $gte: since },
      };
      if (sites) filter['site'] = { $in: sites };
      const docs = await Audit.find(filter).select({ detail: 1 }).lean<Pick<AuditDoc, 'detail'>[]>();
      return docs.map((doc) => ({ waitSeconds: Number(doc.detail?.['waitSeconds'] ?? 0) }));
    },
  };
}

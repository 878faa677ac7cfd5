import { Schema, Types, type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { modelOn } from '../db/model';
import type { DeletionResultDto, ReaderPrivacyDto } from '../contracts/privacy';
import type { AuthorRecord } from '../identity';
import type { StoredCollections } from '../portability';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';

/** What a reader (or a moderator on their behalf) downloads. */
export interface PersonalDataDto {
  format: 'parley-personal-data';
  exportedAt: string;
  site: string;
  author: {
    id: string;
    kind: string;
    name: string;
    createdAt: string;
    standing: string;
    counts: Record<string, number>;
  };
  comments: {
    id: string;
    post: string;
    parentId: string | null;
    body: string;
    status: string;
    createdAt: string;
    editedAt: string | null;
    history: { revision: number; body: string; writtenAt: string }[];
  }[];
  deletion: { scheduledFor: string; requestedBy: 'author' | 'moderator' } | null;
  /** Reply notifications: the address (the only place it is shown in clear), status, language. */
  mailSubscriptions: Record<string, unknown>[];
}

interface ErasureDoc {
  _id: Types.ObjectId;
  site: string;
  authorId: string;
  requestedBy: 'author' | 'moderator';
  requestedAt: Date;
  dueAt: Date;
  status: 'scheduled' | 'done';
  doneAt: Date | null;
}

const erasureSchema = new Schema<ErasureDoc>(
  {
    site: { type: String, required: true },
    authorId: { type: String, required: true },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    status: { type: String, required: true },
    doneAt: { type: Date, default: null },
  },
  { collection: 'privacy_erasures', versionKey: false },
);
erasureSchema.index({ status: 1, dueAt: 1 });
erasureSchema.index({ authorId: 1 }, { unique: true, partialFilterExpression: { status: 'scheduled' } });

export class AuthorUnknownError extends AppError {
  constructor() {
    super(
      'AUTHOR_TOKEN_INVALID',
      'Send your author token (or your site sign-in) as "Authorization: Bearer …" to see or delete your data',
    );
  }
}

const ERASED_NAME = 'Deleted reader';

export interface PrivacyServiceDeps {
  connection: Connection;
  stores: StoredCollections;
  clock: Clock;
  logger: Logger;
  /** Hours between a deletion request and the erasure (0: at once). */
  graceHours: number;
  repairCounts: (site: string) => Promise<unknown>;
  mailData?: ((authorId: string) => Promise<Record<string, unknown>[]>) | undefined;
  eraseMail?: ((authorId: string) => Promise<void>) | undefined;
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;

/**
 * GDPR requests: a reader's data as a download, and deletion after a grace
 * period in which they can change their mind: their comments become tombstones
 * (text and edit history erased), their name and contact fields are erased.
 */
export function createPrivacyService(deps: PrivacyServiceDeps) {
  const { stores, clock } = deps;
  const Erasure = modelOn<ErasureDoc>(deps.connection, 'PrivacyErasure', erasureSchema);

  const erase = async (site: string, authorId: string): Promise<number> => {
    const result = await stores.Comment.updateMany(
      { site, authorId, status: { $ne: 'deleted' } },
      {
        $set: {
          status: 'deleted',
          body: '',
          html: '',
          history: [],
          verdict: null,
          deletedAt: clock.now(),
          statusChangedAt: clock.now(),
          statusChangedBy: { kind: 'author', id: authorId },
        },
      },
    );
    await stores.Comment.updateMany({ site, authorId }, { $set: { body: '', html: '', history: [], verdict: null } });
    await stores.Author.updateOne(
      { _id: new Types.ObjectId(authorId) },
      {
        $set: {
          name: ERASED_NAME,
          avatar: null,
          email: null,
          externalId: null,
          counts: { published: 0, pending: 0, rejected: 0 },
        },
      },
    );
    await deps.eraseMail?.(authorId);
    await deps.repairCounts(site);
    return result.modifiedCount;
  };

  const runDue = async (): Promise<void> => {
    for (;;) {
      const now = clock.now();
      const due = await Erasure.findOneAndUpdate(
        { status: 'scheduled', dueAt: { $lte: now } },
        { $set: { status: 'done', doneAt: now } },
        { returnDocument: 'after' },
      ).lean<ErasureDoc>();
      if (!due) return;
      const erased = await erase(due.site, due.authorId);
      deps.logger.info({ site: due.site, author: due.authorId, comments: erased }, 'personal data erased');
    }
  };

  return {
    async downloadData(author: AuthorRecord): Promise<PersonalDataDto> {
      const comments = await stores.Comment.find({ site: author.site, authorId: author.id })
        .sort({ createdAt: 1 })
        .lean<Record<string, unknown>[]>();
      const scheduled = await Erasure.findOne({
        authorId: author.id,
        status: 'scheduled',
      }).lean<ErasureDoc>();
      const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);
      return {
        format: 'parley-personal-data',
        exportedAt: clock.now().toISOString(),
        site: author.site,
        author: {
          id: author.id,
          kind: author.kind,
          name: author.name,
          createdAt: author.createdAt.toISOString(),
          standing: author.standing,
          counts: { ...author.counts },
        },
        comments: comments.map((comment) => ({
          id: (comment['_id'] as Types.ObjectId).toHexString(),
          post: String(comment['post']),
          parentId: comment['parentId'] instanceof Types.ObjectId ? comment['parentId'].toHexString() : null,
          body: typeof comment['body'] === 'string' ? comment['body'] : '',
          status: String(comment['status']),
          createdAt: iso(comment['createdAt']) ?? '',
          editedAt: iso(comment['editedAt']),
          history: (
            (comment['history'] as { revision: number; body: string; writtenAt: Date }[] | undefined) ?? []
          ).map((entry) => ({
            revision: entry.revision,
            body: entry.body,
            writtenAt: iso(entry.writtenAt) ?? '',
          })),
        })),
        deletion: scheduled
          ? { scheduledFor: scheduled.dueAt.toISOString(), requestedBy: scheduled.requestedBy }
          : null,
        mailSubscriptions: (await deps.mailData?.(author.id)) ?? [],
      };
    },

    /** What the widget's "Your data" menu shows: who the reader is here, and a pending erasure. */
    async readerStatus(author: AuthorRecord): Promise<ReaderPrivacyDto> {
      const scheduled = await Erasure.findOne({ authorId: author.id, status: 'scheduled' }).lean<ErasureDoc>();
      return {
        author: { id: author.id, kind: author.kind, name: author.name },
        deletion: scheduled ? { scheduledFor: scheduled.dueAt.toISOString(), requestedBy: scheduled.requestedBy } : null,
        deletionGraceHours: deps.graceHours,
      };
    },

    /** Schedules the erasure (once: asking again keeps the first date). */
    async requestDeletion(
      author: AuthorRecord,
      requestedBy: 'author' | 'moderator',
    ): Promise<DeletionResultDto> {
      const now = clock.now();
      const dueAt = new Date(now.getTime() + deps.graceHours * 3600_000);
      const existing = await Erasure.findOne({ authorId: author.id, status: 'scheduled' }).lean<ErasureDoc>();
      const scheduled =
        existing ??
        (
          await Erasure.create({
            site: author.site,
            authorId: author.id,
            requestedBy,
            requestedAt: now,
            dueAt,
            status: 'scheduled',
            doneAt: null,
          })
        ).toObject();
      if (scheduled.dueAt <= now) await runDue();
      const after = await Erasure.findById(scheduled._id).lean<ErasureDoc>();
      return { scheduledFor: scheduled.dueAt.toISOString(), isDone: after?.status === 'done' };
    },

    /** Withdraws a scheduled erasure within the grace period. */
    async cancelDeletion(author: AuthorRecord): Promise<boolean> {
      const result = await Erasure.deleteOne({ authorId: author.id, status: 'scheduled' });
      return result.deletedCount > 0;
    },

    runDue,
  };
}

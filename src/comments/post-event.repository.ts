import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { createGroupCommit, insertEach, newDocument } from '../db/group-commit';
import type { Audience, PostEvent } from '../shared/domain-events';

/** How long live events are kept for `since` replays. */
export const POST_EVENT_TTL_SECONDS = 2 * 24 * 3600;

interface PostEventDoc {
  _id: Types.ObjectId;
  site: string;
  post: string;
  seq: number;
  type: PostEvent['type'];
  payload: PostEvent['payload'];
  audience: Audience;
  createdAt: Date;
}

const postEventSchema = new Schema<PostEventDoc>(
  {
    site: { type: String, required: true },
    post: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    audience: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'post_events', versionKey: false, minimize: false },
);
postEventSchema.index({ site: 1, post: 1, seq: 1 }, { unique: true });
postEventSchema.index({ createdAt: 1 }, { expireAfterSeconds: POST_EVENT_TTL_SECONDS });

export interface PostEventRepository {
  insert(event: { site: string; post: string; seq: number; event: PostEvent; at: Date }): Promise<void>;
  /** Events after `since`, oldest first, that the viewer may see. */
  listSince(query: { site: string; post: string; since: number; viewerAuthorId?: string | undefined; limit: number }): Promise<PostEvent[]>;
}

export function createPostEventRepository(connection: Connection): PostEventRepository {
  const PostEventModel: Model<PostEventDoc> =
    (connection.models['PostEvent'] as Model<PostEventDoc> | undefined) ?? connection.model<PostEventDoc>('PostEvent', postEventSchema);
  // Events stored together (of posts on many threads, or a busy one): one insert command, each awaited by its own append.
  const inserts = createGroupCommit(insertEach(PostEventModel), { connection: PostEventModel.db });
  return {
    async insert({ site, post, seq, event, at }) {
      await inserts.add(newDocument(PostEventModel, { site, post, seq, type: event.type, payload: event.payload, audience: event.audience, createdAt: at }));
    },
    async listSince({ site, post, since, viewerAuthorId, limit }) {
      const audiences: Record<string, unknown>[] = [{ 'audience.kind': 'public' }];
      if (viewerAuthorId !== undefined) audiences.push({ 'audience.kind': 'author', 'audience.authorId': viewerAuthorId });
      const docs = await PostEventModel.find({ site, post, seq: { $gt: since }, $or: audiences })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<PostEventDoc[]>()
        .exec();
      return docs.map((doc) => ({ type: doc.type, payload: doc.payload, audience: doc.audience }) as PostEvent);
    },
  };
}

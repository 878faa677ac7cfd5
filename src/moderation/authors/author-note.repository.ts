import { Schema, Types, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';

/** A moderator's private note on an author (never shown to readers or the author). */
export interface AuthorNoteRecord {
  id: string;
  authorId: string;
  site: string;
  text: string;
  moderator: { id: string; name: string };
  at: Date;
  editedAt?: Date | undefined;
}

interface AuthorNoteDoc {
  _id: Types.ObjectId;
  authorId: string;
  site: string;
  text: string;
  moderatorId: string;
  moderatorName: string;
  at: Date;
  editedAt?: Date | null;
}

const noteSchema = new Schema<AuthorNoteDoc>(
  {
    authorId: { type: String, required: true },
    site: { type: String, required: true },
    text: { type: String, required: true },
    moderatorId: { type: String, required: true },
    moderatorName: { type: String, required: true },
    at: { type: Date, required: true },
    editedAt: { type: Date, default: null },
  },
  { collection: 'author_notes', versionKey: false },
);
noteSchema.index({ authorId: 1, at: -1 });

export interface AuthorNoteRepository {
  add(note: Omit<AuthorNoteRecord, 'id'>): Promise<AuthorNoteRecord>;
  /** Newest first. */
  listFor(authorId: string, limit: number): Promise<AuthorNoteRecord[]>;
  /** Replaces a note's text; undefined when the author has no such note. */
  edit(authorId: string, noteId: string, text: string, at: Date): Promise<AuthorNoteRecord | undefined>;
}

function toRecord(doc: AuthorNoteDoc): AuthorNoteRecord {
  return {
    id: doc._id.toHexString(),
    authorId: doc.authorId,
    site: doc.site,
    text: doc.text,
    moderator: { id: doc.moderatorId, name: doc.moderatorName },
    at: doc.at,
    ...(doc.editedAt ? { editedAt: doc.editedAt } : {}),
  };
}

export function createAuthorNoteRepository(connection: Connection): AuthorNoteRepository {
  const Notes = modelOn(connection, 'AuthorNote', noteSchema);
  return {
    async add(note) {
      const doc = await Notes.create({
        authorId: note.authorId,
        site: note.site,
        text: note.text,
        moderatorId: note.moderator.id,
        moderatorName: note.moderator.name,
        at: note.at,
      });
      return toRecord(doc.toObject<AuthorNoteDoc>());
    },
    async listFor(authorId, limit) {
      const docs = await Notes.find({ authorId }).sort({ at: -1, _id: -1 }).limit(limit).lean<AuthorNoteDoc[]>();
      return docs.map(toRecord);
    },
    async edit(authorId, noteId, text, at) {
      if (!Types.ObjectId.isValid(noteId)) return undefined;
      const doc = await Notes.findOneAndUpdate(
        { _id: new Types.ObjectId(noteId), authorId },
        { $set: { text, editedAt: at } },
        { new: true },
      ).lean<AuthorNoteDoc>();
      return doc ? toRecord(doc) : undefined;
    },
  };
}

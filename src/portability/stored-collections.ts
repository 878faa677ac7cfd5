import type { Connection, Model } from 'mongoose';
import { registerCommentModels } from '../comments';
import { registerIdentityModels } from '../identity';
import { createAuditRepository } from '../moderation';
import { createSiteRepository } from '../sites';

/** A stored document as it is: export and import move documents, the way mongodump does. */
export type StoredDoc = Record<string, unknown> & { _id: unknown };
export type StoredModel = Model<StoredDoc>;

/** The models whose documents make up a site's data. */
export interface StoredCollections {
  Site: StoredModel;
  Post: StoredModel;
  Comment: StoredModel;
  Author: StoredModel;
  Audit: StoredModel;
}

/**
 * The components' own models (their schemas, defaults and indexes), compiled on
 * the connection: documents written here look exactly like the ones the
 * components write, with the components' defaults for fields a file lacks.
 */
export function storedCollections(connection: Connection): StoredCollections {
  registerCommentModels(connection);
  registerIdentityModels(connection);
  createAuditRepository(connection);
  createSiteRepository(connection);
  const model = (name: string): StoredModel => {
    if (!connection.models[name]) throw new Error(`model ${name} is not compiled on this connection`);
    return connection.model<StoredDoc>(name);
  };
  return {
    Site: model('Site'),
    Post: model('Post'),
    Comment: model('Comment'),
    Author: model('Author'),
    Audit: model('AuditEntry'),
  };
}

/** A document for `$setOnInsert`: the `_id` comes from the upsert's filter (it may not be set by the update). */
export function withoutId(doc: Record<string, unknown>): Record<string, unknown> {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}

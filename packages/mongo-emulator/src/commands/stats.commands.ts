import { serialize, type Document } from 'bson';
import { MongoCommandError } from '../command-error';
import type { CollectionStore } from '../collection-store';
import { collectionNameOf, namespaceOf, type CommandContext, type CommandHandler } from './command-context';

/** Sizes are the BSON sizes of the stored documents; the emulator has no pages or compression. */
function collectionSizes(collection: CollectionStore): { count: number; size: number } {
  let size = 0;
  for (const document of collection.documentsInOrder()) size += serialize(document).length;
  return { count: collection.size, size };
}

function scaleOf(command: Document): number {
  const raw: unknown = command['scale'];
  if (raw === undefined) return 1;
  const scale = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(scale) || scale < 1)
    throw new MongoCommandError(2, 'BadValue', 'Scale factor must be an integer greater than 0');
  return scale;
}

const dbStats: CommandHandler = (command, context) => {
  const scale = scaleOf(command);
  const collections = context.storage.collections(context.databaseName);
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const collection of collections) {
    const sizes = collectionSizes(collection);
    objects += sizes.count;
    dataSize += sizes.size;
    indexes += collection.indexSpecs().length;
  }
  return {
    db: context.databaseName,
    collections: collections.length,
    views: 0,
    objects,
    avgObjSize: objects === 0 ? 0 : dataSize / objects,
    dataSize: dataSize / scale,
    storageSize: dataSize / scale,
    indexes,
    indexSize: 0,
    totalSize: dataSize / scale,
    scaleFactor: scale,
    ok: 1,
  };
};

function statsOf(context: CommandContext, name: string, scale: number): Document {
  const collection = context.storage.getCollection(context.databaseName, name);
  if (collection === undefined)
    throw new MongoCommandError(
      26,
      'NamespaceNotFound',
      `Collection [${namespaceOf(context, name)}] not found.`,
    );
  const { count, size } = collectionSizes(collection);
  const indexNames = collection.indexSpecs().map((spec) => String(spec['name']));
  return {
    ns: collection.namespace,
    count,
    size: size / scale,
    avgObjSize: count === 0 ? 0 : size / count,
    storageSize: size / scale,
    nindexes: indexNames.length,
    indexSizes: Object.fromEntries(indexNames.map((indexName) => [indexName, 0])),
    totalIndexSize: 0,
    totalSize: size / scale,
    scaleFactor: scale,
    capped: false,
  };
}

const collStats: CommandHandler = (command, context) => ({
  ...statsOf(context, collectionNameOf(command, 'collStats'), scaleOf(command)),
  ok: 1,
});

/** `$collStats` as the first (and only) stage: `{ count: {} }` and `{ storageStats: {} }` basics. */
export function runCollStatsStage(collectionName: string, spec: Document, context: CommandContext): Document {
  const stats = statsOf(context, collectionName, 1);
  const result: Document = { ns: stats['ns'] as string, host: 'parley-mongo-emulator', localTime: new Date() };
  for (const key of Object.keys(spec)) {
    if (key === 'count') result['count'] = stats['count'] as number;
    else if (key === 'storageStats') result['storageStats'] = stats;
    else
      throw new MongoCommandError(
        238,
        'NotImplemented',
        `$collStats ${key} is not supported by the Parley MongoDB emulator`,
      );
  }
  return result;
}

function splitNamespace(value: unknown, field: string): { db: string; coll: string } {
  const text = typeof value === 'string' ? value : '';
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1)
    throw new MongoCommandError(73, 'InvalidNamespace', `Invalid ${field} namespace: ${text}`);
  return { db: text.slice(0, dot), coll: text.slice(dot + 1) };
}

/** Runs on the admin database: `{ renameCollection: "db.a", to: "db.b", dropTarget? }`. */
const renameCollection: CommandHandler = (command, context) => {
  const from = splitNamespace(command['renameCollection'], 'source');
  const to = splitNamespace(command['to'], 'target');
  const { storage } = context;
  if (storage.getCollection(from.db, from.coll) === undefined)
    throw new MongoCommandError(26, 'NamespaceNotFound', 'Source collection does not exist');
  if (from.db === to.db && from.coll === to.coll)
    throw new MongoCommandError(20, 'IllegalOperation', "Can't rename a collection to itself");
  if (storage.getCollection(to.db, to.coll) !== undefined) {
    if (command['dropTarget'] !== true)
      throw new MongoCommandError(48, 'NamespaceExists', 'target namespace exists');
    storage.dropCollection(to.db, to.coll);
  }
  storage.renameCollection(from.db, from.coll, to.db, to.coll);
  return { ok: 1 };
};

export const statsCommands: Record<string, CommandHandler> = { dbStats, collStats, renameCollection };

import { Long, type Document } from 'bson';
import { MongoCommandError, badValue } from '../command-error';
import type { CollectionStore } from '../collection-store';
import { parseIndexSpec, type IndexDefinition } from '../index-catalog';
import { filterDocuments } from '../query-engine';
import { collationKeyOf, parseCollation } from '../collation';
import { valueKey } from '../value-key';
import {
  collectionNameOf,
  findCollection,
  namespaceOf,
  optionalDocument,
  type CommandContext,
  type CommandHandler,
} from './command-context';

function describeCollection(collection: CollectionStore, isNameOnly: boolean): Document {
  if (isNameOnly) return { name: collection.name, type: 'collection' };
  return {
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: { readOnly: false, uuid: collection.uuid },
    idIndex: collection.idIndex.definition.spec,
  };
}

const COLLECTION_OPTION_FIELDS = new Set([
  'capped',
  'size',
  'max',
  'validator',
  'validationLevel',
  'validationAction',
  'collation',
  'timeseries',
  'expireAfterSeconds',
  'clusteredIndex',
  'changeStreamPreAndPostImages',
]);

const create: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'create');
  if (findCollection(context, name) !== undefined) {
    throw new MongoCommandError(
      48,
      'NamespaceExists',
      `Collection ${namespaceOf(context, name)} already exists.`,
    );
  }
  const options = Object.fromEntries(
    Object.entries(command).filter(([key]) => COLLECTION_OPTION_FIELDS.has(key)),
  );
  // Stored with every field filled in, as listCollections shows it; simple is no collation.
  const collation = parseCollation(options['collation']);
  if (collation === undefined) delete options['collation'];
  else options['collation'] = collation.spec;
  context.storage.createCollection(context.databaseName, name, options);
  return { ok: 1 };
};

const drop: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'drop');
  const dropped = context.storage.dropCollection(context.databaseName, name);
  // Since 7.0 dropping a missing collection succeeds.
  if (dropped === undefined) return { ok: 1 };
  return { nIndexesWas: dropped.indexSpecs().length, ns: dropped.namespace, ok: 1 };
};

const dropDatabase: CommandHandler = (_command, context) => {
  context.storage.dropDatabase(context.databaseName);
  return { dropped: context.databaseName, ok: 1 };
};

/** A cursor reply whose whole result fits the first batch (catalog listings). */
function singleBatchCursor(namespace: string, documents: Document[]): Document {
  return { cursor: { id: Long.ZERO, ns: namespace, firstBatch: documents }, ok: 1 };
}

const listCollections: CommandHandler = (command, context) => {
  const isNameOnly = command['nameOnly'] === true;
  const entries = context.storage
    .collections(context.databaseName)
    .map((collection) => describeCollection(collection, isNameOnly));
  return singleBatchCursor(
    `${context.databaseName}.$cmd.listCollections`,
    filterDocuments(entries, optionalDocument(command, 'filter')),
  );
};

const listDatabases: CommandHandler = (command, context) => {
  const entries = context.storage.databaseNames().map((name) => {
    const collections = context.storage.collections(name);
    const documentCount = collections.reduce((total, collection) => total + collection.size, 0);
    return { name, sizeOnDisk: 8192 * (1 + collections.length), empty: documentCount === 0 };
  });
  const databases = filterDocuments(entries, optionalDocument(command, 'filter'));
  if (command['nameOnly'] === true)
    return { databases: databases.map((entry) => ({ name: entry['name'] as string })), ok: 1 };
  const totalSize = databases.reduce((total, entry) => total + Number(entry['sizeOnDisk']), 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / (1024 * 1024)), ok: 1 };
};

function sameDefinition(a: IndexDefinition, b: IndexDefinition): boolean {
  const { name: _a, v: _va, ...restA } = a.spec;
  const { name: _b, v: _vb, ...restB } = b.spec;
  return valueKey(restA) === valueKey(restB);
}

const createIndexes: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'createIndexes');
  const rawIndexes: unknown = command['indexes'];
  if (!Array.isArray(rawIndexes) || rawIndexes.length === 0)
    throw badValue('Must specify at least one index to create');
  const isNew = findCollection(context, name) === undefined;
  const collection = context.storage.getOrCreateCollection(context.databaseName, name);
  const definitions = rawIndexes.map((raw: unknown) => parseIndexSpec(raw, collection.defaultCollation));
  const before = collection.indexSpecs().length;
  let hasNote = false;
  for (const definition of definitions) {
    if (definition.name === '_id_' || valueKey(definition.key) === valueKey({ _id: 1 })) {
      hasNote = true;
      continue;
    }
    const existing = collection.indexDefinitions();
    const sameName = existing.find((index) => index.name === definition.name);
    if (sameName !== undefined) {
      if (sameDefinition(sameName, definition)) {
        hasNote = true;
        continue;
      }
      throw new MongoCommandError(
        86,
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(definition.spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    // One key pattern may be indexed once per collation.
    const sameKey = existing.find(
      (index) =>
        valueKey(index.key) === valueKey(definition.key) &&
        collationKeyOf(index.collation) === collationKeyOf(definition.collation),
    );
    if (sameKey !== undefined) {
      throw new MongoCommandError(
        85,
        'IndexOptionsConflict',
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    collection.addIndex(definition);
  }
  const reply: Document = {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexSpecs().length,
    createdCollectionAutomatically: isNew,
  };
  if (hasNote && reply['numIndexesBefore'] === reply['numIndexesAfter'])
    reply['note'] = 'all indexes already exist';
  return { ...reply, ok: 1 };
};

function requireCollection(context: CommandContext, name: string): CollectionStore {
  const collection = findCollection(context, name);
  if (collection === undefined)
    throw new MongoCommandError(26, 'NamespaceNotFound', `ns does not exist: ${namespaceOf(context, name)}`);
  return collection;
}

const listIndexes: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'listIndexes');
  const collection = requireCollection(context, name);
  return singleBatchCursor(`${context.databaseName}.$cmd.listIndexes.${name}`, collection.indexSpecs());
};

const dropIndexes: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, Object.keys(command)[0] ?? 'dropIndexes');
  const collection = requireCollection(context, name);
  const before = collection.indexSpecs().length;
  const target: unknown = command['index'];
  const names: string[] = [];
  if (target === '*') {
    collection.dropAllIndexes();
    return { nIndexesWas: before, msg: 'non-_id indexes dropped for collection', ok: 1 };
  }
  if (typeof target === 'string') names.push(target);
  else if (Array.isArray(target))
    names.push(...target.filter((item): item is string => typeof item === 'string'));
  else if (typeof target === 'object' && target !== null) {
    const match = collection.indexDefinitions().find((index) => valueKey(index.key) === valueKey(target));
    if (match === undefined)
      throw new MongoCommandError(
        27,
        'IndexNotFound',
        `can't find index with key: ${JSON.stringify(target)}`,
      );
    names.push(match.name);
  } else {
    throw badValue('dropIndexes requires an index name, key pattern or "*"');
  }
  for (const indexName of names) {
    if (indexName === '_id_') throw new MongoCommandError(72, 'InvalidOptions', 'cannot drop _id index');
    if (!collection.indexDefinitions().some((index) => index.name === indexName)) {
      throw new MongoCommandError(27, 'IndexNotFound', `index not found with name [${indexName}]`);
    }
  }
  for (const indexName of names) collection.dropIndex(indexName);
  return { nIndexesWas: before, ok: 1 };
};

export const catalogCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};

import {
  MongoClient,
  MongoClientBulkWriteError,
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type AnyClientBulkWriteModel,
  type BulkWriteResult,
  type ClientBulkWriteResult,
  type Collection,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type Document,
  type MongoClientOptions,
} from 'mongodb';
import { findMismatches, isPlainObject } from './unified-match';
import type {
  CollectionData,
  ExpectedError,
  ExpectedEvent,
  Operation,
  RunOnRequirement,
  SpecFile,
  SpecTest,
} from './unified-format';

/** What the server under test says it is, for runOnRequirements. */
export interface ServerFacts {
  readonly version: string;
  readonly topology: 'single' | 'replicaset' | 'sharded';
}

export async function describeServer(client: MongoClient): Promise<ServerFacts> {
  const admin = client.db('admin');
  const info = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  const topology =
    hello['msg'] === 'isdbgrid' ? 'sharded' : typeof hello['setName'] === 'string' ? 'replicaset' : 'single';
  return { version: String(info['version']), topology };
}

function versionParts(version: string): number[] {
  const parts = version.split('.').map((part) => Number.parseInt(part, 10));
  while (parts.length < 3) parts.push(0);
  return parts.map((part) => (Number.isFinite(part) ? part : 0));
}

export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function meetsRequirement(requirement: RunOnRequirement, server: ServerFacts): boolean {
  if (
    requirement.minServerVersion !== undefined &&
    compareVersions(server.version, requirement.minServerVersion) < 0
  )
    return false;
  if (
    requirement.maxServerVersion !== undefined &&
    compareVersions(server.version, requirement.maxServerVersion) > 0
  )
    return false;
  if (requirement.topologies !== undefined && !requirement.topologies.includes(server.topology)) return false;
  if (requirement.serverless === 'require') return false;
  return true;
}

/** A test applies when its file's and its own runOnRequirements each have one requirement the server meets. */
export function isApplicable(file: SpecFile, test: SpecTest, server: ServerFacts): boolean {
  const fits = (requirements: RunOnRequirement[] | undefined): boolean =>
    requirements === undefined || requirements.some((requirement) => meetsRequirement(requirement, server));
  return fits(file.runOnRequirements) && fits(test.runOnRequirements);
}

type ObservedEvent =
  | { readonly type: 'commandStartedEvent'; readonly event: CommandStartedEvent }
  | { readonly type: 'commandSucceededEvent'; readonly event: CommandSucceededEvent }
  | { readonly type: 'commandFailedEvent'; readonly event: CommandFailedEvent };

interface ClientEntity {
  readonly client: MongoClient;
  readonly events: ObservedEvent[];
}

interface Entities {
  readonly clients: Map<string, ClientEntity>;
  readonly databases: Map<string, Db>;
  readonly collections: Map<string, Collection>;
}

/** Commands the format says are never observed (handshakes, auth, the runner's own fail points). */
const UNOBSERVED_COMMANDS = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'saslStart',
  'saslContinue',
  'authenticate',
  'getnonce',
  'configureFailPoint',
]);

/** Driver options named as the format's uriOptions are, where they differ. */
function clientOptionsFrom(uriOptions: Document | undefined): MongoClientOptions {
  const options: Document = {};
  for (const [key, value] of Object.entries(uriOptions ?? {})) {
    if (key === 'w')
      options['writeConcern'] = { ...(options['writeConcern'] as Document | undefined), w: value };
    else if (key === 'readConcernLevel') options['readConcern'] = { level: value };
    else options[key] = value;
  }
  return options;
}

async function createEntities(file: SpecFile, uri: string): Promise<Entities> {
  const entities: Entities = { clients: new Map(), databases: new Map(), collections: new Map() };
  for (const description of file.createEntities ?? []) {
    if ('client' in description) {
      const spec = description.client;
      const observed = new Set(spec.observeEvents ?? []);
      const ignored = new Set(spec.ignoreCommandMonitoringEvents ?? []);
      const client = new MongoClient(uri, {
        serverSelectionTimeoutMS: 5000,
        monitorCommands: true,
        ...clientOptionsFrom(spec.uriOptions),
      });
      const events: ObservedEvent[] = [];
      const isObserved = (commandName: string): boolean =>
        !UNOBSERVED_COMMANDS.has(commandName) && !ignored.has(commandName);
      if (observed.has('commandStartedEvent'))
        client.on('commandStarted', (event) => {
          if (isObserved(event.commandName)) events.push({ type: 'commandStartedEvent', event });
        });
      if (observed.has('commandSucceededEvent'))
        client.on('commandSucceeded', (event) => {
          if (isObserved(event.commandName)) events.push({ type: 'commandSucceededEvent', event });
        });
      if (observed.has('commandFailedEvent'))
        client.on('commandFailed', (event) => {
          if (isObserved(event.commandName)) events.push({ type: 'commandFailedEvent', event });
        });
      await client.connect();
      entities.clients.set(spec.id, { client, events });
    } else if ('database' in description) {
      const spec = description.database;
      const owner = entities.clients.get(spec.client);
      if (owner === undefined) throw new Error(`database ${spec.id} names unknown client ${spec.client}`);
      entities.databases.set(spec.id, owner.client.db(spec.databaseName, spec.databaseOptions ?? {}));
    } else {
      const spec = description.collection;
      const database = entities.databases.get(spec.database);
      if (database === undefined)
        throw new Error(`collection ${spec.id} names unknown database ${spec.database}`);
      entities.collections.set(
        spec.id,
        database.collection(spec.collectionName, spec.collectionOptions ?? {}),
      );
    }
  }
  return entities;
}

async function closeEntities(entities: Entities): Promise<void> {
  for (const { client } of entities.clients.values()) await client.close();
}

/** initialData: each collection dropped, then filled (or created empty), with majority write concern. */
async function loadInitialData(admin: MongoClient, data: readonly CollectionData[]): Promise<void> {
  for (const entry of data) {
    const database = admin.db(entry.databaseName);
    await database
      .collection(entry.collectionName)
      .drop({ writeConcern: { w: 'majority' } })
      .catch(() => undefined);
    if (entry.documents.length === 0 || entry.createOptions !== undefined) {
      await database.createCollection(entry.collectionName, {
        ...(entry.createOptions ?? {}),
        writeConcern: { w: 'majority' },
      });
    }
    if (entry.documents.length > 0) {
      await database.collection(entry.collectionName).insertMany(
        entry.documents.map((document) => ({ ...document })),
        { writeConcern: { w: 'majority' } },
      );
    }
  }
}

function bulkWriteResultOf(result: BulkWriteResult): Document {
  return {
    deletedCount: result.deletedCount,
    insertedCount: result.insertedCount,
    insertedIds: { ...result.insertedIds },
    matchedCount: result.matchedCount,
    modifiedCount: result.modifiedCount,
    upsertedCount: result.upsertedCount,
    upsertedIds: { ...result.upsertedIds },
  };
}

function mapToDocument(map: ReadonlyMap<number, unknown> | undefined): Document | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries([...map.entries()].map(([index, value]) => [String(index), value]));
}

function clientBulkWriteResultOf(result: ClientBulkWriteResult): Document {
  const document: Document = {
    insertedCount: result.insertedCount,
    upsertedCount: result.upsertedCount,
    matchedCount: result.matchedCount,
    modifiedCount: result.modifiedCount,
    deletedCount: result.deletedCount,
  };
  const inserts = mapToDocument(result.insertResults);
  const updates = mapToDocument(result.updateResults);
  const deletes = mapToDocument(result.deleteResults);
  if (inserts !== undefined) document['insertResults'] = inserts;
  if (updates !== undefined) document['updateResults'] = updates;
  if (deletes !== undefined) document['deleteResults'] = deletes;
  return document;
}

/** Driver spelling of the format's arguments: `returnDocument: "After"` is `'after'`. */
function driverOptions(args: Document, omit: readonly string[]): Document {
  const options: Document = {};
  for (const [key, value] of Object.entries(args)) {
    if (omit.includes(key)) continue;
    options[key] = key === 'returnDocument' && typeof value === 'string' ? value.toLowerCase() : value;
  }
  return options;
}

function clientBulkWriteModels(models: unknown): AnyClientBulkWriteModel<Document>[] {
  if (!Array.isArray(models)) throw new Error('clientBulkWrite needs a models array');
  return models.map((model: unknown) => {
    if (!isPlainObject(model)) throw new Error('clientBulkWrite model must be a document');
    const [name] = Object.keys(model);
    const body: unknown = name === undefined ? undefined : model[name];
    if (name === undefined || !isPlainObject(body))
      throw new Error('clientBulkWrite model must name one operation');
    return { name, ...body } as unknown as AnyClientBulkWriteModel<Document>;
  });
}

function stringArgument(args: Document, name: string): string {
  const value: unknown = args[name];
  if (typeof value !== 'string') throw new Error(`argument ${name} must be a string`);
  return value;
}

function documentArgument(args: Document, name: string): Document {
  const value: unknown = args[name];
  if (!isPlainObject(value)) throw new Error(`argument ${name} must be a document`);
  return value;
}

function arrayArgument(args: Document, name: string): Document[] {
  const value: unknown = args[name];
  if (!Array.isArray(value)) throw new Error(`argument ${name} must be an array`);
  return value as Document[];
}

async function runCollectionOperation(collection: Collection, operation: Operation): Promise<unknown> {
  const args = operation.arguments ?? {};
  const filter = (): Document => (args['filter'] === undefined ? {} : documentArgument(args, 'filter'));
  switch (operation.name) {
    case 'aggregate':
      return collection
        .aggregate(arrayArgument(args, 'pipeline'), driverOptions(args, ['pipeline']))
        .toArray();
    case 'bulkWrite':
      return bulkWriteResultOf(
        await collection.bulkWrite(
          arrayArgument(args, 'requests') as AnyBulkWriteOperation[],
          driverOptions(args, ['requests']),
        ),
      );
    case 'count':
      return collection.count(filter(), driverOptions(args, ['filter']));
    case 'countDocuments':
      return collection.countDocuments(filter(), driverOptions(args, ['filter']));
    case 'estimatedDocumentCount':
      return collection.estimatedDocumentCount(driverOptions(args, []));
    case 'deleteMany':
      return collection.deleteMany(filter(), driverOptions(args, ['filter']));
    case 'deleteOne':
      return collection.deleteOne(filter(), driverOptions(args, ['filter']));
    case 'distinct':
      return collection.distinct(
        stringArgument(args, 'fieldName'),
        filter(),
        driverOptions(args, ['fieldName', 'filter']),
      );
    case 'find':
      return collection.find(filter(), driverOptions(args, ['filter'])).toArray();
    case 'findOne':
      return collection.findOne(filter(), driverOptions(args, ['filter']));
    case 'findOneAndDelete':
      return collection.findOneAndDelete(filter(), driverOptions(args, ['filter']));
    case 'findOneAndReplace':
      return collection.findOneAndReplace(
        filter(),
        documentArgument(args, 'replacement'),
        driverOptions(args, ['filter', 'replacement']),
      );
    case 'findOneAndUpdate':
      return collection.findOneAndUpdate(
        filter(),
        args['update'] as Document | Document[],
        driverOptions(args, ['filter', 'update']),
      );
    case 'insertMany':
      return collection.insertMany(
        arrayArgument(args, 'documents').map((document) => ({ ...document })),
        driverOptions(args, ['documents']),
      );
    case 'insertOne':
      return collection.insertOne(
        { ...documentArgument(args, 'document') },
        driverOptions(args, ['document']),
      );
    case 'replaceOne':
      return collection.replaceOne(
        filter(),
        documentArgument(args, 'replacement'),
        driverOptions(args, ['filter', 'replacement']),
      );
    case 'updateMany':
      return collection.updateMany(
        filter(),
        args['update'] as Document | Document[],
        driverOptions(args, ['filter', 'update']),
      );
    case 'updateOne':
      return collection.updateOne(
        filter(),
        args['update'] as Document | Document[],
        driverOptions(args, ['filter', 'update']),
      );
    case 'createIndex':
      return collection.createIndex(documentArgument(args, 'keys'), driverOptions(args, ['keys']));
    default:
      throw new Error(`The spec runner does not support the collection operation ${operation.name}`);
  }
}

async function runDatabaseOperation(database: Db, operation: Operation): Promise<unknown> {
  const args = operation.arguments ?? {};
  switch (operation.name) {
    case 'aggregate':
      return database.aggregate(arrayArgument(args, 'pipeline'), driverOptions(args, ['pipeline'])).toArray();
    case 'createCollection':
      await database.createCollection(
        stringArgument(args, 'collection'),
        driverOptions(args, ['collection']),
      );
      return undefined;
    case 'dropCollection':
      return database.dropCollection(stringArgument(args, 'collection'), driverOptions(args, ['collection']));
    case 'modifyCollection':
      return database.command({
        collMod: stringArgument(args, 'collection'),
        ...driverOptions(args, ['collection']),
      });
    default:
      throw new Error(`The spec runner does not support the database operation ${operation.name}`);
  }
}

/** Fail points the runner set, switched off after the test whatever happened. */
interface FailPointRecord {
  readonly client: MongoClient;
  readonly name: string;
}

async function runOperation(
  entities: Entities,
  operation: Operation,
  failPoints: FailPointRecord[],
): Promise<unknown> {
  const args = operation.arguments ?? {};
  if (operation.object === 'testRunner') {
    if (operation.name !== 'failPoint')
      throw new Error(`The spec runner does not support the testRunner operation ${operation.name}`);
    const owner = entities.clients.get(stringArgument(args, 'client'));
    if (owner === undefined) throw new Error('failPoint names an unknown client');
    const failPoint = documentArgument(args, 'failPoint');
    await owner.client.db('admin').command(failPoint);
    failPoints.push({ client: owner.client, name: String(failPoint['configureFailPoint']) });
    return undefined;
  }
  const collection = entities.collections.get(operation.object);
  if (collection !== undefined) return runCollectionOperation(collection, operation);
  const database = entities.databases.get(operation.object);
  if (database !== undefined) return runDatabaseOperation(database, operation);
  const owner = entities.clients.get(operation.object);
  if (owner !== undefined && operation.name === 'clientBulkWrite') {
    return clientBulkWriteResultOf(
      await owner.client.bulkWrite(clientBulkWriteModels(args['models']), driverOptions(args, ['models'])),
    );
  }
  throw new Error(`The spec runner does not support ${operation.name} on ${operation.object}`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Checks an error against expectError; returns the mismatches. */
function checkError(expected: ExpectedError, error: unknown): string[] {
  const problems: string[] = [];
  const isServerError = error instanceof MongoServerError;
  const fields = (error ?? {}) as { code?: unknown; codeName?: unknown; errorResponse?: unknown };
  if (expected.isClientError !== undefined && expected.isClientError === isServerError) {
    problems.push(
      `expected a ${expected.isClientError ? 'client' : 'server'} error, got ${isServerError ? 'a server' : 'a client'} error: ${errorMessage(error)}`,
    );
  }
  if (
    expected.errorContains !== undefined &&
    !errorMessage(error).toLowerCase().includes(expected.errorContains.toLowerCase())
  )
    problems.push(`expected the error to contain "${expected.errorContains}", got "${errorMessage(error)}"`);
  if (expected.errorCode !== undefined && fields.code !== expected.errorCode)
    problems.push(
      `expected error code ${expected.errorCode}, got ${String(fields.code)} (${errorMessage(error)})`,
    );
  if (expected.errorCodeName !== undefined && fields.codeName !== expected.errorCodeName)
    problems.push(
      `expected error code name ${expected.errorCodeName}, got ${String(fields.codeName)} (${errorMessage(error)})`,
    );
  const labels = error instanceof MongoServerError ? error.errorLabels : [];
  for (const label of expected.errorLabelsContain ?? [])
    if (!labels.includes(label)) problems.push(`expected error label ${label}`);
  for (const label of expected.errorLabelsOmit ?? [])
    if (labels.includes(label)) problems.push(`unexpected error label ${label}`);
  if (expected.errorResponse !== undefined) {
    const response = fields.errorResponse ?? error;
    problems.push(
      ...findMismatches(expected.errorResponse, response, { isRoot: true }).map((m) => `errorResponse ${m}`),
    );
  }
  if (expected.expectResult !== undefined) {
    const partial =
      error instanceof MongoBulkWriteError
        ? bulkWriteResultOf(error.result)
        : error instanceof MongoClientBulkWriteError && error.partialResult !== undefined
          ? clientBulkWriteResultOf(error.partialResult)
          : undefined;
    problems.push(
      ...findMismatches(expected.expectResult, partial, { isRoot: true }).map((m) => `partial result ${m}`),
    );
  }
  if (expected.writeErrors !== undefined) {
    const actual = error instanceof MongoClientBulkWriteError ? mapToDocument(error.writeErrors) : undefined;
    problems.push(
      ...findMismatches(expected.writeErrors, actual, { isRoot: true }).map((m) => `writeErrors ${m}`),
    );
  }
  if (expected.writeConcernErrors !== undefined) {
    const actual = error instanceof MongoClientBulkWriteError ? error.writeConcernErrors : undefined;
    problems.push(
      ...findMismatches(expected.writeConcernErrors, actual, { isRoot: true }).map(
        (m) => `writeConcernErrors ${m}`,
      ),
    );
  }
  return problems;
}

function eventAsDocument(observed: ObservedEvent): Document {
  switch (observed.type) {
    case 'commandStartedEvent':
      return {
        command: observed.event.command,
        commandName: observed.event.commandName,
        databaseName: observed.event.databaseName,
      };
    case 'commandSucceededEvent':
      return { reply: observed.event.reply, commandName: observed.event.commandName };
    case 'commandFailedEvent':
      return { commandName: observed.event.commandName };
  }
}

function checkEvents(
  expected: readonly ExpectedEvent[],
  actual: readonly ObservedEvent[],
  isExtraAllowed: boolean,
): string[] {
  const problems: string[] = [];
  if (actual.length < expected.length || (!isExtraAllowed && actual.length !== expected.length)) {
    problems.push(
      `expected ${expected.length} events, observed ${actual.length}: ${actual.map((e) => `${e.type}(${e.event.commandName})`).join(', ')}`,
    );
  }
  expected.forEach((wanted, index) => {
    const [type] = Object.keys(wanted) as ObservedEvent['type'][];
    const observed = actual[index];
    if (observed === undefined || type === undefined) return;
    if (observed.type !== type) {
      problems.push(
        `event ${index}: expected ${type}, observed ${observed.type}(${observed.event.commandName})`,
      );
      return;
    }
    const body: Document = (wanted as Record<string, Document | undefined>)[type] ?? {};
    const actualBody = eventAsDocument(observed);
    for (const [field, value] of Object.entries(body)) {
      problems.push(
        ...findMismatches(value, actualBody[field], { isRoot: true }).map(
          (m) => `event ${index} ${type}.${field} ${m}`,
        ),
      );
    }
  });
  return problems;
}

async function checkOutcome(admin: MongoClient, outcome: readonly CollectionData[]): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of outcome) {
    const documents = await admin
      .db(entry.databaseName)
      .collection(entry.collectionName)
      .find({}, { sort: { _id: 1 }, readConcern: { level: 'local' }, readPreference: 'primary' })
      .toArray();
    problems.push(
      ...findMismatches(entry.documents, documents, { isRoot: false }).map(
        (m) => `outcome ${entry.databaseName}.${entry.collectionName} ${m}`,
      ),
    );
  }
  return problems;
}

/**
 * Runs one test of a spec file: fresh entities, initialData, each operation with its
 * expected result or error, then the expected events and the final collections.
 * Returns every mismatch found (empty when the test passes).
 */
export async function runSpecTest(
  file: SpecFile,
  test: SpecTest,
  uri: string,
  admin: MongoClient,
): Promise<string[]> {
  await loadInitialData(admin, file.initialData ?? []);
  const entities = await createEntities(file, uri);
  const failPoints: FailPointRecord[] = [];
  const problems: string[] = [];
  try {
    for (const [index, operation] of test.operations.entries()) {
      const label = `operation ${index} (${operation.name})`;
      let result: unknown;
      let failure: unknown;
      let hasFailed = false;
      try {
        result = await runOperation(entities, operation, failPoints);
      } catch (error: unknown) {
        failure = error;
        hasFailed = true;
      }
      if (operation.expectError !== undefined) {
        if (!hasFailed) problems.push(`${label}: expected an error, got a result`);
        else problems.push(...checkError(operation.expectError, failure).map((m) => `${label}: ${m}`));
        continue;
      }
      if (hasFailed) {
        problems.push(`${label}: unexpected error: ${errorMessage(failure)}`);
        break;
      }
      if (operation.expectResult !== undefined) {
        problems.push(
          ...findMismatches(operation.expectResult, result, { isRoot: true }).map(
            (m) => `${label}: result ${m}`,
          ),
        );
      }
    }
    for (const expected of test.expectEvents ?? []) {
      const owner = entities.clients.get(expected.client);
      if (owner === undefined) throw new Error(`expectEvents names unknown client ${expected.client}`);
      problems.push(...checkEvents(expected.events, owner.events, expected.ignoreExtraEvents === true));
    }
    if (test.outcome !== undefined) problems.push(...(await checkOutcome(admin, test.outcome)));
  } finally {
    for (const failPoint of failPoints) {
      await failPoint.client
        .db('admin')
        .command({ configureFailPoint: failPoint.name, mode: 'off' })
        .catch(() => undefined);
    }
    await closeEntities(entities);
  }
  return problems;
}

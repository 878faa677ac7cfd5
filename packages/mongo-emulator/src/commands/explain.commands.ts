import type { Document } from 'bson';
import { MongoCommandError, badValue } from '../command-error';
import { aggregateShape, runQuery, type QueryShape } from '../query-planner';
import { SERVER_VERSION } from './admin.commands';
import { scopeOf } from './command-scope';
import {
  collectionNameOf,
  documentArray,
  findCollection,
  isPlainDocument,
  namespaceOf,
  optionalDocument,
  optionalNumber,
  type CommandContext,
  type CommandHandler,
} from './command-context';

const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

/**
 * The plan a query gets, as `explain` reports it: `queryPlanner.winningPlan` is a tree
 * of stages (LIMIT/SKIP/SORT → FETCH → IXSCAN with `indexName`, or COLLSCAN). With
 * `executionStats` the query runs (writes never do) and the keys and documents it
 * examined are counted.
 */
export function explainQuery(
  context: CommandContext,
  collectionName: string,
  shape: QueryShape,
  verbosity: string,
  command: Document = {},
): Document {
  const planned = runQuery(findCollection(context, collectionName), shape);
  const reply: Document = {
    explainVersion: '1',
    queryPlanner: {
      namespace: namespaceOf(context, collectionName),
      indexFilterSet: false,
      parsedQuery: shape.filter ?? {},
      winningPlan: planned.winningPlan,
      rejectedPlans: planned.rejectedPlans,
    },
    command,
    serverInfo: { host: 'localhost', port: 0, version: SERVER_VERSION, gitVersion: 'parley-emulator' },
    ok: 1,
  };
  if (verbosity !== 'queryPlanner') {
    reply['executionStats'] = {
      executionSuccess: true,
      nReturned: planned.documents.length,
      executionTimeMillis: 0,
      totalKeysExamined: planned.stats.keysExamined,
      totalDocsExamined: planned.stats.docsExamined,
    };
  }
  return reply;
}

function explainedShape(inner: Document, name: string): { collection: string; shape: QueryShape } {
  switch (name) {
    case 'find': {
      const limit = optionalNumber(inner, 'limit');
      return {
        collection: collectionNameOf(inner, name),
        shape: {
          filter: optionalDocument(inner, 'filter'),
          sort: optionalDocument(inner, 'sort'),
          skip: optionalNumber(inner, 'skip'),
          limit: limit === undefined ? undefined : Math.abs(limit),
          hint: inner['hint'],
        },
      };
    }
    case 'count':
    case 'distinct':
      return {
        collection: collectionNameOf(inner, name),
        shape: { filter: optionalDocument(inner, 'query'), hint: inner['hint'] },
      };
    case 'aggregate':
      return {
        collection: collectionNameOf(inner, name),
        shape: aggregateShape(documentArray(inner, 'pipeline')).shape,
      };
    case 'findAndModify':
    case 'findandmodify':
      return {
        collection: collectionNameOf(inner, name),
        shape: { filter: optionalDocument(inner, 'query'), sort: optionalDocument(inner, 'sort'), limit: 1 },
      };
    case 'update':
    case 'delete': {
      const statements = documentArray(inner, name === 'update' ? 'updates' : 'deletes');
      const [first] = statements;
      if (first === undefined || statements.length !== 1)
        throw badValue(`explain of ${name} needs exactly one statement`);
      const isSingle = name === 'update' ? first['multi'] !== true : first['limit'] === 1;
      return {
        collection: collectionNameOf(inner, name),
        shape: {
          filter: optionalDocument(first, 'q'),
          hint: first['hint'],
          ...(isSingle ? { limit: 1 } : {}),
        },
      };
    }
    default:
      throw new MongoCommandError(
        72,
        'InvalidOptions',
        `Explain of ${name} is not supported by the emulator (find, count, distinct, aggregate, findAndModify, update, delete are)`,
      );
  }
}

const explain: CommandHandler = (command, context) => {
  const inner: unknown = command['explain'];
  if (!isPlainDocument(inner)) throw badValue('explain needs a command document');
  const name = Object.keys(inner)[0] ?? '';
  const verbosity: unknown = command['verbosity'] ?? 'allPlansExecution';
  if (typeof verbosity !== 'string' || !VERBOSITIES.has(verbosity))
    throw badValue(`verbosity must be one of queryPlanner, executionStats, allPlansExecution`);
  const { collection, shape } = explainedShape(inner, name);
  const statements: unknown = inner['updates'] ?? inner['deletes'];
  const statement: unknown = Array.isArray(statements) ? statements[0] : undefined;
  const statementCollation: unknown = isPlainDocument(statement) ? statement['collation'] : undefined;
  const scope = scopeOf(
    statementCollation === undefined ? inner : { ...inner, collation: statementCollation },
    name,
    findCollection(context, collection),
  );
  return explainQuery(context, collection, { ...shape, scope }, verbosity, inner);
};

export const explainCommands: Record<string, CommandHandler> = { explain };

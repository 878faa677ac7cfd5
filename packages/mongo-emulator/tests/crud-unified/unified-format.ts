import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import { z } from 'zod';

/**
 * The parts of MongoDB's Unified Test Format (schema 1.x) that the CRUD spec files use.
 * Anything else in a file makes the runner refuse that file by name, rather than run
 * half of it and pass.
 */
const documentSchema = z.record(z.string(), z.unknown());

const runOnRequirementSchema = z
  .object({
    minServerVersion: z.string().optional(),
    maxServerVersion: z.string().optional(),
    topologies: z
      .array(z.enum(['single', 'replicaset', 'sharded', 'sharded-replicaset', 'load-balanced']))
      .optional(),
    serverless: z.enum(['require', 'forbid', 'allow']).optional(),
  })
  .strict();

const clientEntitySchema = z
  .object({
    id: z.string(),
    uriOptions: documentSchema.optional(),
    useMultipleMongoses: z.boolean().optional(),
    observeEvents: z
      .array(z.enum(['commandStartedEvent', 'commandSucceededEvent', 'commandFailedEvent']))
      .optional(),
    ignoreCommandMonitoringEvents: z.array(z.string()).optional(),
    observeSensitiveCommands: z.boolean().optional(),
  })
  .strict();

const entitySchema = z.union([
  z.object({ client: clientEntitySchema }).strict(),
  z
    .object({
      database: z
        .object({
          id: z.string(),
          client: z.string(),
          databaseName: z.string(),
          databaseOptions: documentSchema.optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      collection: z
        .object({
          id: z.string(),
          database: z.string(),
          collectionName: z.string(),
          collectionOptions: documentSchema.optional(),
        })
        .strict(),
    })
    .strict(),
]);

const collectionDataSchema = z
  .object({
    collectionName: z.string(),
    databaseName: z.string(),
    documents: z.array(documentSchema),
    createOptions: documentSchema.optional(),
  })
  .strict();

const expectedErrorSchema = z
  .object({
    isError: z.literal(true).optional(),
    isClientError: z.boolean().optional(),
    errorContains: z.string().optional(),
    errorCode: z.number().optional(),
    errorCodeName: z.string().optional(),
    errorLabelsContain: z.array(z.string()).optional(),
    errorLabelsOmit: z.array(z.string()).optional(),
    errorResponse: documentSchema.optional(),
    expectResult: z.unknown().optional(),
    writeErrors: documentSchema.optional(),
    writeConcernErrors: z.array(documentSchema).optional(),
  })
  .strict();

const operationSchema = z
  .object({
    name: z.string(),
    object: z.string(),
    arguments: documentSchema.optional(),
    expectResult: z.unknown().optional(),
    expectError: expectedErrorSchema.optional(),
  })
  .strict();

const expectedEventSchema = z.union([
  z
    .object({
      commandStartedEvent: z
        .object({
          command: documentSchema.optional(),
          commandName: z.string().optional(),
          databaseName: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      commandSucceededEvent: z
        .object({ reply: documentSchema.optional(), commandName: z.string().optional() })
        .strict(),
    })
    .strict(),
  z.object({ commandFailedEvent: z.object({ commandName: z.string().optional() }).strict() }).strict(),
]);

const expectedEventsSchema = z
  .object({
    client: z.string(),
    eventType: z.literal('command').optional(),
    ignoreExtraEvents: z.boolean().optional(),
    events: z.array(expectedEventSchema),
  })
  .strict();

const testSchema = z
  .object({
    description: z.string(),
    runOnRequirements: z.array(runOnRequirementSchema).optional(),
    skipReason: z.string().optional(),
    operations: z.array(operationSchema),
    expectEvents: z.array(expectedEventsSchema).optional(),
    outcome: z.array(collectionDataSchema).optional(),
  })
  .strict();

const specFileSchema = z
  .object({
    description: z.string(),
    schemaVersion: z.string(),
    runOnRequirements: z.array(runOnRequirementSchema).optional(),
    createEntities: z.array(entitySchema).optional(),
    initialData: z.array(collectionDataSchema).optional(),
    tests: z.array(testSchema),
    _yamlAnchors: z.unknown().optional(),
  })
  .strict();

export type RunOnRequirement = z.infer<typeof runOnRequirementSchema>;
export type EntityDescription = z.infer<typeof entitySchema>;
export type CollectionData = z.infer<typeof collectionDataSchema>;
export type ExpectedError = z.infer<typeof expectedErrorSchema>;
export type Operation = z.infer<typeof operationSchema>;
export type ExpectedEvents = z.infer<typeof expectedEventsSchema>;
export type ExpectedEvent = z.infer<typeof expectedEventSchema>;
export type SpecTest = z.infer<typeof testSchema>;
export type SpecFile = z.infer<typeof specFileSchema> & { readonly fileName: string };

/** Where the CRUD spec files are checked in (`spec/`, vendored with their source and licence). */
export const CRUD_UNIFIED_DIRECTORY = path.join(__dirname, 'spec');

/** Reads one spec file; Extended JSON ($numberLong, $oid, $date…) becomes BSON values. */
export function loadSpecFile(fileName: string, directory = CRUD_UNIFIED_DIRECTORY): SpecFile {
  const text = readFileSync(path.join(directory, fileName), 'utf8');
  const parsed: unknown = EJSON.parse(text, { relaxed: true });
  const result = specFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(
      `${fileName} uses parts of the unified test format this runner does not know: ${result.error.message}`,
    );
  }
  return { ...result.data, fileName };
}

export function listSpecFiles(directory = CRUD_UNIFIED_DIRECTORY): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

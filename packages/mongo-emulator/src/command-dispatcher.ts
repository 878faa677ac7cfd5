import { Long, type Document } from 'bson';
import { MongoCommandError } from './command-error';
import { adminCommands, rejectTransactions } from './commands/admin.commands';
import { catalogCommands } from './commands/catalog.commands';
import { explainCommands } from './commands/explain.commands';
import { rejectUnsupportedOptions } from './commands/honest-options';
import { runCollStatsStage, statsCommands } from './commands/stats.commands';
import type { CommandContext, CommandHandler } from './commands/command-context';
import { readCommands } from './commands/read.commands';
import { writeCommands } from './commands/write.commands';
import { translateEngineError } from './query-engine';

const HANDLERS: ReadonlyMap<string, CommandHandler> = new Map(
  Object.entries({
    ...adminCommands,
    ...catalogCommands,
    ...readCommands,
    ...writeCommands,
    ...explainCommands,
    ...statsCommands,
  }),
);

/** `aggregate` whose first stage is `$collStats` reads catalog statistics, not documents. */
function collStatsReply(name: string, command: Document, context: CommandContext): Document | undefined {
  if (name !== 'aggregate') return undefined;
  const pipeline: unknown = command['pipeline'];
  const first: unknown = Array.isArray(pipeline) ? pipeline[0] : undefined;
  if (typeof first !== 'object' || first === null || !('$collStats' in first)) return undefined;
  const spec = (first as Document)['$collStats'] as Document;
  if ((pipeline as unknown[]).length > 1)
    throw new MongoCommandError(238, 'NotImplemented', 'stages after $collStats are not supported by the Parley MongoDB emulator');
  const collection = String(command['aggregate']);
  return {
    cursor: {
      id: Long.ZERO,
      ns: `${context.databaseName}.${collection}`,
      firstBatch: [runCollStatsStage(collection, spec, context)],
    },
    ok: 1,
  };
}

/**
 * Runs one command to completion and always returns a reply document: failures become
 * `{ ok: 0, ... }` exactly like a server's, so the connection never hangs on a bug.
 */
export function runCommand(command: Document, context: CommandContext): Document {
  const name = Object.keys(command)[0];
  const handler = name === undefined ? undefined : HANDLERS.get(name);
  if (name === undefined || handler === undefined) {
    return new MongoCommandError(59, 'CommandNotFound', `no such command: '${name ?? ''}'`).toReply();
  }
  try {
    rejectTransactions(command);
    rejectUnsupportedOptions(name, command);
    return collStatsReply(name, command, context) ?? handler(command, context);
  } catch (error: unknown) {
    if (error instanceof MongoCommandError) return error.toReply();
    return translateEngineError(error).toReply();
  }
}

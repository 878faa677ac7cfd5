import type { Document } from 'bson';
import { MongoCommandError } from './command-error';
import { adminCommands, rejectTransactions } from './commands/admin.commands';
import { catalogCommands } from './commands/catalog.commands';
import { explainCommands } from './commands/explain.commands';
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
  }),
);

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
    return handler(command, context);
  } catch (error: unknown) {
    if (error instanceof MongoCommandError) return error.toReply();
    return translateEngineError(error).toReply();
  }
}

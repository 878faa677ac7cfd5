import type { Document } from 'bson';
import { MongoCommandError } from '../command-error';
import { isPlainDocument } from './command-context';

/**
 * Options the emulator does not implement. MongoDB honours each of them; quietly
 * ignoring one would give a different answer than MongoDB (a collation that finds
 * nothing, a validator that lets anything in), so each is refused by name with
 * MongoDB's NotImplemented (238), and the client learns what really happened.
 */
function notImplemented(what: string): MongoCommandError {
  return new MongoCommandError(
    238,
    'NotImplemented',
    `${what} is not supported by the Parley MongoDB emulator`,
  );
}

/** `{ locale: 'simple' }` is binary comparison, which is what the emulator does anyway. */
function isSimpleCollation(value: unknown): boolean {
  return isPlainDocument(value) && value['locale'] === 'simple';
}

function checkCollation(value: unknown, where: string): void {
  if (value === undefined || value === null) return;
  if (!isSimpleCollation(value)) throw notImplemented(`collation (${where}) other than { locale: "simple" }`);
}

function checkLet(value: unknown, where: string): void {
  if (value === undefined || value === null) return;
  if (isPlainDocument(value) && Object.keys(value).length === 0) return;
  throw notImplemented(`let variables (${where})`);
}

/** Throws for an option this command carries that the emulator would otherwise ignore. */
/** Commands whose `let` variables the emulator evaluates (see let-variables.ts). */
const LET_COMMANDS = new Set(['find', 'aggregate', 'update', 'delete', 'findAndModify', 'findandmodify', 'explain']);
/** Commands (and their statements, indexes) that apply a collation (see collation.ts). */
const COLLATION_COMMANDS = new Set([
  ...LET_COMMANDS,
  'count',
  'distinct',
  'createIndexes',
  'create',
]);

export function rejectUnsupportedOptions(name: string, command: Document): void {
  if (!COLLATION_COMMANDS.has(name)) checkCollation(command['collation'], name);
  if (!LET_COMMANDS.has(name)) checkLet(command['let'], name);
  switch (name) {
    case 'create':
      if (command['viewOn'] !== undefined || command['pipeline'] !== undefined)
        throw notImplemented('views (viewOn)');
      if (
        command['validator'] !== undefined &&
        !(isPlainDocument(command['validator']) && Object.keys(command['validator']).length === 0)
      )
        throw notImplemented('document validation (validator, $jsonSchema)');
      if (command['timeseries'] !== undefined) throw notImplemented('time series collections');
      if (command['clusteredIndex'] !== undefined) throw notImplemented('clustered collections');
      return;
    case 'collMod':
      if (command['validator'] !== undefined)
        throw notImplemented('document validation (validator, $jsonSchema)');
      if (command['viewOn'] !== undefined || command['pipeline'] !== undefined)
        throw notImplemented('views (viewOn)');
      return;
    default:
      return;
  }
}

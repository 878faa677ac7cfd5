import type { Document } from 'bson';
import { aggregate } from 'mingo';
import { MongoCommandError, typeMismatch } from './command-error';
import { translateEngineError } from './query-engine';

/** MongoDB's rule for user variable names: a lower-case letter or non-ASCII character first, then letters, digits, `_`. */
const VARIABLE_NAME = /^[a-z\u0080-\uffff][\w\u0080-\uffff]*$/u;

function isPlainObject(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !('_bsontype' in value)
  );
}

/**
 * The `let` option of find, aggregate, update, delete and findAndModify: each value is
 * an expression evaluated once, before the command runs (`{ $literal: "$x" }` stays a
 * string, `{ $rand: {} }` becomes one number for every document), and is then
 * available as `$$name` in `$expr`, in aggregation stages and in update pipelines.
 */
export function evaluateLetVariables(value: unknown, commandName: string): Document | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    throw typeMismatch(`BSON field '${commandName}.let' is the wrong type '${typeof value}', expected type 'object'`);
  for (const name of Object.keys(value)) {
    if (name.length === 0) throw new MongoCommandError(16866, 'Location16866', 'empty variable names are not allowed');
    if (!VARIABLE_NAME.test(name))
      throw new MongoCommandError(
        16870,
        'Location16870',
        `'${name}' starts with an invalid character for a user variable name`,
      );
  }
  if (Object.keys(value).length === 0) return undefined;
  try {
    const [evaluated] = aggregate([{}], [{ $replaceWith: value }]);
    return (evaluated ?? {});
  } catch (error: unknown) {
    throw translateEngineError(error);
  }
}

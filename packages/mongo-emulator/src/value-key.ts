import type { Document } from 'bson';
import { toNumber, typeNameOf } from './bson-order';

/**
 * A string that is equal for two values exactly when MongoDB considers them equal
 * (1, 1.0 and Long(1) are the same key; ObjectIds compare by bytes). Used to key
 * documents by _id, unique index entries and distinct values.
 */
export function valueKey(value: unknown): string {
  const type = typeNameOf(value);
  switch (type) {
    case 'null':
    case 'minKey':
    case 'maxKey':
      return type;
    case 'number':
      return `n:${toNumber(value)}`;
    case 'string':
      return `s:${JSON.stringify(String(value))}`;
    case 'boolean':
      return `b:${String(value)}`;
    case 'date':
      return `d:${(value as Date).getTime()}`;
    case 'objectId':
      return `o:${String((value as { toHexString(): string }).toHexString())}`;
    case 'timestamp':
      return `t:${String(value)}`;
    case 'regex': {
      const regex = value as RegExp;
      return `r:${regex.source}/${regex.flags}`;
    }
    case 'binary': {
      const buffer: unknown = (value as { buffer?: unknown }).buffer;
      const bytes = buffer instanceof Uint8Array ? buffer : (value as Uint8Array);
      return `x:${Buffer.from(bytes).toString('base64')}`;
    }
    case 'array':
      return `[${(value as unknown[]).map(valueKey).join(',')}]`;
    case 'object':
      return `{${Object.entries(value as Document)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${JSON.stringify(k)}:${valueKey(v)}`)
        .join(',')}}`;
  }
}

/** Renders a value the way MongoDB prints it inside "dup key: { ... }". */
export function formatShellValue(value: unknown): string {
  const type = typeNameOf(value);
  switch (type) {
    case 'null':
      return 'null';
    case 'string':
      return JSON.stringify(String(value));
    case 'number':
    case 'boolean':
      return String(value);
    case 'objectId':
      return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
    case 'date':
      return `new Date(${(value as Date).getTime()})`;
    case 'array':
      return `[ ${(value as unknown[]).map(formatShellValue).join(', ')} ]`;
    case 'object': {
      const entries = Object.entries(value as Document).map(([k, v]) => `${k}: ${formatShellValue(v)}`);
      return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
    }
    default:
      return String(value);
  }
}

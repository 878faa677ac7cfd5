import type { Document } from 'bson';

/**
 * An error the emulator reports to the client as `{ ok: 0, errmsg, code, codeName }`.
 * Codes and names follow MongoDB's error_codes.yml so drivers and Mongoose react to
 * them exactly as they do to a real server (e.g. 11000 → MongoServerError duplicate key).
 */
export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra top-level reply fields, e.g. keyPattern/keyValue on duplicate keys. */
  readonly details: Document;

  constructor(code: number, codeName: string, message: string, details: Document = {}) {
    super(message);
    this.name = 'MongoCommandError';
    this.code = code;
    this.codeName = codeName;
    this.details = details;
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.details };
  }
}

export function badValue(message: string): MongoCommandError {
  return new MongoCommandError(2, 'BadValue', message);
}

export function failedToParse(message: string): MongoCommandError {
  return new MongoCommandError(9, 'FailedToParse', message);
}

export function typeMismatch(message: string): MongoCommandError {
  return new MongoCommandError(14, 'TypeMismatch', message);
}

export function namespaceNotFound(message: string): MongoCommandError {
  return new MongoCommandError(26, 'NamespaceNotFound', message);
}

/** Raised when a message cannot be framed or decoded; the connection is then closed. */
export class WireProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireProtocolError';
  }
}

import type { Connection, Model, Schema } from 'mongoose';

/**
 * The model `name` on this connection, compiled on first use. Several
 * components (or a restarted server in tests) may build repositories on one
 * connection; compiling a model twice would throw.
 */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  const existing = connection.models[name] as Model<T> | undefined;
  return existing ?? connection.model<T>(name, schema);
}

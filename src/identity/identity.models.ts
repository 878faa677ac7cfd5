import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '../db/model';
import type { AuthorStanding } from '../contracts/moderation';
import type { ModeratorRole } from '../contracts/moderation-api';

export interface ModeratorDoc {
  _id: Types.ObjectId;
  email: string;
  name: string;
  role: ModeratorRole;
  sites: string[];
  passwordHash: string;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SessionDoc {
  _id: Types.ObjectId;
  /** sha256 of the bearer token: a stolen database dump holds no usable token. */
  tokenHash: string;
  moderatorId: Types.ObjectId;
  csrfToken: string;
  expiresAt: Date;
  createdAt: Date;
  ip: string | null;
}

export interface AuthorDoc {
  _id: Types.ObjectId;
  site: string;
  kind: 'guest' | 'sso' | 'staff';
  externalId: string | null;
  name: string;
  avatar: string | null;
  email: string | null;
  /** From the SSO token's `badges` claim, or Parley's own for staff; never for guests. */
  badges?: string[];
  standing: AuthorStanding;
  suspendedUntil: Date | null;
  counts: { published: number; pending: number; rejected: number };
  createdAt: Date;
  updatedAt: Date;
}

export interface IdentityModels {
  Moderator: Model<ModeratorDoc>;
  Session: Model<SessionDoc>;
  Author: Model<AuthorDoc>;
}

const moderatorSchema = new Schema<ModeratorDoc>(
  {
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    role: { type: String, enum: ['admin', 'moderator'], required: true },
    sites: { type: [String], default: [] },
    passwordHash: { type: String, required: true },
    failedLogins: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
  },
  { timestamps: true, collection: 'moderators' },
);

const sessionSchema = new Schema<SessionDoc>(
  {
    tokenHash: { type: String, required: true, unique: true },
    moderatorId: { type: Schema.Types.ObjectId, required: true, index: true },
    csrfToken: { type: String, required: true },
    expiresAt: { type: Date, required: true, expires: 0 },
    ip: { type: String, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'moderator_sessions' },
);

const authorSchema = new Schema<AuthorDoc>(
  {
    site: { type: String, required: true },
    kind: { type: String, enum: ['guest', 'sso', 'staff'], required: true },
    externalId: { type: String, default: null },
    name: { type: String, required: true },
    avatar: { type: String, default: null },
    email: { type: String, default: null },
    badges: { type: [String], default: [] },
    standing: { type: String, enum: ['active', 'banned', 'suspended', 'premoderated'], default: 'active' },
    suspendedUntil: { type: Date, default: null },
    counts: {
      published: { type: Number, default: 0 },
      pending: { type: Number, default: 0 },
      rejected: { type: Number, default: 0 },
    },
  },
  { timestamps: true, collection: 'authors' },
);
// One author per SSO user per site; guests have no external id.
authorSchema.index(
  { site: 1, externalId: 1 },
  { unique: true, partialFilterExpression: { kind: 'sso' } },
);
// One staff identity per moderator per site (a moderator answering in the thread).
authorSchema.index(
  { site: 1, kind: 1, externalId: 1 },
  { unique: true, partialFilterExpression: { kind: 'staff' } },
);

export function registerIdentityModels(connection: Connection): IdentityModels {
  return {
    Moderator: modelOn(connection, 'Moderator', moderatorSchema),
    Session: modelOn(connection, 'ModeratorSession', sessionSchema),
    Author: modelOn(connection, 'Author', authorSchema),
  };
}

import type { AuthorStanding } from '../contracts/moderation';
import type { ModeratorDto } from '../contracts/moderation-api';

/** A moderator authenticated for this request or socket. */
export interface ModeratorPrincipal extends ModeratorDto {
  sessionId: string;
  /** How the request proved who it is: cookie sessions need a CSRF token on unsafe requests. */
  via: 'bearer' | 'cookie';
}

/** A commenter on one site: a guest with an author token, or a host-site SSO user. */
export interface AuthorRecord {
  id: string;
  site: string;
  /** `staff`: a moderator answering in the thread as the site's staff. */
  kind: 'guest' | 'sso' | 'staff';
  /** The SSO `sub` for SSO users; `moderator:<id>` for staff. */
  externalId: string | null;
  name: string;
  avatar: string | null;
  /** Shown beside the name (SSO `badges` claim, or `Moderator` for staff); always empty for guests. */
  badges: string[];
  /** The address an SSO sign-in carried (guests have none here); used for reply notifications. */
  email?: string | null;
  standing: AuthorStanding;
  suspendedUntil: Date | null;
  /** Comments by status, kept by diff by the comment service. */
  counts: { published: number; pending: number; rejected: number };
  createdAt: Date;
}

export interface ResolveAuthorInput {
  site: string;
  /** `Authorization: Bearer …` of a guest (author token) or of a signed-in reader (SSO JWT). */
  bearer?: string | undefined;
  /** The site's SSO secret, when it has one. */
  ssoSecret?: string | undefined;
  /** Guest display name, required for a guest's first post. */
  displayName?: string | undefined;
  /** Salted hash of the client address: guests are refused on a client a banned guest posted from. */
  clientHash?: string | undefined;
}

export interface ResolvedAuthor {
  author: AuthorRecord;
  /** Issued when a new guest author was created: the client keeps it. */
  newAuthorToken?: string;
}

/**
 * What the rest of Parley needs from identity (the comment service, moderation,
 * realtime). Created once in the composition root by `createIdentity`.
 */
export interface AuthorDirectory {
  /**
   * Finds or creates the author behind a write request. Bearer author token →
   * that guest (display name updated when given); bearer SSO JWT → the SSO user
   * (created on first use); no bearer → a new guest (needs `displayName`).
   * Throws AUTHOR_TOKEN_INVALID, SSO_TOKEN_INVALID, SSO_TOKEN_EXPIRED,
   * SSO_WRONG_SITE, AUTHOR_NAME_REQUIRED, AUTHOR_NAME_INVALID, and AUTHOR_BANNED /
   * AUTHOR_SUSPENDED for a guest on a client held by another guest's ban.
   */
  resolveAuthor(input: ResolveAuthorInput): Promise<ResolvedAuthor>;
  /** Identifies a reader without creating anything (reading own pending comments, sockets). Undefined when no/invalid bearer. */
  identifyAuthor(input: { site: string; bearer?: string | undefined; ssoSecret?: string | undefined }): Promise<AuthorRecord | undefined>;
  /**
   * The site's staff identity of a moderator (created on first use, its name and
   * badge kept current): what a moderator's reply from the panel is posted as.
   */
  resolveStaffAuthor(input: { site: string; moderatorId: string; name: string; badge: string }): Promise<AuthorRecord>;
  /**
   * The author id a signed author token names, known without the database (undefined for
   * SSO tokens and invalid ones): lets a read start beside `identifyAuthor`, which still decides.
   */
  claimedAuthorId(input: { site: string; bearer?: string | undefined }): string | undefined;
  getAuthor(id: string): Promise<AuthorRecord | undefined>;
  getAuthors(ids: string[]): Promise<Map<string, AuthorRecord>>;
  /** Ids of authors whose display name contains `text` (moderators' search). */
  findAuthorIdsByName(text: string, sites: readonly string[] | undefined): Promise<string[]>;
  /** Applies a diff to an author's per-status counts (never recomputes on read). */
  adjustAuthorCounts(id: string, diff: Partial<Record<'published' | 'pending' | 'rejected', number>>): Promise<void>;
  /**
   * Bans, suspends, pre-moderates or reinstates an author. A guest's ban or suspension
   * also holds for the clients they posted from (GUEST_BAN_CLIENT_HOURS); any other
   * standing lifts those client bans.
   */
  setStanding(id: string, standing: AuthorStanding, suspendedUntil: Date | null): Promise<StandingChange>;
  /**
   * Throws AUTHOR_BANNED / AUTHOR_SUSPENDED (context `scope: "client"`, `until`) when a guest
   * writes from a client that another banned or suspended guest posted from.
   */
  assertClientAllowed(input: { author: AuthorRecord; clientHash: string | undefined }): Promise<void>;
}

export interface StandingChange {
  author: AuthorRecord;
  /** Clients the guest posted from that now refuse guests too. */
  clientsHeld: number;
  clientsHeldUntil: Date | null;
}

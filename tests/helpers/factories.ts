import { randomBytes } from 'node:crypto';
import request, { type Response, type Test } from 'supertest';
import type { CommentDto, CreatedCommentDto, RepliesPageDto, ThreadPageDto, ThreadSort } from '../../src/contracts/comments';
import type { SiteDto } from '../../src/contracts/moderation-api';
import type { ModerationSettings } from '../../src/contracts/moderation';

/** Anything with the running server's base URL (TestServer, RunningServer). */
export interface HasUrl {
  readonly url: string;
}

export const API = '/api/v1';
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' } as const;

/** A short random suffix so tests never collide on ids and keys. */
/** A number unique within this test process (a random start, counted up). */
let nextNumber = randomBytes(2).readUInt16BE(0); // short: long digit runs read as phone numbers
export function uniqueNumber(): number {
  nextNumber += 1;
  return nextNumber;
}

export function uniqueId(prefix = 'x'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A random documentation-range IP for X-Forwarded-For (only used when the server trusts proxies). */
export function randomIp(): string {
  return `198.51.100.${1 + (randomBytes(1)[0] ?? 0) % 254}`;
}

/** A documentation-range address that is always the same for one label. */
export function ipFor(label: string): string {
  let hash = 0;
  for (const char of label) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return `203.0.113.${1 + (hash % 254)}`;
}

/** Signs in the first admin (from startTestServer's env) and returns the bearer token. */
export async function loginAdmin(server: HasUrl, credentials: { email: string; password: string } = ADMIN): Promise<string> {
  const res = await request(server.url).post(`${API}/mod/sessions`).send(credentials);
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { token: string }).token;
}

/** Creates a moderator (admin token needed) and signs them in; returns their bearer token. */
export async function createModerator(
  server: HasUrl,
  options: { sites: string[]; role?: 'admin' | 'moderator'; adminToken?: string },
): Promise<{ token: string; email: string; password: string }> {
  const adminToken = options.adminToken ?? (await loginAdmin(server));
  const email = `${uniqueId('mod')}@example.com`;
  const password = 'moderator password 1';
  const res = await request(server.url)
    .post(`${API}/mod/moderators`)
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ email, name: 'A Moderator', password, role: options.role ?? 'moderator', sites: options.sites });
  if (res.status !== 201) throw new Error(`createModerator failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: await loginAdmin(server, { email, password }), email, password };
}

export interface CreateSiteOptions {
  id?: string;
  name?: string;
  origins?: string[];
  ssoSecret?: string;
  settings?: Partial<ModerationSettings>;
  /** An admin's bearer token; signs in the first admin when absent. */
  token?: string;
}

/** Creates a site through `POST /mod/sites`; origins default to `https://<id>.example`. */
export async function createSite(server: HasUrl, options: CreateSiteOptions = {}): Promise<SiteDto> {
  const token = options.token ?? (await loginAdmin(server));
  const id = options.id ?? uniqueId('site');
  const body: Record<string, unknown> = { id, name: options.name ?? `Site ${id}`, origins: options.origins ?? [`https://${id}.example`] };
  if (options.ssoSecret !== undefined) body['ssoSecret'] = options.ssoSecret;
  if (options.settings !== undefined) body['settings'] = options.settings;
  const res = await request(server.url).post(`${API}/mod/sites`).set('Authorization', `Bearer ${token}`).send(body);
  if (res.status !== 201) throw new Error(`createSite failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SiteDto;
}

/** Changes a site's settings through `PATCH /mod/sites/:id`. */
export async function patchSite(server: HasUrl, site: string, patch: Record<string, unknown>, token?: string): Promise<SiteDto> {
  const bearer = token ?? (await loginAdmin(server));
  const res = await request(server.url).patch(`${API}/mod/sites/${site}`).set('Authorization', `Bearer ${bearer}`).send(patch);
  if (res.status !== 200) throw new Error(`patchSite failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SiteDto;
}

export interface PostCommentOptions {
  site: string;
  post: string;
  body?: string;
  parentId?: string;
  /** Needed for a guest's first post; defaults to "Guest" when there is no token. */
  authorName?: string;
  /** A guest author token or an SSO JWT. */
  token?: string | undefined;
  /** The `Origin` header; none by default (server-to-server). */
  origin?: string | undefined;
  postUrl?: string;
  postTitle?: string;
  /** X-Forwarded-For (counts only when the server runs with TRUST_PROXY). Random by default. */
  ip?: string;
}

export function commentPath(site: string, post: string): string {
  return `${API}/sites/${encodeURIComponent(site)}/posts/${encodeURIComponent(post)}/comments`;
}

/** `POST /sites/:site/posts/:post/comments`, returning the raw response (any status). */
export function sendComment(server: HasUrl, options: PostCommentOptions): Promise<Response> {
  // A default body in words and a plain number: hex ids (`4a55`, `b1a`) can read as leet words and be held.
  const body: Record<string, unknown> = { body: options.body ?? `A comment, number ${uniqueNumber()}` };
  if (options.parentId !== undefined) body['parentId'] = options.parentId;
  const authorName = options.authorName ?? (options.token === undefined ? 'Guest' : undefined);
  if (authorName !== undefined) body['authorName'] = authorName;
  if (options.postUrl !== undefined) body['postUrl'] = options.postUrl;
  if (options.postTitle !== undefined) body['postTitle'] = options.postTitle;
  let req = request(server.url).post(commentPath(options.site, options.post)).set('X-Forwarded-For', options.ip ?? randomIp());
  if (options.token !== undefined) req = req.set('Authorization', `Bearer ${options.token}`);
  if (options.origin !== undefined) req = req.set('Origin', options.origin);
  return req.send(body);
}

export interface PostedComment {
  comment: CommentDto;
  /** The author's token: the new guest's, or the one that was passed in. */
  token: string | undefined;
  created: CreatedCommentDto;
}

/** Posts a comment and expects 201. */
export async function postComment(server: HasUrl, options: PostCommentOptions): Promise<PostedComment> {
  const res = await sendComment(server, options);
  if (res.status !== 201) throw new Error(`postComment failed: ${res.status} ${JSON.stringify(res.body)}`);
  const created = res.body as CreatedCommentDto;
  return { comment: created.comment, token: created.authorToken ?? options.token, created };
}

export interface ReadThreadOptions {
  site: string;
  post: string;
  sort?: ThreadSort;
  cursor?: string | undefined;
  limit?: number;
  token?: string | undefined;
  origin?: string | undefined;
}

/** `GET /sites/:site/posts/:post/comments`, expecting 200. */
export async function readThread(server: HasUrl, options: ReadThreadOptions): Promise<ThreadPageDto> {
  const query: Record<string, string> = {};
  if (options.sort) query['sort'] = options.sort;
  if (options.cursor) query['cursor'] = options.cursor;
  if (options.limit !== undefined) query['limit'] = String(options.limit);
  let req = request(server.url).get(commentPath(options.site, options.post)).query(query);
  if (options.token !== undefined) req = req.set('Authorization', `Bearer ${options.token}`);
  if (options.origin !== undefined) req = req.set('Origin', options.origin);
  const res = await req;
  if (res.status !== 200) throw new Error(`readThread failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ThreadPageDto;
}

/** `GET /comments/:id/replies`, expecting 200. */
export async function readReplies(server: HasUrl, id: string, options: { cursor?: string; limit?: number; token?: string } = {}): Promise<RepliesPageDto> {
  const query: Record<string, string> = {};
  if (options.cursor) query['cursor'] = options.cursor;
  if (options.limit !== undefined) query['limit'] = String(options.limit);
  let req = request(server.url).get(`${API}/comments/${id}/replies`).query(query);
  if (options.token !== undefined) req = req.set('Authorization', `Bearer ${options.token}`);
  const res = await req;
  if (res.status !== 200) throw new Error(`readReplies failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as RepliesPageDto;
}

/** `GET /sites/:site/counts?posts=…` */
export async function readCounts(server: HasUrl, site: string, posts: string[]): Promise<Record<string, number>> {
  const res = await request(server.url).get(`${API}/sites/${site}/counts`).query({ posts: posts.join(',') });
  if (res.status !== 200) throw new Error(`readCounts failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, number>;
}

/** `POST /comments/:id/reports` (raw response). */
/**
 * `POST /comments/:id/reports`. An anonymous reader is their client address (X-Forwarded-For,
 * counted when the server trusts proxies): random by default, the same for the same `userAgent`
 * label unless `ip` says otherwise.
 */
export function reportComment(
  server: HasUrl,
  id: string,
  options: { reason?: string; token?: string; userAgent?: string; ip?: string } = {},
): Test {
  const ip = options.ip ?? (options.userAgent !== undefined ? ipFor(options.userAgent) : randomIp());
  let req = request(server.url)
    .post(`${API}/comments/${id}/reports`)
    .set('X-Forwarded-For', ip)
    .set('User-Agent', options.userAgent ?? `reader-${uniqueId('ua')}`);
  if (options.token !== undefined) req = req.set('Authorization', `Bearer ${options.token}`);
  return req.send({ reason: options.reason ?? 'spam' });
}

/** Every comment of a page tree, depth first. */
export function flattenComments(comments: readonly CommentDto[]): CommentDto[] {
  return comments.flatMap((comment) => [comment, ...flattenComments(comment.replies ?? [])]);
}

/** Signs an HS256 SSO token the way a host site would; `now` lets a ManualClock's time decide `exp`. */
export async function signSsoToken(
  secret: string,
  claims: { sub: string; name: string; site?: string; aud?: string; avatar?: string; email?: string; badges?: unknown },
  options: { expiresInSeconds?: number; now?: Date } = {},
): Promise<string> {
  const jwt = await import('jsonwebtoken');
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return jwt.default.sign({ ...claims, iat: now, exp: now + (options.expiresInSeconds ?? 600) }, secret, { algorithm: 'HS256' });
}

import type { CommentDto, ModerationItemDto } from '../contracts/comments';
import type {
  SystemDto,
  AuthorActionResultDto,
  BanBody,
  AuditPageDto,
  BulkBody,
  BulkResultDto,
  HotPostDto,
  ModeratorDto,
  ModeratorRole,
  PostPatchBody,
  QueuePageDto,
  RejectBody,
  SessionDto,
  SiteDto,
  StatsResponseDto,
  SuspendBody,
  TryResultDto,
} from '../contracts/moderation-api';
import type { ModerationSettings } from '../contracts/moderation';
import type { AuthorHistoryDto, AuthorNoteDto, ClusterListDto, ClusterRejectionDto } from '../contracts/moderation-insights';
import type { MailLanguageCode, ModeratorMailMode, ModeratorNotificationsDto } from '../contracts/notifications';
import type { DeletionResultDto } from '../contracts/privacy';
import type { ProblemCode } from '../contracts/problem-codes';
import { t } from './i18n';
import type { QueueName } from '../contracts/socket-events';
import type {
  WebhookCreatedDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookEventType,
  WebhookListDto,
} from '../contracts/webhooks';
import type { ImportJobDto } from '../contracts/portability';

/** A refused request: the problem+json `code` the panel switches on, and its human detail. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: ProblemCode | 'NETWORK';
  readonly body: Record<string, unknown>;

  constructor(status: number, code: ProblemCode | 'NETWORK', message: string, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = code;
    this.body = body;
  }

  /** The session is gone: the panel returns to the sign-in form. */
  get isSessionLost(): boolean {
    return this.status === 401 && (this.code === 'SESSION_EXPIRED' || this.code === 'UNAUTHENTICATED');
  }
}

export interface Credentials {
  token: string | null;
  csrfToken: string | null;
}

export interface QueueQuery {
  queue: QueueName;
  site?: string;
  post?: string;
  q?: string;
  /** A language code the filter detects (`ru`, `uk`, `en`, …). */
  lang?: string;
  cursor?: string;
}

export interface AuditQuery {
  site?: string;
  moderator?: string;
  author?: string;
  comment?: string;
  action?: string;
  after?: string;
  before?: string;
  cursor?: string;
}

export type AuthorAction = 'ban' | 'suspend' | 'premoderate' | 'reinstate';

export interface SitePatch {
  name?: string;
  origins?: string[];
  settings?: Partial<ModerationSettings>;
}

export interface NewModerator {
  email: string;
  name: string;
  password: string;
  role: ModeratorRole;
  sites: string[];
}

export interface NewWebhook {
  url: string;
  events: WebhookEventType[];
  /** Absent: the service generates one and answers it once. */
  secret?: string;
}

export interface WebhookPatch {
  url?: string;
  events?: WebhookEventType[];
  secret?: string;
  enabled?: boolean;
}

/** A file sent as the request body itself (imports), not as JSON. */
interface RawBody {
  readonly raw: Blob;
}

function isRawBody(body: unknown): body is RawBody {
  return typeof body === 'object' && body !== null && 'raw' in body && (body as RawBody).raw instanceof Blob;
}

/** What `GET /mod/sessions/current` may answer: a full session or just its moderator. */
export type CurrentSession = Partial<SessionDto> & { moderator: ModeratorDto };

const UNSAFE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function toQueryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ApiClientOptions {
  readonly baseUrl?: string;
  readonly getCredentials: () => Credentials;
  /** Called once per refused request whose session is gone (401). */
  readonly onSessionLost: (problem: ApiProblem) => void;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * The moderator API as the panel uses it. The session token goes as a Bearer
 * header; the CSRF token rides along so cookie-only sessions work as well.
 */
export function createApiClient(options: ApiClientOptions) {
  const base = `${options.baseUrl ?? ''}/api/v1`;

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const { token, csrfToken } = options.getCredentials();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = isRawBody(body) ? 'application/octet-stream' : 'application/json';
    if (token) headers['Authorization'] = `Bearer ${token}`;
    if (csrfToken && UNSAFE_METHODS.has(method)) headers['X-CSRF-Token'] = csrfToken;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: isRawBody(body) ? body.raw : JSON.stringify(body) }),
      });
    } catch {
      throw new ApiProblem(0, 'NETWORK', t('api.unreachable'));
    }
    if (!response.ok) await refuse(response);
    return response;
  }

  async function refuse(response: Response): Promise<never> {
    const text = await response.text();
    let payload: unknown = null;
    if (text !== '') {
      try {
        payload = JSON.parse(text) as unknown;
      } catch {
        payload = null;
      }
    }
    const problem = isRecord(payload) ? payload : {};
    const code = typeof problem['code'] === 'string' ? (problem['code'] as ProblemCode) : 'INTERNAL';
    const detail =
      typeof problem['detail'] === 'string'
        ? problem['detail']
        : typeof problem['title'] === 'string'
          ? problem['title']
          : t('api.failed', { status: response.status });
    const error = new ApiProblem(response.status, code, detail, problem);
    if (error.isSessionLost) options.onSessionLost(error);
    throw error;
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let payload: unknown = null;
    if (text !== '') {
      try {
        payload = JSON.parse(text) as unknown;
      } catch {
        payload = null;
      }
    }
    return payload as T;
  }

  return {
    signIn: (email: string, password: string) => request<SessionDto>('POST', '/mod/sessions', { email, password }),
    signOut: () => request<void>('DELETE', '/mod/sessions'),
    currentSession: () => request<CurrentSession>('GET', '/mod/sessions/current'),

    queue: (query: QueueQuery) =>
      request<QueuePageDto>(
        'GET',
        `/mod/queue${toQueryString({ queue: query.queue, site: query.site, post: query.post, q: query.q, lang: query.lang, cursor: query.cursor })}`,
      ),
    approve: (id: string, revision: number, force = false) =>
      request<{ comment: CommentDto }>('POST', `/mod/comments/${encodeURIComponent(id)}/approve`, { revision, ...(force ? { force } : {}) }),
    reject: (id: string, body: RejectBody) =>
      request<{ comment: CommentDto }>('POST', `/mod/comments/${encodeURIComponent(id)}/reject`, body),
    restore: (id: string, force = false) =>
      request<{ comment: CommentDto }>('POST', `/mod/comments/${encodeURIComponent(id)}/restore`, force ? { force } : {}),
    claim: (id: string) =>
      request<{ claim: ModerationItemDto['claim'] }>('POST', `/mod/comments/${encodeURIComponent(id)}/claim`, {}),
    feature: (id: string) => request<{ comment: CommentDto }>('POST', `/mod/comments/${encodeURIComponent(id)}/feature`, {}),
    unfeature: (id: string) => request<{ comment: CommentDto }>('DELETE', `/mod/comments/${encodeURIComponent(id)}/feature`),
    replyAsStaff: (id: string, body: string) => request<{ comment: CommentDto }>('POST', `/mod/comments/${encodeURIComponent(id)}/replies`, { body }),
    releaseClaim: (id: string) => request<void>('DELETE', `/mod/comments/${encodeURIComponent(id)}/claim`),
    bulk: (body: BulkBody) => request<BulkResultDto>('POST', '/mod/comments/bulk', body),
    actOnAuthor: (authorId: string, action: AuthorAction, body: SuspendBody | BanBody) =>
      request<AuthorActionResultDto>('POST', `/mod/authors/${encodeURIComponent(authorId)}/${action}`, body),

    clusters: (site: string | undefined) => request<ClusterListDto>('GET', `/mod/clusters${toQueryString({ site })}`),
    rejectCluster: (id: string, body: { reason: RejectBody['reason']; note?: string }) =>
      request<ClusterRejectionDto>('POST', `/mod/clusters/${encodeURIComponent(id)}/reject`, body),
    authorHistory: (authorId: string) => request<AuthorHistoryDto>('GET', `/mod/authors/${encodeURIComponent(authorId)}`),
    addAuthorNote: (authorId: string, text: string) =>
      request<{ note: AuthorNoteDto }>('POST', `/mod/authors/${encodeURIComponent(authorId)}/notes`, { text }),
    editAuthorNote: (authorId: string, noteId: string, text: string) =>
      request<{ note: AuthorNoteDto }>(
        'PATCH',
        `/mod/authors/${encodeURIComponent(authorId)}/notes/${encodeURIComponent(noteId)}`,
        { text },
      ),

    /** `GET /mod/authors/:id/data`: what is stored about an author, as the JSON text to save (audited). */
    authorData: async (authorId: string) =>
      JSON.stringify(await request<unknown>('GET', `/mod/authors/${encodeURIComponent(authorId)}/data`), null, 2),
    /** `DELETE /mod/authors/:id`: erases an author's data on their request (audited). */
    eraseAuthor: (authorId: string) => request<DeletionResultDto>('DELETE', `/mod/authors/${encodeURIComponent(authorId)}`),

    myNotifications: () => request<ModeratorNotificationsDto>('GET', '/mod/me/notifications'),
    setMyNotification: (body: { site: string; mode: ModeratorMailMode; lang: MailLanguageCode }) =>
      request<ModeratorNotificationsDto>('PUT', '/mod/me/notifications', body),

    hotPosts: (site: string | undefined) =>
      request<HotPostDto[] | { posts: HotPostDto[] }>('GET', `/mod/posts${toQueryString({ site, sort: 'hot' })}`).then((payload) =>
        Array.isArray(payload) ? payload : payload.posts,
      ),
    patchPost: (postId: string, body: PostPatchBody) =>
      request<unknown>('PATCH', `/mod/posts/${encodeURIComponent(postId)}`, body),

    sites: () => request<SiteDto[] | { sites: SiteDto[] }>('GET', '/mod/sites'),
    site: (id: string) => request<SiteDto>('GET', `/mod/sites/${encodeURIComponent(id)}`),
    patchSite: (id: string, patch: SitePatch) => request<SiteDto>('PATCH', `/mod/sites/${encodeURIComponent(id)}`, patch),
    createSite: (site: { id: string; name: string; origins: string[] }) => request<SiteDto>('POST', '/mod/sites', site),
    trySentence: (siteId: string, text: string, post?: string) =>
      request<TryResultDto>('POST', `/mod/sites/${encodeURIComponent(siteId)}/try`, post ? { text, post } : { text }),

    createModerator: (moderator: NewModerator) => request<ModeratorDto>('POST', '/mod/moderators', moderator),
    moderators: () =>
      request<ModeratorDto[] | { moderators: ModeratorDto[] }>('GET', '/mod/moderators').then((payload) =>
        Array.isArray(payload) ? payload : payload.moderators,
      ),
    audit: (query: AuditQuery) => request<AuditPageDto>('GET', `/mod/audit${toQueryString({ ...query })}`),
    system: () => request<SystemDto>('GET', '/mod/system'),
    stats: (site: string | undefined) => request<StatsResponseDto>('GET', `/mod/stats${toQueryString({ site })}`),

    webhooks: (site: string) => request<WebhookListDto>('GET', `/mod/sites/${encodeURIComponent(site)}/webhooks`),
    createWebhook: (site: string, body: NewWebhook) =>
      request<WebhookCreatedDto>('POST', `/mod/sites/${encodeURIComponent(site)}/webhooks`, body),
    patchWebhook: (site: string, id: string, patch: WebhookPatch) =>
      request<WebhookDto>('PATCH', `/mod/sites/${encodeURIComponent(site)}/webhooks/${encodeURIComponent(id)}`, patch),
    deleteWebhook: (site: string, id: string) =>
      request<void>('DELETE', `/mod/sites/${encodeURIComponent(site)}/webhooks/${encodeURIComponent(id)}`),
    webhookDeliveries: (site: string, id: string, cursor?: string) =>
      request<{ deliveries: WebhookDeliveryDto[]; nextCursor: string | null }>(
        'GET',
        `/mod/sites/${encodeURIComponent(site)}/webhooks/${encodeURIComponent(id)}/deliveries${toQueryString({ cursor })}`,
      ),
    testWebhook: (site: string, id: string) =>
      request<WebhookDeliveryDto>('POST', `/mod/sites/${encodeURIComponent(site)}/webhooks/${encodeURIComponent(id)}/test`, {}),
    redeliver: (site: string, id: string, deliveryId: string) =>
      request<WebhookDeliveryDto>(
        'POST',
        `/mod/sites/${encodeURIComponent(site)}/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
        {},
      ),

    /** Sends the file itself as the body; the service recognises what kind of export it is. */
    startImport: (site: string, file: File) =>
      request<ImportJobDto>('POST', `/mod/sites/${encodeURIComponent(site)}/imports${toQueryString({ fileName: file.name })}`, {
        raw: file,
      }),
    importJob: (site: string, id: string) =>
      request<ImportJobDto>('GET', `/mod/sites/${encodeURIComponent(site)}/imports/${encodeURIComponent(id)}`),
    imports: (site: string) =>
      request<{ imports: ImportJobDto[] }>('GET', `/mod/sites/${encodeURIComponent(site)}/imports`).then((payload) => payload.imports),
    /** The site's export as a file, with the name the service gives it. */
    exportSite: async (site: string): Promise<{ blob: Blob; fileName: string }> => {
      const response = await send('GET', `/mod/sites/${encodeURIComponent(site)}/export`);
      const disposition = response.headers.get('Content-Disposition') ?? '';
      const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `parley-${site}.jsonl`;
      return { blob: await response.blob(), fileName };
    },
  };
}

/** Accepts both a bare array and `{ sites: [...] }` for the site list. */
export function toSiteList(payload: SiteDto[] | { sites: SiteDto[] }): SiteDto[] {
  return Array.isArray(payload) ? payload : payload.sites;
}

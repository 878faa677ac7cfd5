import type {
  CommentDto,
  CommentPreviewDto,
  CreatedCommentDto,
  ReactionResultDto,
  RepliesPageDto,
  ReportReason,
  ThreadPageDto,
  ThreadSort,
} from '../contracts/comments';
import type { MailLanguageCode, SubscribeResultDto, SubscriptionStateDto } from '../contracts/notifications';
import type { DeletionResultDto, ReaderPrivacyDto } from '../contracts/privacy';
import type { ProblemCode } from '../contracts/problem-codes';

/** Problem codes plus the widget's own: the network was unreachable. */
export type WidgetErrorCode = ProblemCode | 'OFFLINE' | 'UNEXPECTED';

/** A failed API call, carrying the problem+json `code` and its public context. */
export class ApiError extends Error {
  readonly code: WidgetErrorCode;
  readonly status: number;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: WidgetErrorCode, status: number, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.context = context;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Some write routes answer `{ comment }`, others the comment itself. */
function unwrapComment(body: unknown): CommentDto | undefined {
  if (!isRecord(body)) return undefined;
  if (isRecord(body['comment'])) return body['comment'] as unknown as CommentDto;
  if (typeof body['id'] === 'string') return body as unknown as CommentDto;
  return undefined;
}

/** The host page a post lives on: lets the service create the post with its URL and title. */
export interface PageIdentity {
  postUrl?: string;
  postTitle?: string;
}

export interface ApiClientOptions {
  base: string;
  /** The bearer to send: the SSO token when signed in, else the guest's author token. */
  getBearer: () => string | null;
}

/** The public comments API, as the widget uses it. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  getThread(
    site: string,
    post: string,
    query: { sort: ThreadSort; cursor?: string | null; page?: PageIdentity },
  ): Promise<ThreadPageDto> {
    const params = new URLSearchParams({ sort: query.sort });
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.page?.postUrl) params.set('postUrl', query.page.postUrl);
    if (query.page?.postTitle) params.set('postTitle', query.page.postTitle);
    return this.request<ThreadPageDto>('GET', `${this.postPath(site, post)}/comments?${params.toString()}`);
  }

  /** `GET /sites/:site/posts/:post/comments?featured=true`: the post's featured comments. */
  async getFeatured(site: string, post: string): Promise<CommentDto[]> {
    const page = await this.request<ThreadPageDto>('GET', `${this.postPath(site, post)}/comments?featured=true`);
    return page.comments;
  }

  /** `GET /comments/:id`: one comment (a permalink's target), with its ancestors' ids. */
  async getComment(commentId: string): Promise<CommentDto> {
    const answered = unwrapComment(await this.request<unknown>('GET', `/comments/${encodeURIComponent(commentId)}`));
    if (!answered) throw new ApiError('UNEXPECTED', 200, 'no comment in the answer');
    return answered;
  }

  getReplies(commentId: string, cursor: string | null): Promise<RepliesPageDto> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    return this.request<RepliesPageDto>('GET', `/comments/${encodeURIComponent(commentId)}/replies${query}`);
  }

  createComment(
    site: string,
    post: string,
    input: { body: string; parentId?: string; authorName?: string; confirmNudge?: boolean } & PageIdentity,
  ): Promise<CreatedCommentDto> {
    return this.request<CreatedCommentDto>('POST', `${this.postPath(site, post)}/comments`, input);
  }

  /** `POST /sites/:site/previews`: a draft rendered as it would be posted; nothing is stored. */
  previewComment(site: string, body: string): Promise<CommentPreviewDto> {
    return this.request<CommentPreviewDto>('POST', `/sites/${encodeURIComponent(site)}/previews`, { body });
  }

  async editComment(comment: CommentDto, body: string): Promise<CommentDto> {
    const result = await this.request<unknown>('PATCH', `/comments/${encodeURIComponent(comment.id)}`, { body });
    return unwrapComment(result) ?? { ...comment, body, revision: comment.revision + 1, editedAt: new Date().toISOString() };
  }

  async deleteComment(commentId: string): Promise<CommentDto | undefined> {
    return unwrapComment(await this.request<unknown>('DELETE', `/comments/${encodeURIComponent(commentId)}`));
  }

  /** `PUT` (react) or `DELETE` (take it back) `/comments/:id/reaction`. */
  setReaction(commentId: string, isReacting: boolean): Promise<ReactionResultDto> {
    return this.request<ReactionResultDto>(isReacting ? 'PUT' : 'DELETE', `/comments/${encodeURIComponent(commentId)}/reaction`, isReacting ? {} : undefined);
  }

  async reportComment(commentId: string, reason: ReportReason): Promise<void> {
    await this.request<unknown>('POST', `/comments/${encodeURIComponent(commentId)}/reports`, { reason });
  }

  /** `GET /sites/:site/subscriptions`: whether mail is on, and the reader's reply notifications. */
  getSubscriptionState(site: string): Promise<SubscriptionStateDto> {
    return this.request<SubscriptionStateDto>('GET', `${this.sitePath(site)}/subscriptions`);
  }

  /** `POST /sites/:site/subscriptions`: asks for a confirmation mail (double opt-in). */
  subscribe(site: string, input: { email?: string; lang: MailLanguageCode }): Promise<SubscribeResultDto> {
    return this.request<SubscribeResultDto>('POST', `${this.sitePath(site)}/subscriptions`, input);
  }

  /** `GET /me?site=`: the reader here, and an erasure they asked for. */
  getPrivacy(site: string): Promise<ReaderPrivacyDto> {
    return this.request<ReaderPrivacyDto>('GET', `/me?site=${encodeURIComponent(site)}`);
  }

  /** `GET /me/data?site=`: everything stored about the reader, as the JSON text to save. */
  async downloadData(site: string): Promise<string> {
    return JSON.stringify(await this.request<unknown>('GET', `/me/data?site=${encodeURIComponent(site)}`), null, 2);
  }

  /** `DELETE /me?site=`: erase now, or after the grace period. */
  requestErasure(site: string): Promise<DeletionResultDto> {
    return this.request<DeletionResultDto>('DELETE', `/me?site=${encodeURIComponent(site)}`);
  }

  /** `DELETE /me/deletion?site=`: withdraws a scheduled erasure. */
  async cancelErasure(site: string): Promise<boolean> {
    return (await this.request<{ cancelled: boolean }>('DELETE', `/me/deletion?site=${encodeURIComponent(site)}`)).cancelled;
  }

  private sitePath(site: string): string {
    return `/sites/${encodeURIComponent(site)}`;
  }

  private postPath(site: string, post: string): string {
    return `/sites/${encodeURIComponent(site)}/posts/${encodeURIComponent(post)}`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const bearer = this.options.getBearer();
    if (bearer) headers['Authorization'] = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.options.base}/api/v1${path}`, {
        method,
        headers,
        mode: 'cors',
        credentials: 'omit',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError('OFFLINE', 0, 'network unreachable');
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed as T;
    if (isRecord(parsed) && typeof parsed['code'] === 'string') {
      const retryAfter = Number(response.headers.get('Retry-After'));
      const context: Record<string, unknown> = { ...parsed };
      if (Number.isFinite(retryAfter) && retryAfter > 0 && context['retryAfterSeconds'] === undefined) {
        context['retryAfterSeconds'] = retryAfter;
      }
      const title = typeof parsed['title'] === 'string' ? parsed['title'] : response.statusText;
      const message = typeof parsed['detail'] === 'string' ? parsed['detail'] : title;
      throw new ApiError(parsed['code'] as ProblemCode, response.status, message, context);
    }
    throw new ApiError(response.status === 429 ? 'RATE_LIMITED' : 'UNEXPECTED', response.status, response.statusText);
  }
}

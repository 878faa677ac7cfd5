import type { CommentDto } from '../../../src/contracts/comments';

/** A moderator signed in over the API (Bearer token), for tests that moderate behind the browser's back. */
export interface ModeratorClient {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  setSiteSettings(site: string, settings: Record<string, unknown>): Promise<void>;
  approve(comment: Pick<CommentDto, 'id' | 'revision'>): Promise<void>;
  reject(commentId: string, reason?: string): Promise<void>;
}

export async function signInModerator(
  baseUrl: string,
  credentials = { email: 'admin@example.com', password: 'correct horse battery' },
): Promise<ModeratorClient> {
  const login = await fetch(`${baseUrl}/api/v1/mod/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (login.status !== 201) throw new Error(`moderator sign-in failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };

  const request = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const expectOk = (what: string, result: { status: number; body: unknown }): void => {
    if (result.status >= 300) throw new Error(`${what} failed: ${result.status} ${JSON.stringify(result.body)}`);
  };

  return {
    request,
    async setSiteSettings(site, settings) {
      expectOk('site settings', await request('PATCH', `/mod/sites/${encodeURIComponent(site)}`, { settings }));
    },
    async approve(comment) {
      expectOk('approve', await request('POST', `/mod/comments/${comment.id}/approve`, { revision: comment.revision }));
    },
    async reject(commentId, reason = 'spam') {
      expectOk('reject', await request('POST', `/mod/comments/${commentId}/reject`, { reason }));
    },
  };
}

import type { ModeratorDto, SessionDto } from '../contracts/moderation-api';

/** What the panel remembers of a session for the life of the tab. */
export interface StoredSession {
  token: string | null;
  csrfToken: string | null;
  expiresAt: string | null;
  moderator: ModeratorDto;
}

const KEY = 'parley.panel.session';

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const moderator = record['moderator'] as Record<string, unknown> | null | undefined;
  return (
    typeof moderator === 'object' &&
    moderator !== null &&
    typeof moderator['id'] === 'string' &&
    typeof moderator['role'] === 'string' &&
    Array.isArray(moderator['sites'])
  );
}

/** sessionStorage, not localStorage: the token dies with the tab. */
export function loadSession(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as unknown;
    return isStoredSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage may be disabled; the session then lives in memory only.
  }
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}

export function fromSessionDto(dto: SessionDto): StoredSession {
  return { token: dto.token, csrfToken: dto.csrfToken, expiresAt: dto.expiresAt, moderator: dto.moderator };
}

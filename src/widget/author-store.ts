/** A guest's identity on one site, remembered in the host page's localStorage. */
export interface GuestIdentity {
  token: string | null;
  name: string;
}

function storageKey(site: string): string {
  return `parley:guest:${site}`;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Blocked storage (sandboxed frames, strict privacy settings): the guest stays anonymous.
    return undefined;
  }
}

export function loadGuest(site: string): GuestIdentity {
  try {
    const raw = storage()?.getItem(storageKey(site));
    if (!raw) return { token: null, name: '' };
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return { token: null, name: '' };
    const record = parsed as Record<string, unknown>;
    return {
      token: typeof record['token'] === 'string' ? record['token'] : null,
      name: typeof record['name'] === 'string' ? record['name'].slice(0, 80) : '',
    };
  } catch {
    return { token: null, name: '' };
  }
}

export function saveGuest(site: string, guest: GuestIdentity): void {
  try {
    storage()?.setItem(storageKey(site), JSON.stringify(guest));
  } catch {
    // Quota or blocked storage: the identity lasts for this page view only.
  }
}

/** The display name an SSO token carries (`name`, else `preferred_username`), read without verifying. */
export function nameFromSsoToken(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const name = claims['name'] ?? claims['preferred_username'];
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

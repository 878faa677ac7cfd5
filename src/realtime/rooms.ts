/**
 * Room names. Site ids never contain `:` (SITE_ID_PATTERN), so `post:<site>:<post>`
 * is unambiguous even when the post key is a URL.
 */
export function postRoom(site: string, post: string): string {
  return `post:${site}:${post}`;
}

/** Every socket that identified as this author, on any post. */
export function authorRoom(authorId: string): string {
  return `author:${authorId}`;
}

/**
 * The author's sockets in one post: Socket.IO rooms combine as a union, so
 * "this author AND this post" needs a room of its own.
 */
export function authorPostRoom(authorId: string, site: string, post: string): string {
  return `author:${authorId}:post:${site}:${post}`;
}

export function isPostRoom(room: string): boolean {
  return room.startsWith('post:');
}

export function moderatorSiteRoom(site: string): string {
  return `mod:site:${site}`;
}

/** Admins watching this site: what only admins may see (imports and restores). */
export function adminSiteRoom(site: string): string {
  return `mod:admin:${site}`;
}

/** Admins who watch every site. */
export const ALL_SITES_ROOM = 'mod:all';

import { createHash } from 'node:crypto';
import type { CommentDto } from '../contracts/comments';

/** Bytes of serialised pages one instance keeps (the least recently read go first). */
export const PAGE_CACHE_MAX_BYTES = 16 * 2 ** 20;
/** Posts whose latest page version is remembered. */
export const STAMPS_MAX_POSTS = 10_000;

/**
 * What a cached page was built from: it is served only while all of these still
 * hold. The post's page version moves with every write readers can see (stored
 * on the post, so a write on another instance counts too); the site's settings
 * revision covers the edit window and reaction label.
 */
export interface PageStamp {
  postId: string;
  pageVersion: number;
  settingsRevision: number;
}

/** One page as every reader without an identity sees it, serialised once. */
export interface CachedPage<Dto> {
  stamp: PageStamp;
  /** The page (a thread page without its `seq`, which each answer takes from the post as read then). */
  dto: Dto;
  /** `JSON.stringify(dto)`. */
  json: Buffer;
  hash: string;
  /** Every comment on the page, nested ones included (the viewer's reactions are looked up by these). */
  commentIds: readonly string[];
  /** Roughly the memory this entry holds. */
  bytes: number;
}

/** A page answer ready for the wire. */
export interface SerialisedPage {
  body: Buffer;
  /** A strong validator of exactly these bytes. */
  etag: string;
}

/** A post as last read from the database, trusted for a short while (see `THREAD_CACHE_TRUST_MS`). */
export interface TrustedPost {
  stamp: PageStamp;
  seq: number;
  hasUrl: boolean;
  hasTitle: boolean;
}

export interface PageCache {
  /**
   * The post as read at most `trustMs` ago, unless a write has moved its page version since
   * (told through `invalidatePosts`, by this instance's writes or another's over Redis).
   */
  trusted(site: string, post: string, now: number): TrustedPost | undefined;
  /** Counts invalidations: a read that started before one may not be trusted. */
  epoch(): number;
  /** Trusts a post read from the database, if no invalidation came since `epoch` was taken. */
  trust(site: string, post: string, value: TrustedPost, epoch: number, now: number): void;
  /** The page versions of these posts moved: stop trusting what was read of them. */
  invalidatePosts(postIds: readonly string[]): void;
  /** Whether a page is kept under this key for exactly this stamp. */
  has(key: string, stamp: PageStamp): boolean;
  /**
   * The newest stamp (and the post's seq with it) this instance read for a post under
   * these settings: a lower bound of the post's state for any read that starts after it.
   */
  lastStampOf(site: string, post: string, settingsRevision: number): { stamp: PageStamp; seq: number } | undefined;
  learnStamp(site: string, post: string, stamp: PageStamp, seq: number): void;
  /** The post a page under this key was built for, if one is kept (to read the post beside the page's parent). */
  postOf(key: string): string | undefined;
  get<Dto>(key: string, stamp: PageStamp): CachedPage<Dto> | undefined;
  /** Keeps the page unless a newer version of it is kept already. */
  put<Dto extends object>(key: string, stamp: PageStamp, dto: Dto, comments: readonly CommentDto[]): CachedPage<Dto>;
}

export const sameStamp = (a: PageStamp, b: PageStamp): boolean =>
  a.postId === b.postId && a.pageVersion === b.pageVersion && a.settingsRevision === b.settingsRevision;

function collectIds(comments: readonly CommentDto[], into: string[]): string[] {
  for (const comment of comments) {
    into.push(comment.id);
    if (comment.replies) collectIds(comment.replies, into);
  }
  return into;
}

/** The bytes of an answer: the cached page with the seq read beside this request's post. */
export function serialiseWithSeq(page: Pick<CachedPage<unknown>, 'json' | 'hash'>, seq: number): SerialisedPage {
  const head = Buffer.from(`{"seq":${seq},`);
  // Every page has fields, so `{` is always followed by one.
  const tail = page.json.subarray(1);
  return { body: Buffer.concat([head, tail], head.length + tail.length), etag: `"${page.hash}-${seq}"` };
}

/** The bytes of a cached page as they are (replies pages carry no seq). */
export function serialiseCached(page: Pick<CachedPage<unknown>, 'json' | 'hash'>): SerialisedPage {
  return { body: page.json, etag: `"${page.hash}"` };
}

/** Serialises a page answered without the cache (an identified viewer's own view, a fallback). */
export function serialiseFresh(dto: object): SerialisedPage {
  const body = Buffer.from(JSON.stringify(dto));
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/**
 * A per-instance, byte-bounded LRU of serialised public pages (threads and
 * replies), keyed by what the page was asked with and checked against the
 * stamp read with each request. Never trusted without that check.
 */
export function createPageCache(options: { maxBytes?: number; maxPosts?: number; trustMs?: number } = {}): PageCache {
  const maxBytes = options.maxBytes ?? PAGE_CACHE_MAX_BYTES;
  const maxPosts = options.maxPosts ?? STAMPS_MAX_POSTS;
  const trustMs = options.trustMs ?? 0;
  const trustedPosts = new Map<string, TrustedPost & { at: number }>();
  const trustedKeysOfPost = new Map<string, string>();
  let invalidations = 0;
  const pages = new Map<string, CachedPage<unknown>>();
  const stamps = new Map<string, { stamp: PageStamp; seq: number }>();
  let totalBytes = 0;

  const remove = (key: string): void => {
    const page = pages.get(key);
    if (!page) return;
    pages.delete(key);
    totalBytes -= page.bytes;
  };

  return {
    trusted(site, post, now) {
      if (trustMs === 0) return undefined;
      const known = trustedPosts.get(`${site}\n${post}`);
      return known && now - known.at <= trustMs && now >= known.at ? known : undefined;
    },
    epoch() {
      return invalidations;
    },
    trust(site, post, value, epoch, now) {
      if (trustMs === 0 || epoch !== invalidations) return;
      const key = `${site}\n${post}`;
      trustedPosts.delete(key);
      trustedPosts.set(key, { ...value, at: now });
      trustedKeysOfPost.set(value.stamp.postId, key);
      if (trustedPosts.size > maxPosts) {
        const oldest = trustedPosts.entries().next().value;
        if (oldest !== undefined) {
          trustedPosts.delete(oldest[0]);
          trustedKeysOfPost.delete(oldest[1].stamp.postId);
        }
      }
    },
    invalidatePosts(postIds) {
      invalidations += 1;
      for (const postId of postIds) {
        const key = trustedKeysOfPost.get(postId);
        if (key === undefined) continue;
        trustedKeysOfPost.delete(postId);
        trustedPosts.delete(key);
      }
    },
    has(key, stamp) {
      const page = pages.get(key);
      return page !== undefined && sameStamp(page.stamp, stamp);
    },
    lastStampOf(site, post, settingsRevision) {
      const known = stamps.get(`${site}\n${post}`);
      return known && known.stamp.settingsRevision === settingsRevision ? known : undefined;
    },
    learnStamp(site, post, stamp, seq) {
      const key = `${site}\n${post}`;
      const known = stamps.get(key);
      // Versions only grow; an older one is a read that overtook a newer one.
      if (known && known.stamp.postId === stamp.postId && known.stamp.pageVersion > stamp.pageVersion) return;
      stamps.delete(key);
      stamps.set(key, { stamp, seq });
      if (stamps.size > maxPosts) {
        const oldest = stamps.keys().next().value;
        if (oldest !== undefined) stamps.delete(oldest);
      }
    },
    postOf(key) {
      return pages.get(key)?.stamp.postId;
    },
    get<Dto>(key: string, stamp: PageStamp): CachedPage<Dto> | undefined {
      const page = pages.get(key);
      if (!page) return undefined;
      if (!sameStamp(page.stamp, stamp)) {
        if (page.stamp.postId !== stamp.postId || page.stamp.pageVersion < stamp.pageVersion || page.stamp.settingsRevision < stamp.settingsRevision) remove(key);
        return undefined;
      }
      // Most recently read last, so eviction takes the coldest.
      pages.delete(key);
      pages.set(key, page);
      return page as CachedPage<Dto>;
    },
    put<Dto extends object>(key: string, stamp: PageStamp, dto: Dto, comments: readonly CommentDto[]): CachedPage<Dto> {
      const json = Buffer.from(JSON.stringify(dto));
      const page: CachedPage<Dto> = {
        stamp,
        dto,
        json,
        hash: createHash('sha1').update(json).digest('base64url'),
        commentIds: collectIds(comments, []),
        bytes: json.length * 2 + 256,
      };
      const known = pages.get(key);
      if (known && known.stamp.postId === stamp.postId && known.stamp.pageVersion > stamp.pageVersion) return page;
      remove(key);
      if (page.bytes > maxBytes) return page;
      pages.set(key, page);
      totalBytes += page.bytes;
      while (totalBytes > maxBytes) {
        const oldest = pages.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      return page;
    },
  };
}

import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { MAX_FEATURED_PER_POST, bannerOf } from '../contracts/comments';
import type {
  CommentDto,
  CommentPreviewDto,
  CommentStatus,
  CountsDto,
  CreatedCommentDto,
  PostDto,
  ReactionResultDto,
  RepliesPageDto,
  ReportReason,
  ThreadPageDto,
  ThreadSort,
} from '../contracts/comments';
import type { VerdictAction } from '../contracts/moderation';
import type { AuthorDirectory, AuthorRecord } from '../identity';
import type { SiteRecord, SiteService } from '../sites';
import { normaliseOrigin } from '../sites';
import { AppError, NotFoundError } from '../shared/errors';
import type { Clock } from '../shared/clock';
import { clientAddressKey } from '../shared/rate-limit';
import type { PostEvent } from '../shared/domain-events';
import { readerReasonsWithCodes } from './author-notice';
import { createCommentEffects, type CommentEffects } from './comment-effects';
import { isTombstone, toCommentDto, toPostDto, toPublicPostDto } from './comment-dto';
import { normaliseCommentText } from './comment-text';
import { renderCommentHtml } from '../formatting';
import type {
  CommentChange,
  CommentChangeListener,
  CommentListFilter,
  CommentListPage,
  CommentRecord,
  PostChangeListener,
  PostCounts,
  PostRecord,
  ScreenComment,
  StatusActor,
  StoredVerdict,
} from './comment.types';
import type { CommentActivity, CommentRepository, KeysetOrder, QueueQuery } from './comment.repository';
import { decodeCursor, encodeCursor } from './cursor';
import type { PostEventLog } from './post-event-log';
import type { PostRepository, PostStatePatch } from './post.repository';
import type { ReportRepository } from './report.repository';
import type { RankingSnapshotRepository } from './ranking-snapshot.repository';
import type { ReactionKind, ReactionRepository } from './reaction.repository';
import { createReplayPoints } from './replay-points';
import { createThreadReader, RANKING_SNAPSHOT_TTL_MS, type ReadContext, type ThreadReader } from './thread-reader';
import { createPageCache, sameStamp, serialiseCached, serialiseFresh, serialiseWithSeq, type CachedPage, type PageCache, type SerialisedPage } from './thread-page-cache';

/** Who is asking, as the HTTP edge hands it over (never `req` itself). */
export interface RequestContext {
  /** The `Origin` header, when the browser sent one. */
  origin?: string | undefined;
  /** `Authorization: Bearer …`: a guest author token or a host-site SSO token. */
  bearer?: string | undefined;
  /** The client's address (TRUST_PROXY decides which), hashed before anything keeps it. */
  clientIp?: string | undefined;
}

/** Host page details a client may send on first use of a post. */
export interface PostDetails {
  postUrl?: string | undefined;
  postTitle?: string | undefined;
}

export interface CommentServiceDeps {
  sites: SiteService;
  authors: AuthorDirectory;
  posts: PostRepository;
  comments: CommentRepository;
  reports: ReportRepository;
  reactions: ReactionRepository;
  snapshots: RankingSnapshotRepository;
  log: PostEventLog;
  screen: ScreenComment;
  clock: Clock;
  logger: Logger;
  /** Salt for hashing anonymous reporters' IP and user agent. */
  readerSalt: string;
  onCommentChange?: CommentChangeListener | undefined;
  /** Told after a post's heat, closed state or pre-moderation changed (webhooks). */
  onPostChange?: PostChangeListener | undefined;
  /** Public thread and replies pages kept serialised; a fresh one per service when absent. */
  pageCache?: PageCache | undefined;
}

/** Replies pages' parents remembered for the database-free path. */
const REPLY_PARENTS_MAX = 10_000;

/** Sorts whose pages are cached: every one (featured pages are read each time). */
const CACHED_SORTS: ReadonlySet<ThreadSort> = new Set(['newest', 'oldest', 'best', 'top']);
/**
 * A ranked page's cursor names the ranking snapshot its first page took (kept
 * `RANKING_SNAPSHOT_TTL_MS`, an hour). Its cached pages are keyed by a period well inside
 * that, so a page handed out from the cache names a snapshot that lasts at least 50 more
 * minutes of paging; readers arriving together share one ranking and one snapshot.
 */
const RANKED_PAGE_PERIOD_MS = RANKING_SNAPSHOT_TTL_MS / 6;
const isRankedSort = (sort: ThreadSort): boolean => sort === 'best' || sort === 'top';

type PublicThreadPage = Omit<ThreadPageDto, 'seq'>;

/**
 * Marks on a public page what differs for an identified viewer who has nothing
 * hidden in the thread (no pending or rejected comment): their reactions, and
 * `isOwn` with the edit deadline on their own comments. Tombstones stay as they are.
 */
function markViewerState(comments: CommentDto[], viewerId: string, reacted: ReadonlySet<string>, editWindowSeconds: number): void {
  for (const comment of comments) {
    if (comment.status !== 'deleted' && comment.status !== 'rejected') {
      comment.viewerReacted = reacted.has(comment.id);
      if (comment.author?.id === viewerId) {
        comment.isOwn = true;
        comment.editableUntil = new Date(Date.parse(comment.createdAt) + editWindowSeconds * 1000).toISOString();
      }
    }
    if (comment.replies) markViewerState(comment.replies, viewerId, reacted, editWindowSeconds);
  }
}

/** Status transitions moderators (and the system) may make. */
const TRANSITIONS: Record<CommentStatus, readonly CommentStatus[]> = {
  pending: ['published', 'rejected'],
  published: ['rejected', 'pending'],
  rejected: ['published', 'pending'],
  deleted: [],
};

const OBJECT_ID = /^[0-9a-f]{24}$/;
/** An anonymous reporter weighs less than a signed-in one: a client hash is cheap to change. */
const ANONYMOUS_REPORTER_WEIGHT = 0.5;

const STATUS_FOR_ACTION: Record<VerdictAction, CommentStatus> = {
  publish: 'published',
  hold: 'pending',
  reject: 'rejected',
};

export type CommentService = ReturnType<typeof createCommentService>;

export function createCommentService(deps: CommentServiceDeps) {
  const { sites, authors, posts, comments, reports, clock, logger } = deps;
  const effects: CommentEffects = createCommentEffects({ posts, comments, authors, sites, log: deps.log, clock, logger });
  const replayPoints = createReplayPoints(clock);
  const reader = createThreadReader({ comments, authors, reactions: deps.reactions, snapshots: deps.snapshots, clock });
  const pageCache = deps.pageCache ?? createPageCache();

  const notify = (change: CommentChange): void => {
    if (!deps.onCommentChange) return;
    Promise.resolve()
      .then(() => deps.onCommentChange?.(change))
      .catch((error: unknown) => logger.error({ err: error, kind: change.kind, commentId: change.comment.id }, 'comment change listener failed'));
  };

  const assertOrigin = (site: SiteRecord, origin: string | undefined): void => {
    // No Origin: a server-to-server call or a same-origin GET (browsers send
    // Origin on every cross-origin request and on every POST/PATCH/DELETE).
    if (origin === undefined) return;
    if (!sites.isOriginAllowedForSite(site, origin)) {
      throw new AppError('ORIGIN_NOT_ALLOWED', `The origin ${origin} may not use the site ${site.id}`, { site: site.id });
    }
  };

  const getSiteFor = async (siteId: string, origin: string | undefined): Promise<SiteRecord> => {
    const site = await sites.getSite(siteId);
    assertOrigin(site, origin);
    return site;
  };

  /** Finds the post, creating it on first use (its URL, when given, must be on one of the site's origins). */
  const resolvePost = async (site: SiteRecord, key: string, details: PostDetails): Promise<PostRecord> => {
    let url: string | undefined;
    if (details.postUrl !== undefined) {
      const origin = normaliseOrigin(details.postUrl);
      if (origin === undefined || !site.origins.includes(origin)) {
        throw new AppError('ORIGIN_NOT_ALLOWED', `The post URL is not on one of the site's origins`, { site: site.id });
      }
      url = details.postUrl;
    }
    const title = details.postTitle;
    const post = await posts.findOrCreate({ site: site.id, key, url: url ?? null, title: title ?? null, now: clock.now() });
    if ((post.url === null && url !== undefined) || (post.title === null && title !== undefined)) {
      await posts.fillDetails(post.id, { url: post.url === null ? url : undefined, title: post.title === null ? title : undefined });
      return { ...post, url: post.url ?? url ?? null, title: post.title ?? title ?? null };
    }
    return post;
  };

  const identifyViewer = async (site: SiteRecord, bearer: string | undefined): Promise<AuthorRecord | undefined> => {
    if (bearer === undefined) return undefined;
    return authors.identifyAuthor({ site: site.id, bearer, ssoSecret: site.ssoSecret ?? undefined });
  };

  const checkText = (site: SiteRecord, raw: string): string => {
    const text = normaliseCommentText(raw);
    if (text.length === 0) throw new AppError('COMMENT_EMPTY', 'The comment is empty');
    const maxLength = site.settings.maxLength;
    if (text.length > maxLength) {
      throw new AppError('COMMENT_TOO_LONG', `The comment is longer than ${maxLength} characters`, { maxLength, length: text.length });
    }
    return text;
  };

  const requireComment = async (id: string): Promise<CommentRecord> => {
    const comment = await comments.findById(id);
    if (!comment) throw new NotFoundError('COMMENT', id);
    return comment;
  };

  const requirePost = async (id: string): Promise<PostRecord> => {
    const post = await posts.findById(id);
    if (!post) throw new NotFoundError('POST', id);
    return post;
  };

  /** The author of a comment, proven by their bearer, within the edit window. */
  const requireAuthorInWindow = async (site: SiteRecord, comment: CommentRecord, bearer: string | undefined): Promise<AuthorRecord> => {
    const author = await identifyViewer(site, bearer);
    if (!author || author.id !== comment.authorId) {
      throw new AppError('NOT_COMMENT_AUTHOR', 'Only the author of this comment may change it');
    }
    const editableUntil = new Date(comment.createdAt.getTime() + site.settings.editWindowSeconds * 1000);
    if (clock.now().getTime() > editableUntil.getTime()) {
      throw new AppError('EDIT_WINDOW_CLOSED', 'The time to edit or delete this comment has passed', {
        editableUntil: editableUntil.toISOString(),
      });
    }
    return author;
  };

  /** Runs the pipeline; a refusal is thrown (nothing stored), otherwise the status the verdict implies. */
  const screenOrRefuse = async (draft: Parameters<ScreenComment>[0]): Promise<Omit<StoredVerdict, 'revision'> & { status: CommentStatus }> => {
    const verdict = await deps.screen(draft);
    if (verdict.refusal) throw new AppError(verdict.refusal.code, verdict.refusal.message, verdict.refusal.context ?? {});
    return { action: verdict.action, findings: verdict.findings, languages: verdict.languages, at: clock.now(), status: STATUS_FOR_ACTION[verdict.action] };
  };

  const renderOwn = (comment: CommentRecord, author: AuthorRecord | undefined, site: SiteRecord): CommentDto =>
    toCommentDto(comment, { author, viewerAuthorId: comment.authorId, editWindowSeconds: site.settings.editWindowSeconds });

  const readContextOf = (site: SiteRecord, postKey: string, viewerId: string | undefined): ReadContext => ({
    site: site.id,
    post: postKey,
    viewerAuthorId: viewerId,
    editWindowSeconds: site.settings.editWindowSeconds,
    viewerReader: viewerId !== undefined ? `author:${viewerId}` : undefined,
  });
  const readContext = (site: SiteRecord, postKey: string, viewer: AuthorRecord | undefined): ReadContext => readContextOf(site, postKey, viewer?.id);

  /** One reader as reactions count them: the author (guest token or SSO), else a salted hash of IP and user agent. */
  const readerOf = (viewer: AuthorRecord | undefined, fingerprint: { ip: string; userAgent: string }): string =>
    viewer
      ? `author:${viewer.id}`
      : `anon:${createHash('sha256').update(`${deps.readerSalt}\n${fingerprint.ip}\n${fingerprint.userAgent}`).digest('base64url')}`;

  /**
   * One client as reports and guest bans count it: a salted hash of its address alone
   * (IPv6 by /56), so a new User-Agent or a cleared localStorage is the same client.
   */
  const clientHashOf = (ip: string | undefined): string | undefined =>
    ip === undefined || ip === ''
      ? undefined
      : createHash('sha256').update(`${deps.readerSalt}\nreporter\n${clientAddressKey(ip)}`).digest('base64url');

  const listOrder = (filter: CommentListFilter): KeysetOrder => ({
    field: filter.orderBy ?? 'createdAt',
    direction: filter.direction === 'newest' ? -1 : 1,
  });

  const queueQuery = (filter: CommentListFilter): QueueQuery => ({
    statuses: filter.statuses,
    sites: filter.sites,
    postId: filter.postId,
    authorId: filter.authorId,
    keyword: filter.keyword,
    keywordAuthorIds: filter.keywordAuthorIds,
    languages: filter.languages,
    isReported: filter.isReported,
  });

  /**
   * The viewer as a cached public page can serve them: undefined for none,
   * 'own-view' when they have a pending or rejected comment in the thread (their
   * page differs from the public one by more than marks: it is read for them).
   */
  const viewerForCache = async (
    site: SiteRecord,
    postKey: string,
    bearer: string | undefined,
    hasHiddenOfClaimed: Promise<boolean> | undefined,
    claimed: string | undefined,
  ): Promise<{ viewer: AuthorRecord | undefined; isOwnView: boolean }> => {
    const viewer = await identifyViewer(site, bearer);
    if (!viewer) return { viewer, isOwnView: false };
    const hasHidden = viewer.id === claimed && hasHiddenOfClaimed ? await hasHiddenOfClaimed : await comments.hasHiddenOfAuthor(site.id, postKey, viewer.id);
    return { viewer, isOwnView: hasHidden };
  };

  /** A cached public page as this viewer sees it: their reactions looked up by the page's comment ids, in one indexed query. */
  const personalise = async <Dto extends { comments: CommentDto[] }>(page: CachedPage<Dto>, viewer: AuthorRecord, site: SiteRecord): Promise<Dto> => {
    const reacted = page.commentIds.length > 0 ? await deps.reactions.reactedBy(`author:${viewer.id}`, page.commentIds) : new Set<string>();
    const dto = structuredClone(page.dto);
    markViewerState(dto.comments, viewer.id, reacted, site.settings.editWindowSeconds);
    return dto;
  };

  /** Where a replies page's parent lives, and the page version at which it was seen public. */
  const replyParents = new Map<string, { site: string; post: string; postId: string; pageVersion: number }>();
  const rememberReplyParent = (id: string, value: { site: string; post: string; postId: string; pageVersion: number }): void => {
    replyParents.delete(id);
    replyParents.set(id, value);
    if (replyParents.size > REPLY_PARENTS_MAX) {
      const oldest = replyParents.keys().next().value;
      if (oldest !== undefined) replyParents.delete(oldest);
    }
  };

  const threadPageKey = (site: string, post: string, sort: ThreadSort, cursor: string | undefined, limit: number, now: number): string =>
    `thread\n${site}\n${post}\n${sort}\n${cursor ?? ''}\n${limit}${isRankedSort(sort) ? `\n${Math.floor(now / RANKED_PAGE_PERIOD_MS)}` : ''}`;
  const repliesPageKey = (parentId: string, cursor: string | undefined, limit: number): string => `replies\n${parentId}\n${cursor ?? ''}\n${limit}`;

  return {
    /** `GET /sites/:site/posts/:post/comments` */
    async readThread(
      input: RequestContext &
        PostDetails & { site: string; post: string; sort: ThreadSort; cursor?: string | undefined; limit: number; isFeatured?: boolean | undefined },
    ): Promise<ThreadPageDto> {
      const site = await getSiteFor(input.site, input.origin);
      const readPage = (viewerId: string | undefined): ReturnType<ThreadReader['readTopLevel']> =>
        reader.readTopLevel(readContextOf(site, input.post, viewerId), input.sort, input.cursor, input.limit);
      // The page is read by site and key, so it need not wait for the post; nor, with an author
      // token, for the viewer's lookup (the token names the author): all start in the same round
      // trip, once a replay point known to precede the page is at hand (see replayPoints).
      const claimed = authors.claimedAuthorId({ site: site.id, bearer: input.bearer });
      const replayFrom = input.isFeatured ? undefined : replayPoints.before(site.id, input.post);
      const early = replayFrom !== undefined && (input.bearer === undefined || claimed !== undefined) ? readPage(claimed) : undefined;
      early?.catch(() => undefined);
      // Only a page on one of the site's own origins creates a post by reading it; a read without
      // Origin (a script, a crawler) or from Parley's framed page (`/embed/:site/:post`, any key
      // anyone types) must not fill the moderators' posts view with junk: there the first comment does.
      const isSitePage = input.origin !== undefined && site.origins.includes(normaliseOrigin(input.origin) ?? '');
      const [found, viewer] = await Promise.all([
        isSitePage ? resolvePost(site, input.post, input) : posts.findByKey(site.id, input.post),
        identifyViewer(site, input.bearer),
      ]);
      if (!found) {
        // No post, so no page of it was ever handed out: a cursor here is forged or from another thread.
        if (input.cursor !== undefined) throw new AppError('CURSOR_INVALID', 'The cursor is not valid for this thread; start again without it');
        const empty = { id: '', site: site.id, key: input.post, url: null, title: null, closed: false, banner: bannerOf('normal'), counts: { published: 0 } };
        return { post: empty, sort: input.sort, comments: [], nextCursor: null, seq: 0, reactionLabel: site.settings.reactionLabel ?? null };
      }
      const post = found;
      replayPoints.learn(site.id, post.key, post.eventSeq);
      // The seq handed out is one reached before the comments were read: a client replaying
      // from it may see an event twice (harmless, ids are stable) but never misses one.
      // A token whose author is gone (or not this one) reads again, as the viewer really is.
      const isEarly = early !== undefined && replayFrom !== undefined && viewer?.id === claimed;
      const page = input.isFeatured
        ? { comments: await reader.readFeatured(readContext(site, post.key, viewer), MAX_FEATURED_PER_POST), nextCursor: null }
        : isEarly
          ? await early
          : await readPage(viewer?.id);
      return {
        post: toPublicPostDto(post),
        sort: input.sort,
        comments: page.comments,
        nextCursor: page.nextCursor,
        seq: isEarly ? replayFrom : post.eventSeq,
        reactionLabel: site.settings.reactionLabel ?? null,
      };
    },

    /**
     * `GET /sites/:site/posts/:post/comments` as bytes for the wire. A keyset page is
     * served from the page cache while the post's page version and the site's settings
     * revision are those it was built at (one round trip for the post, beside the
     * viewer's lookups); an identified viewer gets their marks merged in, or their own
     * read when they have something hidden in the thread. Featured pages are read each time.
     */
    async readThreadSerialised(
      input: RequestContext &
        PostDetails & { site: string; post: string; sort: ThreadSort; cursor?: string | undefined; limit: number; isFeatured?: boolean | undefined },
    ): Promise<SerialisedPage> {
      if (input.isFeatured || !CACHED_SORTS.has(input.sort)) return serialiseFresh(await this.readThread(input));
      const site = await getSiteFor(input.site, input.origin);
      const now = clock.now().getTime();
      const key = threadPageKey(site.id, input.post, input.sort, input.cursor, input.limit, now);
      if (input.bearer === undefined) {
        // A post read moments ago, with no write to it since: no database at all.
        const trusted = pageCache.trusted(site.id, input.post, now);
        const isDetailKnown = trusted !== undefined && (input.postUrl === undefined || trusted.hasUrl) && (input.postTitle === undefined || trusted.hasTitle);
        const page = isDetailKnown && trusted.stamp.settingsRevision === site.settingsRevision ? pageCache.get<PublicThreadPage>(key, trusted.stamp) : undefined;
        if (page && trusted) return serialiseWithSeq(page, trusted.seq);
      }
      const epoch = pageCache.epoch();
      const claimed = authors.claimedAuthorId({ site: site.id, bearer: input.bearer });
      // An SSO token names its author only once verified and stored: no early read for it.
      const viewerGuess = input.bearer === undefined ? { id: undefined } : claimed !== undefined ? { id: claimed } : undefined;
      // The version this instance last saw, read before anything started now: a page read from
      // here on shows every write that version counts (see thread-page-cache.ts).
      const known = pageCache.lastStampOf(site.id, input.post, site.settingsRevision);
      // When the kept page looks stale, the page is read beside the post, as readThread does.
      const early = known !== undefined && viewerGuess !== undefined && !pageCache.has(key, known.stamp)
        ? reader.readTopLevel(readContextOf(site, input.post, viewerGuess.id), input.sort, input.cursor, input.limit)
        : undefined;
      early?.catch(() => undefined);
      // The early read is the viewer's own page already: nothing hidden to look for then.
      const hasHiddenOfClaimed =
        claimed === undefined ? undefined : early !== undefined ? Promise.resolve(false) : comments.hasHiddenOfAuthor(site.id, input.post, claimed);
      hasHiddenOfClaimed?.catch(() => undefined);
      // As readThread: only a read from one of the site's own pages creates the post.
      const isSitePage = input.origin !== undefined && site.origins.includes(normaliseOrigin(input.origin) ?? '');
      const [post, { viewer, isOwnView }] = await Promise.all([
        isSitePage ? resolvePost(site, input.post, input) : posts.findByKey(site.id, input.post),
        viewerForCache(site, input.post, input.bearer, hasHiddenOfClaimed, claimed),
      ]);
      if (!post) return serialiseFresh(await this.readThread(input));
      const stamp = { postId: post.id, pageVersion: post.pageVersion, settingsRevision: site.settingsRevision };
      pageCache.learnStamp(site.id, post.key, stamp, post.eventSeq);
      pageCache.trust(site.id, post.key, { stamp, seq: post.eventSeq, hasUrl: post.url !== null, hasTitle: post.title !== null }, epoch, now);
      const toDto = (read: { comments: CommentDto[]; nextCursor: string | null }): PublicThreadPage => ({
        post: toPublicPostDto(post),
        sort: input.sort,
        comments: read.comments,
        nextCursor: read.nextCursor,
        reactionLabel: site.settings.reactionLabel ?? null,
      });
      const isEarlyUsable = early !== undefined && known !== undefined && viewer?.id === viewerGuess?.id;
      if (isEarlyUsable && known !== undefined) {
        // Read after `known` was seen: it shows what that version counts, and is that version's
        // page when nothing moved since; otherwise it is answered once with the older seq.
        const read = await early;
        const isCurrent = sameStamp(known.stamp, stamp);
        if (viewer === undefined && isCurrent) pageCache.put(key, stamp, toDto(read), read.comments);
        // A viewer's own page also holds events only they get, which move no version: theirs takes the older seq.
        return serialiseFresh({ seq: viewer === undefined && isCurrent ? post.eventSeq : known.seq, ...toDto(read) });
      }
      // The seq is read with the page version: a public event at or before it moved the version
      // in the same write (nextEventSeq), so the page of this version already shows it.
      const seq = post.eventSeq;
      if (isOwnView) return serialiseFresh({ seq, ...toDto(await reader.readTopLevel(readContext(site, post.key, viewer), input.sort, input.cursor, input.limit)) });
      let page = pageCache.get<PublicThreadPage>(key, stamp);
      if (!page) {
        const read = await reader.readTopLevel(readContextOf(site, post.key, undefined), input.sort, input.cursor, input.limit);
        page = pageCache.put(key, stamp, toDto(read), read.comments);
      }
      if (!viewer) return serialiseWithSeq(page, seq);
      return serialiseFresh({ seq, ...(await personalise(page, viewer, site)) });
    },

    /**
     * `GET /comments/:id/replies` as bytes for the wire, cached like thread pages: a
     * kept page names its post, which is then read beside the parent (one round trip).
     */
    async readRepliesSerialised(input: RequestContext & { commentId: string; cursor?: string | undefined; limit: number }): Promise<SerialisedPage> {
      const key = repliesPageKey(input.commentId, input.cursor, input.limit);
      const now = clock.now().getTime();
      const knownParent = replyParents.get(input.commentId);
      if (input.bearer === undefined && knownParent) {
        // The parent was seen public at this page version; while the post is trusted not to have moved, nothing is read.
        const site = await getSiteFor(knownParent.site, input.origin);
        const trusted = pageCache.trusted(knownParent.site, knownParent.post, now);
        const isCurrent = trusted?.stamp.postId === knownParent.postId && trusted.stamp.pageVersion === knownParent.pageVersion && trusted.stamp.settingsRevision === site.settingsRevision;
        const page = isCurrent ? pageCache.get<RepliesPageDto>(key, trusted.stamp) : undefined;
        if (page) return serialiseCached(page);
      }
      const epoch = pageCache.epoch();
      const knownPostId = pageCache.postOf(key);
      const [first, knownPost] = await Promise.all([
        requireComment(input.commentId),
        knownPostId === undefined ? Promise.resolve(undefined) : posts.findById(knownPostId),
      ]);
      const site = await getSiteFor(first.site, input.origin);
      const claimed = authors.claimedAuthorId({ site: site.id, bearer: input.bearer });
      const hasHiddenOfClaimed = claimed === undefined ? undefined : comments.hasHiddenOfAuthor(site.id, first.post, claimed);
      hasHiddenOfClaimed?.catch(() => undefined);
      const [post, { viewer, isOwnView }] = await Promise.all([
        knownPost?.id === first.postId ? Promise.resolve(knownPost) : posts.findById(first.postId),
        viewerForCache(site, first.post, input.bearer, hasHiddenOfClaimed, claimed),
      ]);
      // The parent as it is at this page version: read beside the post (a cached page), or again after it (a first read).
      const parent = knownPost?.id === first.postId ? first : await requireComment(input.commentId);
      const isPlaceholder = parent.status === 'rejected' && parent.replyCount > 0;
      const isPublic = parent.status === 'published' || parent.status === 'deleted' || isPlaceholder;
      if (!post || isOwnView || !isPublic) return serialiseFresh(await this.readReplies(input));
      const stamp = { postId: post.id, pageVersion: post.pageVersion, settingsRevision: site.settingsRevision };
      pageCache.trust(site.id, post.key, { stamp, seq: post.eventSeq, hasUrl: post.url !== null, hasTitle: post.title !== null }, epoch, now);
      let page = pageCache.get<RepliesPageDto>(key, stamp);
      if (!page) {
        const read = await reader.readReplies(readContextOf(site, parent.post, undefined), parent, input.cursor, input.limit);
        page = pageCache.put(key, stamp, { parentId: parent.id, comments: read.comments, nextCursor: read.nextCursor }, read.comments);
      }
      rememberReplyParent(parent.id, { site: site.id, post: post.key, postId: post.id, pageVersion: post.pageVersion });
      if (!viewer) return serialiseCached(page);
      return serialiseFresh(await personalise(page, viewer, site));
    },

    /**
     * What a live reader joining a post needs: its published count and latest
     * event sequence (site and Origin checked; 0 and 0 for a post not created yet).
     */
    async readLiveState(input: { site: string; post: string; origin?: string | undefined }): Promise<{ count: number; seq: number }> {
      const site = await getSiteFor(input.site, input.origin);
      // Joining never creates a post: that is for a read from the site's page or the first comment.
      const post = await posts.findByKey(site.id, input.post);
      return post ? { count: post.counts.published, seq: post.eventSeq } : { count: 0, seq: 0 };
    },

    /** `GET /comments/:id/replies` */
    async readReplies(input: RequestContext & { commentId: string; cursor?: string | undefined; limit: number }): Promise<RepliesPageDto> {
      const parent = await requireComment(input.commentId);
      const site = await getSiteFor(parent.site, input.origin);
      const viewer = await identifyViewer(site, input.bearer);
      const isOwnPending = parent.status === 'pending' && viewer?.id === parent.authorId;
      const isPlaceholder = parent.status === 'rejected' && parent.replyCount > 0;
      if ((parent.status === 'rejected' && !isPlaceholder) || (parent.status === 'pending' && !isOwnPending)) throw new NotFoundError('COMMENT', parent.id);
      const page = await reader.readReplies(readContext(site, parent.post, viewer), parent, input.cursor, input.limit);
      return { parentId: parent.id, comments: page.comments, nextCursor: page.nextCursor };
    },

    /** `GET /comments/:id`: one comment as readers see it. */
    async readComment(input: RequestContext & { commentId: string }): Promise<CommentDto> {
      const comment = await requireComment(input.commentId);
      const site = await getSiteFor(comment.site, input.origin);
      const viewer = await identifyViewer(site, input.bearer);
      const isVisible =
        comment.status === 'published' ||
        ((comment.status === 'deleted' || comment.status === 'rejected') && comment.replyCount > 0) ||
        (comment.status === 'pending' && viewer?.id === comment.authorId);
      if (!isVisible) throw new NotFoundError('COMMENT', comment.id);
      const author = isTombstone(comment, viewer?.id) ? undefined : await authors.getAuthor(comment.authorId);
      return toCommentDto(comment, { author, viewerAuthorId: viewer?.id, editWindowSeconds: site.settings.editWindowSeconds });
    },

    /** `POST /sites/:site/posts/:post/comments` */
    async createComment(
      input: RequestContext &
        PostDetails & {
          site: string;
          post: string;
          body: string;
          parentId?: string | null | undefined;
          authorName?: string | undefined;
          confirmNudge?: boolean | undefined;
        },
    ): Promise<CreatedCommentDto> {
      const site = await getSiteFor(input.site, input.origin);
      const text = checkText(site, input.body);
      const post = await resolvePost(site, input.post, input);
      if (post.closed) throw new AppError('POST_CLOSED', 'This post is closed for comments');

      let parent: CommentRecord | undefined;
      if (input.parentId) {
        parent = await comments.findById(input.parentId);
        if (!parent || parent.site !== site.id || parent.postId !== post.id) throw new NotFoundError('PARENT', input.parentId);
        if (parent.status !== 'published') {
          throw new AppError('PARENT_NOT_REPLYABLE', 'That comment cannot be replied to', { parentId: parent.id, status: parent.status });
        }
      }

      const { author, newAuthorToken } = await authors.resolveAuthor({
        site: site.id,
        bearer: input.bearer,
        ssoSecret: site.ssoSecret ?? undefined,
        displayName: input.authorName,
        clientHash: clientHashOf(input.clientIp),
      });
      const verdict = await screenOrRefuse({
        site,
        post,
        author,
        text,
        isEdit: false,
        parentId: parent?.id ?? null,
        confirmNudge: input.confirmNudge,
        isNewAuthor: newAuthorToken !== undefined,
      }).catch((error: unknown) => {
        // A nudged guest keeps the identity just made, so "post anyway" and a revision count as theirs.
        if (error instanceof AppError && error.code === 'COMMENT_NUDGED' && newAuthorToken !== undefined) {
          throw new AppError(error.code, error.message, { ...error.context, authorToken: newAuthorToken });
        }
        throw error;
      });
      const now = clock.now();
      const stored = await comments.insert({
        site: site.id,
        post: post.key,
        postId: post.id,
        parentId: parent ? parent.id : null,
        ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
        authorId: author.id,
        body: text,
        status: verdict.status,
        revision: 1,
        verdict: { action: verdict.action, findings: verdict.findings, languages: verdict.languages, revision: 1, at: verdict.at },
        history: [],
        replyCount: 0,
        reportCount: 0,
        reportReasons: {},
        hasOpenReports: false,
        firstReportedAt: null,
        lastReportedAt: null,
        createdAt: now,
        editedAt: null,
        statusChangedAt: now,
        statusChangedBy: { kind: 'system' },
        deletedAt: null,
      });
      await effects.apply({ before: null, after: stored, post, author });
      notify({ kind: 'created', comment: stored, post, author });

      const result: CreatedCommentDto = { comment: renderOwn(stored, author, site) };
      if (newAuthorToken !== undefined) result.authorToken = newAuthorToken;
      if (verdict.action !== 'publish') {
        const reasons = readerReasonsWithCodes(verdict.action, verdict.findings);
        result.verdict = {
          action: verdict.action,
          reasons: reasons.map((reason) => reason.text),
          reasonCodes: reasons.map((reason) => reason.code),
        };
      }
      return result;
    },

    /** `PATCH /comments/:id`: the author, within the edit window; the edit is screened again. */
    async editComment(input: RequestContext & { commentId: string; body: string }): Promise<CommentDto> {
      const comment = await requireComment(input.commentId);
      const site = await getSiteFor(comment.site, input.origin);
      if (comment.status === 'deleted') throw new NotFoundError('COMMENT', comment.id);
      const author = await requireAuthorInWindow(site, comment, input.bearer);
      await authors.assertClientAllowed({ author, clientHash: clientHashOf(input.clientIp) });
      if (comment.status !== 'published' && comment.status !== 'pending') {
        throw new AppError('COMMENT_NOT_EDITABLE', `A ${comment.status} comment cannot be edited`, { status: comment.status });
      }
      const text = checkText(site, input.body);
      if (text === comment.body) return renderOwn(comment, author, site);
      const post = await requirePost(comment.postId);
      if (post.closed) throw new AppError('POST_CLOSED', 'This post is closed for comments');
      const verdict = await screenOrRefuse({ site, post, author, text, isEdit: true, commentId: comment.id, parentId: comment.parentId });
      const now = clock.now();
      const updated = await comments.replaceBody(
        comment.id,
        { from: comment.status, expectedRevision: comment.revision },
        {
          body: text,
          status: verdict.status,
          verdict: { action: verdict.action, findings: verdict.findings, languages: verdict.languages, revision: comment.revision + 1, at: verdict.at },
          replaced: { revision: comment.revision, body: comment.body, writtenAt: comment.editedAt ?? comment.createdAt, verdict: comment.verdict },
          editedAt: now,
          statusChangedAt: now,
          hasOpenReports: verdict.status === 'published' && comment.hasOpenReports,
        },
      );
      if (!updated) {
        throw new AppError('REVISION_CONFLICT', 'The comment changed while you were editing it; reload and try again', {
          revision: comment.revision,
        });
      }
      await effects.apply({ before: comment, after: updated, post, isEdit: true, author });
      notify({ kind: 'edited', comment: updated, previousStatus: comment.status });
      return renderOwn(updated, author, site);
    },

    /**
     * `DELETE /comments/:id`: the author, within the edit window. A comment
     * with replies stays as a tombstone; one without leaves the thread. Both
     * are kept as `deleted` for moderators.
     */
    async deleteComment(input: RequestContext & { commentId: string }): Promise<void> {
      const comment = await requireComment(input.commentId);
      const site = await getSiteFor(comment.site, input.origin);
      if (comment.status === 'deleted') throw new NotFoundError('COMMENT', comment.id);
      const author = await requireAuthorInWindow(site, comment, input.bearer);
      const now = clock.now();
      const updated = await comments.changeStatus(
        comment.id,
        { from: comment.status, expectedRevision: comment.revision },
        { to: 'deleted', at: now, by: { kind: 'author', id: author.id }, hasOpenReports: false, deletedAt: now },
      );
      if (!updated) throw new AppError('REVISION_CONFLICT', 'The comment changed meanwhile; reload and try again');
      const post = await requirePost(comment.postId);
      await effects.apply({ before: comment, after: updated, post });
      notify({ kind: 'deleted', comment: updated, previousStatus: comment.status });
    },

    /** `POST /comments/:id/reports`: once per reader; a published comment's first report puts it in the reported queue. */
    async reportComment(
      input: RequestContext & { commentId: string; reason: ReportReason; fingerprint: { ip: string; userAgent: string } },
    ): Promise<{ commentId: string; reason: ReportReason }> {
      const comment = await requireComment(input.commentId);
      const site = await getSiteFor(comment.site, input.origin);
      if (comment.status !== 'published') throw new NotFoundError('COMMENT', comment.id);
      const viewer = await identifyViewer(site, input.bearer);
      // One report per reader: their author (or SSO) identity, else a salted hash of the client
      // address alone: a changed User-Agent is the same reader.
      const reader = viewer ? `author:${viewer.id}` : `anon:${clientHashOf(input.fingerprint.ip) ?? 'unknown'}`;
      const now = clock.now();
      const outcome = await reports.insert({ commentId: comment.id, site: site.id, reader, reason: input.reason, at: now });
      if (outcome === 'duplicate') throw new AppError('ALREADY_REPORTED', 'You have already reported this comment');
      const counted = (await comments.addReport(comment.id, input.reason, now)) ?? comment;
      const isFirstOpenReport = await comments.openReports(comment.id, now);
      if (isFirstOpenReport) {
        const post = await requirePost(comment.postId);
        await effects.applyCounts({ status: 'published', hasOpenReports: false }, { status: 'published', hasOpenReports: true }, counted, post);
      }
      const after = isFirstOpenReport ? { ...counted, hasOpenReports: true, firstReportedAt: now } : counted;
      notify({ kind: 'reported', comment: after, reason: input.reason, isFirstOpenReport });
      return { commentId: comment.id, reason: input.reason };
    },

    /**
     * `PUT /comments/:id/reaction` (react) and `DELETE` (take it back): one reaction
     * per reader and comment, counted on the comment by diff; authors cannot react
     * to their own comments; a downvote only where the site enables it.
     */
    async setReaction(
      input: RequestContext & { commentId: string; kind: ReactionKind | null; fingerprint: { ip: string; userAgent: string } },
    ): Promise<ReactionResultDto> {
      const comment = await requireComment(input.commentId);
      const site = await getSiteFor(comment.site, input.origin);
      if (comment.status !== 'published') throw new NotFoundError('COMMENT', comment.id);
      if (input.kind === 'down' && !site.settings.downvotes) {
        throw new AppError('DOWNVOTES_DISABLED', 'This site does not take downvotes; send no kind (or "up") to react');
      }
      const viewer = await identifyViewer(site, input.bearer);
      if (viewer?.id === comment.authorId) throw new AppError('OWN_COMMENT_REACTION', 'Authors cannot react to their own comments');
      const reader = readerOf(viewer, input.fingerprint);
      const previous =
        input.kind === null
          ? await deps.reactions.remove(comment.id, reader)
          : await deps.reactions.put({ commentId: comment.id, site: site.id, reader, kind: input.kind, at: clock.now() });
      const delta = { up: 0, down: 0 };
      if (previous !== null) delta[previous] -= 1;
      if (input.kind !== null) delta[input.kind] += 1;
      if (delta.up === 0 && delta.down === 0) return { reacted: input.kind === 'up', reactions: comment.reactions.up };
      const counted = (await comments.adjustReactions(comment.id, delta.up, delta.down)) ?? comment;
      // Counts (and the best order) changed under the thread's cached pages.
      await posts.bumpPageVersion(comment.postId);
      if (delta.up !== 0) deps.log.publishReactions(comment.site, comment.post, comment.id, counted.reactions.up);
      return { reacted: input.kind === 'up', reactions: counted.reactions.up };
    },

    /** `GET /sites/:site/counts?posts=a,b`: published counts, 0 for unknown posts. */
    /** A draft rendered as it would be shown, stored nowhere and not screened (the widget's preview). */
    async previewComment(input: RequestContext & { site: string; body: string }): Promise<CommentPreviewDto> {
      const site = await getSiteFor(input.site, input.origin);
      return { html: renderCommentHtml(checkText(site, input.body)) };
    },

    async getCounts(input: RequestContext & { site: string; posts: readonly string[] }): Promise<CountsDto> {
      const site = await getSiteFor(input.site, input.origin);
      const found = await posts.findByKeys(site.id, input.posts);
      const byKey = new Map(found.map((post) => [post.key, post.counts.published]));
      const counts: CountsDto = Object.create(null) as CountsDto;
      for (const key of input.posts) counts[key] = byKey.get(key) ?? 0;
      return counts;
    },

    /** Live events of a post after `since` (the realtime `since` replay): public ones plus the viewer's own. */
    listPostEvents(input: { site: string; post: string; since: number; viewerAuthorId?: string | undefined }): Promise<PostEvent[]> {
      return deps.log.listSince(input);
    },

    // ---- moderation port ----

    /** The internal comment (verdict, revision, reports…); undefined when missing. */
    getComment(id: string): Promise<CommentRecord | undefined> {
      return comments.findById(id);
    },

    async getComments(ids: readonly string[]): Promise<Map<string, CommentRecord>> {
      const found = await comments.findByIds(ids.filter((id) => OBJECT_ID.test(id)));
      return new Map(found.map((comment) => [comment.id, comment]));
    },

    /**
     * How much weight the distinct reporters of these comments carry: a signed-in
     * reader (author token or SSO) counts 1, an anonymous one (client hash) half.
     */
    async weighReporters(commentIds: readonly string[]): Promise<number> {
      const readers = await reports.listReaders(commentIds.filter((id) => OBJECT_ID.test(id)));
      return readers.reduce((sum, reader) => sum + (reader.startsWith('author:') ? 1 : ANONYMOUS_REPORTER_WEIGHT), 0);
    },

    /** A post's latest comments as auto-heating weighs them (reports, held), newest first. */
    listRecentActivity(postId: string, limit: number): Promise<CommentActivity[]> {
      return comments.findRecentActivity(postId, Math.min(100, Math.max(1, limit)));
    },

    /** An author's latest comments on a site, newest first (flood and repeat checks). */
    listRecentByAuthor(authorId: string, site: string, limit: number): Promise<CommentRecord[]> {
      return comments.findRecentByAuthor(authorId, site, Math.min(100, Math.max(1, limit)));
    },

    /**
     * Moves a comment to another status with every count diff and live event.
     * Throws INVALID_TRANSITION when the move isn't allowed from its current
     * status, REVISION_CONFLICT when `expectedRevision` is given and differs
     * (the author edited it since the moderator read it).
     */
    async setCommentStatus(id: string, change: { to: CommentStatus; expectedRevision?: number | undefined; by: StatusActor }): Promise<CommentRecord> {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const current = await requireComment(id);
        if (change.expectedRevision !== undefined && change.expectedRevision !== current.revision) {
          throw new AppError('REVISION_CONFLICT', 'The comment was edited since you read it', {
            expectedRevision: change.expectedRevision,
            revision: current.revision,
          });
        }
        if (!TRANSITIONS[current.status].includes(change.to)) {
          throw new AppError('INVALID_TRANSITION', `A ${current.status} comment cannot become ${change.to}`, { from: current.status, to: change.to });
        }
        const updated = await comments.changeStatus(
          id,
          { from: current.status, expectedRevision: current.revision },
          { to: change.to, at: clock.now(), by: change.by, hasOpenReports: change.to === 'published' && current.hasOpenReports },
        );
        if (!updated) continue; // changed meanwhile: re-read and judge again
        const post = await requirePost(current.postId);
        await effects.apply({ before: current, after: updated, post });
        notify({ kind: 'status-changed', comment: updated, previousStatus: current.status, by: change.by });
        return updated;
      }
      throw new AppError('REVISION_CONFLICT', 'The comment keeps changing; reload it and try again');
    },

    /** Takes a comment out of the reported queue (its report count stays). */
    async dismissReports(id: string): Promise<CommentRecord> {
      const comment = await requireComment(id);
      const wasOpen = await comments.closeReports(id);
      const after = { ...comment, hasOpenReports: false };
      if (wasOpen) {
        const post = await requirePost(comment.postId);
        await effects.applyCounts({ status: comment.status, hasOpenReports: true }, { status: comment.status, hasOpenReports: false }, comment, post);
        notify({ kind: 'reports-dismissed', comment: after });
      }
      return after;
    },

    /**
     * Features or unfeatures a comment (only a published one can be featured, at
     * most MAX_FEATURED_PER_POST per post); readers' widgets learn it from a
     * `comment:featured` event. `isChanged` is false when it already was so.
     */
    async setFeatured(id: string, change: { featured: boolean; by: StatusActor }): Promise<{ comment: CommentRecord; isChanged: boolean }> {
      const comment = await requireComment(id);
      if (change.featured && comment.status !== 'published') {
        throw new AppError('COMMENT_NOT_FEATURABLE', `Only published comments can be featured (this one is ${comment.status})`, { status: comment.status });
      }
      if (change.featured === (comment.featuredAt !== null)) return { comment, isChanged: false };
      if (change.featured) {
        const featured = await comments.findFeatured(comment.site, comment.post, MAX_FEATURED_PER_POST);
        if (featured.length >= MAX_FEATURED_PER_POST) {
          throw new AppError('FEATURED_LIMIT_REACHED', `A post can have at most ${MAX_FEATURED_PER_POST} featured comments; unfeature one first`, {
            maxFeatured: MAX_FEATURED_PER_POST,
          });
        }
      }
      const updated = await comments.setFeatured(id, change.featured ? clock.now() : null);
      if (!updated) {
        throw new AppError('COMMENT_NOT_FEATURABLE', 'The comment is no longer published; reload it', { status: comment.status });
      }
      const [post, author, site] = await Promise.all([requirePost(updated.postId), authors.getAuthor(updated.authorId), sites.getSite(updated.site)]);
      const dto = toCommentDto(updated, { author, editWindowSeconds: site.settings.editWindowSeconds });
      await deps.log.append(post, {
        type: 'comment:featured',
        payload: { site: updated.site, post: updated.post, commentId: updated.id, featured: change.featured, comment: change.featured ? dto : null },
        audience: { kind: 'public' },
      });
      notify({ kind: 'featured', comment: updated, featured: change.featured, by: change.by });
      return { comment: updated, isChanged: true };
    },

    /**
     * A moderator's reply from the panel, posted as the site's staff author:
     * published at once, not screened (moderators answer for their own words;
     * the audit log records who wrote it).
     */
    async createStaffReply(input: { parentId: string; body: string; author: AuthorRecord; by: StatusActor }): Promise<CommentRecord> {
      const parent = await requireComment(input.parentId);
      if (parent.status !== 'published') {
        throw new AppError('PARENT_NOT_REPLYABLE', 'Only published comments can be answered in the thread', { parentId: parent.id, status: parent.status });
      }
      const site = await sites.getSite(parent.site);
      const text = checkText(site, input.body);
      const post = await requirePost(parent.postId);
      if (post.closed) throw new AppError('POST_CLOSED', 'This post is closed for comments; open it to answer');
      const now = clock.now();
      const stored = await comments.insert({
        site: parent.site,
        post: parent.post,
        postId: parent.postId,
        parentId: parent.id,
        ancestorIds: [...parent.ancestorIds, parent.id],
        authorId: input.author.id,
        body: text,
        status: 'published',
        revision: 1,
        verdict: null,
        history: [],
        replyCount: 0,
        reportCount: 0,
        reportReasons: {},
        hasOpenReports: false,
        firstReportedAt: null,
        lastReportedAt: null,
        createdAt: now,
        editedAt: null,
        statusChangedAt: now,
        statusChangedBy: input.by,
        deletedAt: null,
      });
      await effects.apply({ before: null, after: stored, post, author: input.author });
      notify({ kind: 'created', comment: stored });
      return stored;
    },

    /** Heat, closed and pre-moderation override of a post. Throws POST_NOT_FOUND. */
    async setPostState(postId: string, patch: PostStatePatch): Promise<PostRecord> {
      const previous = await posts.findById(postId);
      const post = previous && (await posts.setState(postId, patch, clock.now()));
      if (!previous || !post) throw new NotFoundError('POST', postId);
      if (previous.heat !== post.heat || previous.closed !== post.closed) {
        await deps.log.append(post, {
          type: 'post:updated',
          payload: { site: post.site, post: post.key, state: { closed: post.closed, banner: bannerOf(post.heat) } },
          audience: { kind: 'public' },
        });
      }
      if (deps.onPostChange) {
        Promise.resolve(deps.onPostChange({ post, previous })).catch((error: unknown) =>
          logger.error({ err: error, postId }, 'post change listener failed'),
        );
      }
      return post;
    },

    getPost(id: string): Promise<PostRecord | undefined> {
      return posts.findById(id);
    },

    async getPosts(ids: readonly string[]): Promise<Map<string, PostRecord>> {
      const found = await posts.findByIds(ids.filter((id) => OBJECT_ID.test(id)));
      return new Map(found.map((post) => [post.id, post]));
    },

    findPost(site: string, key: string): Promise<PostRecord | undefined> {
      return posts.findByKey(site, key);
    },

    /** Posts of some sites (or all), most recently active first. */
    listPosts(filter: { sites?: readonly string[] | undefined; limit: number }): Promise<PostRecord[]> {
      return posts.listRecent(filter.sites, Math.min(1000, Math.max(1, filter.limit)));
    },

    toPostDto,

    /**
     * A comment as readers see it, without loading its author (`author: null`
     * unless the caller fills it): for moderation views that load authors in bulk.
     */
    toCommentDto(comment: CommentRecord): CommentDto {
      return toCommentDto(comment, { author: undefined, editWindowSeconds: 0 });
    },

    /** Comments for moderation queues, oldest first by default, keyset-paginated. */
    async listComments(filter: CommentListFilter): Promise<CommentListPage> {
      const order = listOrder(filter);
      const scope = `queue:${order.field}:${order.direction}`;
      const limit = Math.min(100, Math.max(1, filter.limit ?? 20));
      let after = null;
      if (filter.cursor !== undefined) {
        const position = decodeCursor(filter.cursor, scope);
        after = position.key === null || position.id === null ? null : { key: position.key, id: position.id };
      }
      const found = await comments.listQueue(queueQuery(filter), order, after, limit + 1);
      const items = found.slice(0, limit);
      const last = items[items.length - 1];
      const nextCursor = found.length > limit && last ? encodeCursor({ scope, key: comments.keyOf(last, order.field), id: last.id }) : null;
      return { items, nextCursor };
    },

    /** The sites' published, pending and reported comments, from the posts' counts kept by diff (no comment is counted). */
    sumPostCounts(sites: readonly string[] | undefined): Promise<PostCounts> {
      return posts.sumCounts(sites);
    },

    /** How many comments match a queue filter (queue depths). */
    countComments(filter: CommentListFilter): Promise<number> {
      return comments.countQueue(queueQuery(filter));
    },

    /** Comments as readers see them (authors loaded), e.g. for moderation items. */
    async renderComments(records: readonly CommentRecord[]): Promise<CommentDto[]> {
      const ids = [...new Set(records.filter((record) => record.status !== 'deleted').map((record) => record.authorId))];
      const authorsById = ids.length > 0 ? await authors.getAuthors(ids) : new Map<string, AuthorRecord>();
      const siteIds = [...new Set(records.map((record) => record.site))];
      const siteList = await sites.listSites({ ids: siteIds });
      const windows = new Map(siteList.map((site) => [site.id, site.settings.editWindowSeconds]));
      return records.map((record) =>
        toCommentDto(record, { author: authorsById.get(record.authorId), editWindowSeconds: windows.get(record.site) ?? 0 }),
      );
    },
  };
}

export type { PostDto };

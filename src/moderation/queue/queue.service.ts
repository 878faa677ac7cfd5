import { toAuthorDto as toPublicAuthor, type CommentListFilter, type CommentRecord } from '../../comments';
import type { CommentDto, ModerationItemDto } from '../../contracts/comments';
import type { AuditEntryDto, QueuePageDto } from '../../contracts/moderation-api';
import type { QueueName, StatsDto } from '../../contracts/socket-events';
import type { AuthorDirectory, AuthorRecord } from '../../identity';
import type { Clock } from '../../shared/clock';
import type { AuditRepository } from '../audit/audit.repository';
import type { CommentsPort } from '../moderation.ports';
import type { ClaimRecord, ClaimRepository } from './claim.repository';

const EXCERPT_LENGTH = 200;

function excerpt(body: string): string {
  return body.length <= EXCERPT_LENGTH ? body : `${body.slice(0, EXCERPT_LENGTH - 1)}…`;
}

export const QUEUES: readonly QueueName[] = ['pending', 'reported', 'rejected', 'approved'];

export interface QueueQuery {
  queue: QueueName;
  /** The moderator's scope; null = every site. */
  scope: string[] | null;
  site?: string | undefined;
  postId?: string | undefined;
  keyword?: string | undefined;
  /** Only comments whose verdict detected one of these languages (BCP 47 codes). */
  languages?: readonly string[] | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Which comments each queue holds, and in what order. */
export function queueFilter(queue: QueueName): CommentListFilter {
  switch (queue) {
    case 'pending':
      return { statuses: ['pending'], orderBy: 'createdAt', direction: 'oldest' };
    case 'reported':
      return { statuses: ['published'], isReported: true, orderBy: 'firstReportedAt', direction: 'oldest' };
    case 'rejected':
      return { statuses: ['rejected'], orderBy: 'statusChangedAt', direction: 'newest' };
    case 'approved':
      return { statuses: ['published'], orderBy: 'statusChangedAt', direction: 'newest' };
  }
}

/** The queue a comment currently sits in (the one an item was added to). */
export function queueOf(comment: CommentRecord): QueueName | undefined {
  if (comment.status === 'pending') return 'pending';
  if (comment.status === 'rejected') return 'rejected';
  if (comment.status === 'published') return comment.hasOpenReports ? 'reported' : 'approved';
  return undefined;
}

function sitesFilter(scope: string[] | null, site: string | undefined): readonly string[] | undefined {
  if (site) return [site];
  return scope ?? undefined;
}

export interface QueueServiceDeps {
  comments: CommentsPort;
  authors: AuthorDirectory;
  claims: ClaimRepository;
  audit: AuditRepository;
  clock: Clock;
}

export function createQueueService(deps: QueueServiceDeps) {
  const { comments, authors, claims, clock } = deps;

  function toClaimDto(claim: ClaimRecord | undefined): ModerationItemDto['claim'] {
    return claim ? { moderatorId: claim.moderatorId, moderatorName: claim.moderatorName, until: claim.until.toISOString() } : null;
  }

  function toAuthorDto(authorId: string, author: AuthorRecord | undefined): ModerationItemDto['author'] {
    return {
      id: authorId,
      name: author?.name ?? 'unknown',
      standing: author?.standing ?? 'active',
      suspendedUntil: author?.suspendedUntil ? author.suspendedUntil.toISOString() : null,
      isVerified: author?.kind === 'sso',
      history: author?.counts ?? { published: 0, pending: 0, rejected: 0 },
    };
  }

  function toDecision(record: CommentRecord): ModerationItemDto['decision'] {
    if (record.status !== 'rejected' && record.status !== 'published') return null;
    const by = record.statusChangedBy;
    const at = record.statusChangedAt.toISOString();
    if (by?.kind === 'moderator') {
      return { kind: 'moderator', moderatorId: by.id, moderatorName: by.name ?? null, at, reason: by.reason ?? null, note: by.note ?? null };
    }
    return { kind: 'system', moderatorId: null, moderatorName: null, at, reason: null, note: null };
  }

  /** Turns comments into queue items with their context, in a handful of batched reads. */
  async function toItems(records: CommentRecord[]): Promise<ModerationItemDto[]> {
    const parentIds = records.map((c) => c.parentId).filter((id): id is string => id !== null);
    const [posts, parents, claimMap] = await Promise.all([
      comments.getPosts([...new Set(records.map((c) => c.postId))]),
      comments.getComments([...new Set(parentIds)]),
      claims.findActive(records.map((c) => c.id), clock.now()),
    ]);
    const authorMap = await authors.getAuthors([
      ...records.map((c) => c.authorId),
      ...[...parents.values()].map((parent) => parent.authorId),
    ]);
    /** Moderators see who wrote a comment, tombstones included. */
    const render = (record: CommentRecord): CommentDto => {
      const author = authorMap.get(record.authorId);
      return {
        ...comments.toCommentDto(record),
        body: record.body,
        author: author ? toPublicAuthor(author) : { id: record.authorId, name: 'unknown', isVerified: false, badges: [] },
      };
    };
    return records.map((record) => {
      const post = posts.get(record.postId);
      const parent = record.parentId ? parents.get(record.parentId) : undefined;
      const author = authorMap.get(record.authorId);
      const queuedAt =
        record.status === 'published' && record.hasOpenReports && record.firstReportedAt
          ? record.firstReportedAt
          : record.statusChangedAt;
      return {
        comment: { ...render(record), status: record.status },
        verdict: record.verdict
          ? { action: record.verdict.action, findings: record.verdict.findings, languages: record.verdict.languages ?? [] }
          : null,
        post: {
          id: record.postId,
          key: record.post,
          title: post?.title ?? null,
          url: post?.url ?? null,
          heat: post?.heat ?? 'normal',
          closed: post?.closed ?? false,
        },
        parent: parent ? render(parent) : null,
        author: toAuthorDto(record.authorId, author),
        reports: { count: record.reportCount, reasons: record.reportReasons },
        claim: toClaimDto(claimMap.get(record.id)),
        decision: toDecision(record),
        queuedAt: queuedAt.toISOString(),
      };
    });
  }

  type Filters = Omit<QueueQuery, 'limit' | 'cursor' | 'queue'> & { keywordAuthorIds?: readonly string[] | undefined };

  function filterFor(query: Filters, queue: QueueName): CommentListFilter {
    return {
      ...queueFilter(queue),
      sites: sitesFilter(query.scope, query.site),
      postId: query.postId,
      keyword: query.keyword,
      keywordAuthorIds: query.keywordAuthorIds,
      languages: query.languages,
    };
  }

  /** The search box finds text and author names alike. */
  async function withAuthorMatches<T extends Filters>(query: T): Promise<T> {
    if (!query.keyword) return query;
    const keywordAuthorIds = await authors.findAuthorIdsByName(query.keyword, sitesFilter(query.scope, query.site));
    return { ...query, keywordAuthorIds };
  }

  async function countQueues(query: Filters): Promise<Record<QueueName, number>> {
    if (query.postId === undefined && query.keyword === undefined && query.languages === undefined) {
      // Whole sites: the posts' counts, kept by diff, give three queues; only the
      // rejected one is counted, over its (status, site) index range.
      const sites = sitesFilter(query.scope, query.site);
      const [sums, rejected] = await Promise.all([
        comments.sumPostCounts(sites),
        comments.countComments(filterFor(query, 'rejected')),
      ]);
      return { pending: sums.pending, reported: sums.reported, rejected, approved: sums.published };
    }
    const counts = await Promise.all(
      QUEUES.map((queue) => comments.countComments(filterFor(query, queue))),
    );
    return { pending: counts[0] ?? 0, reported: counts[1] ?? 0, rejected: counts[2] ?? 0, approved: counts[3] ?? 0 };
  }

  /** Audit entries with what a person reading the log needs: names, the comment's first words, the post. */
  async function describeAuditEntries(entries: AuditEntryDto[]): Promise<AuditEntryDto[]> {
    const commentIds = [...new Set(entries.flatMap((entry) => (entry.commentId ? [entry.commentId] : [])))];
    const postIds = [...new Set(entries.flatMap((entry) => (entry.postId ? [entry.postId] : [])))];
    const [commentMap, postMap] = await Promise.all([comments.getComments(commentIds), comments.getPosts(postIds)]);
    const authorIds = [...new Set(entries.flatMap((entry) => (entry.authorId ? [entry.authorId] : [])))];
    const authorMap = await authors.getAuthors(authorIds);
    return entries.map((entry) => {
      const comment = entry.commentId ? commentMap.get(entry.commentId) : undefined;
      const post = entry.postId ? postMap.get(entry.postId) : undefined;
      const author = entry.authorId ? authorMap.get(entry.authorId) : undefined;
      return {
        ...entry,
        authorName: author?.name ?? null,
        commentExcerpt: comment ? excerpt(comment.body) : null,
        post: post ? { id: post.id, key: post.key, title: post.title, url: post.url } : null,
      };
    });
  }

  return {
    toItems,
    countQueues,
    describeAuditEntries,
    async getQueue(raw: QueueQuery): Promise<QueuePageDto> {
      const query = await withAuthorMatches(raw);
      const [page, counts] = await Promise.all([
        comments.listComments({ ...filterFor(query, query.queue), cursor: query.cursor, limit: query.limit }),
        countQueues(query),
      ]);
      return { queue: query.queue, items: await toItems(page.items), nextCursor: page.nextCursor, counts };
    },
    async getStats(scope: string[] | null, site: string | undefined): Promise<StatsDto> {
      const now = clock.now();
      const sites = sitesFilter(scope, site);
      const siteList = sites ? [...sites] : null;
      const [queues, lastHour, lastDay] = await Promise.all([
        countQueues({ scope, site }),
        deps.audit.decisionsSince(siteList, new Date(now.getTime() - 60 * 60 * 1000)),
        deps.audit.decisionsSince(siteList, new Date(now.getTime() - 24 * 60 * 60 * 1000)),
      ]);
      const waits = lastDay.map((d) => d.waitSeconds).sort((a, b) => a - b);
      const middle = Math.floor(waits.length / 2);
      const median =
        waits.length === 0
          ? null
          : waits.length % 2 === 1
            ? (waits[middle] ?? null)
            : ((waits[middle - 1] ?? 0) + (waits[middle] ?? 0)) / 2;
      return { queues, decisionsLastHour: lastHour.length, medianSecondsToDecision: median };
    },
  };
}

export type QueueService = ReturnType<typeof createQueueService>;

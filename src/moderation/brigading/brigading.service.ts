import type { CommentRecord, ScreeningDraft } from '../../comments';
import type { ClusterDetailDto, ClusterDto } from '../../contracts/moderation-insights';
import type { RejectReason } from '../../contracts/moderation-api';
import { assertCanModerate, scopeOf, type AuthorDirectory, type AuthorRecord, type ModeratorPrincipal } from '../../identity';
import { NotFoundError, isAppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { SiteService } from '../../sites';
import type { AuditRepository } from '../audit/audit.repository';
import type { CommentsPort } from '../moderation.ports';
import type { BrigadingSignals } from '../pipeline-types';
import type { BrigadingRepository, ClusterKind, ClusterRecord, FingerprintRecord } from './brigading.repository';

export type { ClusterDto, ClusterDetailDto } from '../../contracts/moderation-insights';
import { minhashSketch } from './minhash';
import type { RecentFingerprints } from './recent-fingerprints';

type Actor = Pick<ModeratorPrincipal, 'id' | 'name' | 'role' | 'sites'>;

export function toClusterDto(cluster: ClusterRecord): ClusterDto {
  return {
    id: cluster.id,
    kind: cluster.kind,
    site: cluster.site,
    postIds: cluster.postIds,
    size: cluster.commentIds.length,
    sample: cluster.sample,
    commentIds: cluster.commentIds,
    status: cluster.status,
    createdAt: cluster.createdAt.toISOString(),
    updatedAt: cluster.updatedAt.toISOString(),
  };
}

const MINUTE = 60_000;
/** Texts whose sketch is kept between the pipeline's check and the comment's record. */
const SKETCHES_KEPT = 512;

function firstTimersOnPost(recent: readonly FingerprintRecord[], authorId: string): FingerprintRecord[] {
  const byAuthor = new Map<string, FingerprintRecord>();
  for (const fingerprint of recent) {
    if (fingerprint.isFirstTimeAuthor && fingerprint.authorId !== authorId && !byAuthor.has(fingerprint.authorId)) {
      byAuthor.set(fingerprint.authorId, fingerprint);
    }
  }
  return [...byAuthor.values()];
}

export function createBrigading(deps: {
  repository: BrigadingRepository;
  /** The windows the checks compare against (this instance's fingerprints are recorded through it). */
  recent: RecentFingerprints;
  authors: Pick<AuthorDirectory, 'getAuthor' | 'getAuthors'>;
  sites: Pick<SiteService, 'getSite'>;
  /** Reads the clusters' comments and posts for the panel. */
  comments: Pick<CommentsPort, 'getComments' | 'getPosts'>;
  audit: AuditRepository;
  clock: Clock;
  /** The moderation service's reject (audited per comment, live queue updates). */
  rejectComment: (moderator: Actor, id: string, input: { reason: RejectReason; note?: string | undefined }) => Promise<unknown>;
}) {
  const { repository, recent, clock } = deps;
  /**
   * Sketches of the latest texts: a new comment is sketched for the pipeline's check and
   * again when it is recorded; the second time is a lookup. Sketches are never changed.
   */
  const recentSketches = new Map<string, number[] | undefined>();
  const sketchOf = (text: string): number[] | undefined => {
    if (recentSketches.has(text)) return recentSketches.get(text);
    const sketch = minhashSketch(text);
    if (recentSketches.size >= SKETCHES_KEPT) {
      const oldest = recentSketches.keys().next();
      if (!oldest.done) recentSketches.delete(oldest.value);
    }
    recentSketches.set(text, sketch);
    return sketch;
  };

  async function upsertCluster(kind: ClusterKind, comment: CommentRecord, members: readonly FingerprintRecord[]): Promise<void> {
    const now = clock.now();
    const add = {
      commentIds: [...members.map((member) => member.commentId), comment.id],
      authorIds: [...members.map((member) => member.authorId), comment.authorId],
      postIds: [...new Set([...members.map((member) => member.postId), comment.postId])],
    };
    const existing =
      kind === 'near-duplicate'
        ? await repository.findOpenCluster(kind, comment.site, add.commentIds)
        : await repository.findOpenBurst(comment.postId, new Date(now.getTime() - 60 * MINUTE * 24));
    if (existing) {
      await repository.extendCluster(existing.id, add, now);
      return;
    }
    await repository.createCluster({
      kind,
      site: comment.site,
      ...add,
      commentIds: [...new Set(add.commentIds)],
      authorIds: [...new Set(add.authorIds)],
      sample: comment.body.slice(0, 500),
      status: 'open',
      createdAt: now,
      updatedAt: now,
    });
  }

  /**
   * Each cluster with its comments, authors and posts; a cluster none of
   * whose comments is still published or awaiting review has nothing left to
   * reject and is left out.
   */
  async function describeClusters(clusters: readonly ClusterRecord[]): Promise<ClusterDetailDto[]> {
    const commentIds = [...new Set(clusters.flatMap((cluster) => cluster.commentIds))];
    const comments = await deps.comments.getComments(commentIds);
    const [authors, posts] = await Promise.all([
      deps.authors.getAuthors([...new Set([...comments.values()].map((comment) => comment.authorId))]),
      deps.comments.getPosts([...new Set(clusters.flatMap((cluster) => cluster.postIds))]),
    ]);
    const described: ClusterDetailDto[] = [];
    for (const cluster of clusters) {
      const members = cluster.commentIds
        .map((id) => comments.get(id))
        .filter((comment): comment is CommentRecord => comment !== undefined)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const openCount = members.filter((comment) => comment.status === 'published' || comment.status === 'pending').length;
      const first = members[0];
      const last = members[members.length - 1];
      if (openCount === 0 || !first || !last) continue;
      described.push({
        ...toClusterDto(cluster),
        authorCount: new Set(members.map((comment) => comment.authorId)).size,
        openCount,
        firstAt: first.createdAt.toISOString(),
        lastAt: last.createdAt.toISOString(),
        posts: cluster.postIds.flatMap((id) => {
          const post = posts.get(id);
          return post ? [{ id: post.id, key: post.key, title: post.title ?? null, url: post.url ?? null }] : [];
        }),
        comments: members.map((comment) => ({
          id: comment.id,
          body: comment.body,
          status: comment.status,
          createdAt: comment.createdAt.toISOString(),
          postId: comment.postId,
          author: { id: comment.authorId, name: authors.get(comment.authorId)?.name ?? '' },
        })),
      });
    }
    return described;
  }

  return {
    /** For the brigading phase: what surrounds a new comment. */
    async signalsFor(draft: ScreeningDraft, now: Date): Promise<BrigadingSignals | undefined> {
      const settings = draft.site.settings.brigading;
      if (!settings.enabled || draft.isEdit) return undefined;
      const since = new Date(now.getTime() - settings.windowMinutes * MINUTE);
      const counts = draft.author.counts;
      const isFirstTimeAuthor = counts.published + counts.pending + counts.rejected === 0;
      const [onSite, onPost] = await Promise.all([
        recent.onSite(draft.site.id, since),
        settings.firstTimeBurst > 0 && isFirstTimeAuthor ? recent.onPost(draft.post.id, since) : Promise.resolve(undefined),
      ]);
      return {
        nearDuplicates: onSite.nearDuplicatesOf(sketchOf(draft.text), draft.author.id).map((fingerprint) => ({
          commentId: fingerprint.commentId,
          authorId: fingerprint.authorId,
          postId: fingerprint.postId,
        })),
        firstTimeAuthorsOnPost: onPost ? firstTimersOnPost(onPost.newestFirst(), draft.author.id).length : 0,
        isFirstTimeAuthor,
      };
    },

    /** After a comment is stored: keep its sketch, and gather it into a cluster when the pipeline saw a brigade. */
    async recordCreated(comment: CommentRecord, knownAuthor?: AuthorRecord): Promise<void> {
      const site = await deps.sites.getSite(comment.site);
      const settings = site.settings.brigading;
      if (!settings.enabled) return;
      // The author as the posting request held them has this comment not counted yet; one read afresh has.
      const isKnown = knownAuthor?.id === comment.authorId;
      const author = isKnown ? knownAuthor : await deps.authors.getAuthor(comment.authorId);
      const counts = author?.counts ?? { published: 0, pending: 0, rejected: 0 };
      const earlier = counts.published + counts.pending + counts.rejected - (isKnown ? 0 : 1);
      const sketch = sketchOf(comment.body);
      const since = new Date(comment.createdAt.getTime() - settings.windowMinutes * MINUTE);
      const rules = new Set((comment.verdict?.findings ?? []).map((finding) => finding.rule));
      if (rules.has('brigading.near-duplicate')) {
        const members = (await recent.onSite(comment.site, since)).nearDuplicatesOf(sketch, comment.authorId);
        if (members.length > 0) await upsertCluster('near-duplicate', comment, members);
      }
      if (rules.has('brigading.first-time-burst')) {
        const members = firstTimersOnPost((await recent.onPost(comment.postId, since)).newestFirst(), comment.authorId);
        if (members.length > 0) await upsertCluster('first-time-burst', comment, members);
      }
      await recent.addFingerprint({
        commentId: comment.id,
        site: comment.site,
        postId: comment.postId,
        authorId: comment.authorId,
        sketch: sketch ?? null,
        isFirstTimeAuthor: earlier <= 0,
        createdAt: comment.createdAt,
      });
    },

    async listClusters(moderator: Actor, filter: { site?: string | undefined; postId?: string | undefined }): Promise<ClusterDetailDto[]> {
      if (filter.site) assertCanModerate(moderator, filter.site);
      const scope = scopeOf(moderator);
      const clusters = await repository.listOpenClusters({
        sites: filter.site ? [filter.site] : scope,
        postId: filter.postId,
        limit: 100,
      });
      return describeClusters(clusters);
    },

    /** Rejects every comment of a cluster that can still be rejected; one audit entry for the cluster. */
    async rejectCluster(
      moderator: Actor,
      id: string,
      input: { reason: RejectReason; note?: string | undefined },
    ): Promise<{ cluster: ClusterDto; results: { id: string; ok: boolean; code?: string }[] }> {
      const cluster = await repository.getCluster(id);
      if (!cluster) throw new NotFoundError('CLUSTER', id);
      assertCanModerate(moderator, cluster.site);
      const results: { id: string; ok: boolean; code?: string }[] = [];
      for (const commentId of cluster.commentIds) {
        try {
          await deps.rejectComment(moderator, commentId, input);
          results.push({ id: commentId, ok: true });
        } catch (error) {
          if (!isAppError(error)) throw error;
          results.push({ id: commentId, ok: false, code: error.code });
        }
      }
      const now = clock.now();
      await repository.markRejected(id, now);
      await deps.audit.append(
        {
          actor: { kind: 'moderator', id: moderator.id, name: moderator.name },
          action: 'cluster.reject',
          site: cluster.site,
          reason: input.reason,
          note: input.note ?? null,
          detail: {
            clusterId: id,
            kind: cluster.kind,
            rejected: results.filter((result) => result.ok).map((result) => result.id),
            skipped: results.filter((result) => !result.ok).map((result) => ({ id: result.id, code: result.code })),
          },
        },
        now,
      );
      return { cluster: toClusterDto({ ...cluster, status: 'rejected', updatedAt: now }), results };
    },
  };
}

export type Brigading = ReturnType<typeof createBrigading>;

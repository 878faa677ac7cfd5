import type { PostCounts } from './comment.types';
import type { CommentRepository } from './comment.repository';
import { isShownAsReply, postCountsOf } from './comment-effects';
import type { PostRepository } from './post.repository';
import type { ReactionRepository } from './reaction.repository';

export interface RepairReport {
  posts: number;
  postsFixed: number;
  comments: number;
  replyCountsFixed: number;
  /** Comments whose reaction counts (and `best` score) were recounted from the reactions. */
  reactionCountsFixed: number;
}

/** Posts per pass: their comments are read (three small fields each) and recounted together. */
const BATCH = 20;

function sameCounts(a: PostCounts, b: PostCounts): boolean {
  return a.published === b.published && a.pending === b.pending && a.reported === b.reported;
}

/**
 * Recomputes post counts and reply counts from the comments themselves, for
 * one site or all. Counts are otherwise only ever changed by diff; this is
 * the way back when a diff was lost (a crash between two writes).
 */
export async function repairCounts(
  deps: { posts: PostRepository; comments: CommentRepository; reactions: ReactionRepository },
  site?: string,
  onProgress?: (postsDone: number, postsTotal: number) => void,
): Promise<RepairReport> {
  const report: RepairReport = { posts: 0, postsFixed: 0, comments: 0, replyCountsFixed: 0, reactionCountsFixed: 0 };
  const allPosts = await deps.posts.listIds(site);
  for (let start = 0; start < allPosts.length; start += BATCH) {
    const batch = allPosts.slice(start, start + BATCH);
    const rows = await deps.comments.scanForRepair(batch.map((post) => post.id));
    const countsByPost = new Map<string, PostCounts>();
    const repliesByParent = new Map<string, number>();
    // Deepest first: whether a tombstone is shown depends on its own replies.
    const deepestFirst = [...rows].sort((a, b) => b.depth - a.depth);
    for (const row of deepestFirst) {
      const counts = countsByPost.get(row.postId) ?? { published: 0, pending: 0, reported: 0 };
      const own = postCountsOf(row);
      counts.published += own.published;
      counts.pending += own.pending;
      counts.reported += own.reported;
      countsByPost.set(row.postId, counts);
      const isShown = isShownAsReply({ status: row.status, replyCount: repliesByParent.get(row.id) ?? 0 });
      if (row.parentId !== null && isShown)
        repliesByParent.set(row.parentId, (repliesByParent.get(row.parentId) ?? 0) + 1);
    }
    for (const post of batch) {
      report.posts += 1;
      const actual = countsByPost.get(post.id) ?? { published: 0, pending: 0, reported: 0 };
      if (!sameCounts(actual, post.counts)) {
        await deps.posts.setCounts(post.id, actual);
        report.postsFixed += 1;
      }
    }
    const replyCountFixes: { id: string; replyCount: number }[] = [];
    for (const row of rows) {
      report.comments += 1;
      const actual = repliesByParent.get(row.id) ?? 0;
      if (actual !== row.replyCount) replyCountFixes.push({ id: row.id, replyCount: actual });
    }
    // In bulk: after an import every parent is off (imported replies are counted here, not by diff).
    await deps.comments.setReplyCounts(replyCountFixes);
    report.replyCountsFixed += replyCountFixes.length;
    const reactionCounts = await deps.reactions.countFor(rows.map((row) => row.id));
    for (const row of rows) {
      const actual = reactionCounts.get(row.id) ?? { up: 0, down: 0 };
      if (actual.up !== row.reactions.up || actual.down !== row.reactions.down) {
        await deps.comments.setReactions(row.id, actual.up, actual.down);
        report.reactionCountsFixed += 1;
      }
    }
    // Whatever changed under these threads (an import, an erasure, a repair), cached pages of them go.
    await deps.posts.bumpPageVersions(batch.map((post) => post.id));
    onProgress?.(report.posts, allPosts.length);
  }
  return report;
}

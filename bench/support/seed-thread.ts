import type { Connection } from 'mongoose';
import type { NewComment } from '../../src/comments/comment.repository';
import { createCommentRepository } from '../../src/comments/comment.repository';
import { createPostRepository } from '../../src/comments/post.repository';
import { createAuthorRepository } from '../../src/identity/author.repository';
import { registerIdentityModels } from '../../src/identity/identity.models';

/** What a seeded thread offers to measure. */
export interface SeededThread {
  site: string;
  post: string;
  comments: number;
  /** A comment two levels down with many replies: the "deep replies page". */
  deepParentId: string;
  seconds: number;
}

const WORDS = [
  'the', 'council', 'vote', 'budget', 'bridge', 'river', 'school', 'tram', 'winter', 'market', 'city', 'plan', 'я', 'думаю',
  'що', 'це', 'правильно', 'неправильно', 'мост', 'дорога', 'agree', 'really', 'never', 'years', 'taxes', 'park', 'people',
];

/** A small deterministic generator, so two runs seed the same thread. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Seeds one post with `total` published comments straight through the
 * repositories (no HTTP, no pipeline), at news-thread depths: about a third
 * top-level, replies mostly one or two levels down, a few long chains, and one
 * depth-2 comment with 200 replies for the deep replies page.
 */
export async function seedThread(connection: Connection, options: { site: string; post: string; total: number; authors?: number }): Promise<SeededThread> {
  const started = performance.now();
  const comments = createCommentRepository(connection);
  const posts = createPostRepository(connection);
  const authorRepository = createAuthorRepository(registerIdentityModels(connection).Author);
  const next = random(options.total);
  const authorIds: string[] = [];
  for (let i = 0; i < (options.authors ?? 300); i += 1) {
    authorIds.push((await authorRepository.createGuest({ site: options.site, name: `Reader ${i} Читач` })).id);
  }
  const base = Date.now() - options.total * 1000;
  const post = await posts.findOrCreate({ site: options.site, key: options.post, url: null, title: `Thread of ${options.total}`, now: new Date(base) });

  const rows: (NewComment & { id: string })[] = [];
  const byId = new Map<string, NewComment & { id: string }>();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const sentence = (): string => Array.from({ length: 8 + Math.floor(next() * 30) }, () => pick(WORDS)).join(' ');
  const add = (parent: (NewComment & { id: string }) | undefined): NewComment & { id: string } => {
    const at = new Date(base + rows.length * 1000);
    const row: NewComment & { id: string } = {
      id: comments.newId(),
      site: options.site,
      post: options.post,
      postId: post.id,
      parentId: parent ? parent.id : null,
      ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
      authorId: pick(authorIds),
      body: sentence(),
      status: 'published',
      revision: 1,
      verdict: { action: 'publish', findings: [], revision: 1, at },
      history: [],
      replyCount: 0,
      reportCount: 0,
      reportReasons: {},
      hasOpenReports: false,
      firstReportedAt: null,
      lastReportedAt: null,
      createdAt: at,
      editedAt: null,
      statusChangedAt: at,
      statusChangedBy: { kind: 'system' },
      deletedAt: null,
    };
    if (parent) parent.replyCount += 1;
    rows.push(row);
    byId.set(row.id, row);
    return row;
  };

  const topLevel: (NewComment & { id: string })[] = [];
  let deepParent: (NewComment & { id: string }) | undefined;
  while (rows.length < options.total) {
    const roll = next();
    if (roll < 0.33 || topLevel.length === 0) {
      topLevel.push(add(undefined));
    } else if (!deepParent && rows.length > options.total / 2) {
      const top = add(undefined);
      topLevel.push(top);
      deepParent = add(add(top));
      for (let i = 0; i < 200 && rows.length < options.total; i += 1) add(deepParent);
    } else {
      // Replies go to a recent comment, mostly shallow; one in ten continues a chain.
      let parent = rows[rows.length - 1 - Math.floor(next() * Math.min(rows.length, 400))];
      while (parent && parent.ancestorIds.length >= 6 && next() > 0.1) parent = byId.get(parent.ancestorIds[0] ?? '');
      add(parent);
    }
  }
  if (!deepParent) throw new Error('thread too small for a deep replies page');
  for (let i = 0; i < rows.length; i += 2000) await comments.insertMany(rows.slice(i, i + 2000));
  await posts.setCounts(post.id, { published: rows.length, pending: 0, reported: 0 });
  return { site: options.site, post: options.post, comments: rows.length, deepParentId: deepParent.id, seconds: (performance.now() - started) / 1000 };
}

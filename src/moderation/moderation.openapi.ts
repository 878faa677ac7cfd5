import type { z } from 'zod';
import { FINDING_CATEGORIES } from '../contracts/moderation';
import { operation } from '../shared/openapi';
import {
  approveBody,
  auditQuery,
  authorAction,
  authorBody,
  bulkBody,
  idParams,
  postPatch,
  postsQuery,
  queueQuery,
  rejectBody,
  restoreBody,
  siteParams,
  statsQuery,
  tryBody,
  featureBody,
  staffReplyBody,
} from './moderation.schemas';

const ref = (name: string): Record<string, unknown> => ({ $ref: `#/components/schemas/${name}` });
const commentResult = { type: 'object', properties: { comment: ref('Comment') } };
const tag = 'moderation';
const id = idParams.shape.id;

/** Schemas of the moderator API's answers (see src/contracts/moderation-api.ts). */
export function moderationApiSchemas(): Record<string, unknown> {
  const finding = {
    type: 'object',
    required: ['rule', 'category', 'detail'],
    properties: {
      rule: { type: 'string' },
      category: {
        enum: [...FINDING_CATEGORIES],
        description: 'What kind of problem; the site setting `categories` decides what it does',
      },
      detail: { type: 'string' },
      span: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
      action: { enum: ['publish', 'hold', 'reject'] },
    },
  };
  const verdict = {
    type: 'object',
    required: ['action', 'findings', 'languages'],
    properties: {
      action: { enum: ['publish', 'hold', 'reject'] },
      findings: { type: 'array', items: finding },
      languages: {
        type: 'array',
        items: { type: 'string' },
        description: 'BCP 47 codes of the languages the comment is written in, most used first',
      },
    },
  };
  const queueCounts = {
    type: 'object',
    properties: Object.fromEntries(
      ['pending', 'reported', 'rejected', 'approved'].map((q) => [q, { type: 'integer' }]),
    ),
  };
  return {
    Verdict: verdict,
    ModerationItem: {
      type: 'object',
      required: ['comment', 'verdict', 'post', 'parent', 'author', 'reports', 'claim', 'queuedAt'],
      properties: {
        comment: ref('Comment'),
        verdict: { oneOf: [verdict, { type: 'null' }] },
        post: { type: 'object', description: 'id, key, title, url, heat, closed' },
        parent: { oneOf: [ref('Comment'), { type: 'null' }] },
        author: { type: 'object', description: 'id, name, standing, suspendedUntil, isVerified, history' },
        reports: { type: 'object', properties: { count: { type: 'integer' }, reasons: { type: 'object' } } },
        claim: { type: ['object', 'null'], description: 'moderatorId, moderatorName, until' },
        decision: {
          type: ['object', 'null'],
          description: 'For rejected and approved items: kind (moderator or system), moderatorId, moderatorName, at, reason (code), note',
        },
        queuedAt: { type: 'string', format: 'date-time' },
      },
    },
    QueuePage: {
      type: 'object',
      properties: {
        queue: { enum: ['pending', 'reported', 'rejected', 'approved'] },
        items: { type: 'array', items: ref('ModerationItem') },
        nextCursor: { type: ['string', 'null'] },
        counts: queueCounts,
      },
    },
    Stats: {
      type: 'object',
      properties: {
        queues: queueCounts,
        decisionsLastHour: { type: 'integer' },
        medianSecondsToDecision: { type: ['number', 'null'] },
      },
    },
    AuditEntry: {
      type: 'object',
      description: 'who (actor), what (action), when (at), which revision, why (reason, note, detail)',
      properties: {
        id: { type: 'string' },
        at: { type: 'string', format: 'date-time' },
        actor: { type: 'object' },
        action: { type: 'string' },
        site: { type: 'string' },
        commentId: { type: ['string', 'null'] },
        authorId: { type: ['string', 'null'] },
        postId: { type: ['string', 'null'] },
        revision: { type: ['integer', 'null'] },
        reason: { type: ['string', 'null'] },
        note: { type: ['string', 'null'] },
        detail: { type: 'object' },
        authorName: { type: ['string', 'null'] },
        commentExcerpt: { type: ['string', 'null'], description: 'The first 200 characters of the comment' },
        post: { type: ['object', 'null'], description: 'id, key, title, url of the post' },
      },
    },
  };
}

/** OpenAPI paths of the moderator API (queues, decisions, authors, posts, try, audit, stats). */
export function moderationApiPaths(): Record<string, unknown> {
  const decision = (summary: string, body: z.ZodType, errors: number[]) =>
    operation({
      summary,
      tag,
      params: { id },
      body,
      ok: { status: 200, description: 'The comment after the decision', schema: commentResult },
      errors,
      isModerator: true,
    });
  return {
    '/api/v1/mod/queue': {
      get: operation({
        summary: 'A queue: pending and reported oldest first, rejected and approved most recent first; `lang=ru,uk` keeps the comments written in those languages',
        tag,
        query: queueQuery,
        ok: {
          status: 200,
          description: 'A page of queue items with every queue depth',
          schema: ref('QueuePage'),
        },
        errors: [400, 401, 403],
        isModerator: true,
      }),
    },
    '/api/v1/mod/comments/{id}/approve': {
      post: decision(
        'Approve (publish, or keep and dismiss reports); 409 REVISION_CONFLICT when edited since `revision`, 409 CLAIMED_BY_OTHER when another moderator claimed it (send `force: true` to act anyway)',
        approveBody,
        [400, 401, 403, 404, 409],
      ),
    },
    '/api/v1/mod/comments/{id}/reject': {
      post: decision('Reject with a reason code and note', rejectBody, [400, 401, 403, 404, 409]),
    },
    '/api/v1/mod/comments/{id}/restore': {
      post: decision('Publish a rejected comment again', restoreBody, [400, 401, 403, 404, 409]),
    },
    '/api/v1/mod/comments/{id}/feature': {
      post: decision(
        'Feature a published comment: pinned in the widget\'s Featured block, `comment:featured` to the post\'s room, webhook `comment.featured`, audited. 409 COMMENT_NOT_FEATURABLE when it is not published, 409 FEATURED_LIMIT_REACHED beyond 10 per post; featuring a featured comment changes nothing',
        featureBody,
        [400, 401, 403, 404, 409],
      ),
      delete: operation({
        summary: 'Unfeature a comment (live, webhook, audited)',
        tag,
        params: { id },
        ok: { status: 200, description: 'The comment after it', schema: commentResult },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
    '/api/v1/mod/comments/{id}/replies': {
      post: operation({
        summary:
          "Answer a published comment in the thread as the site's staff: the moderator's name (or `authorName`) with the badge `Moderator` (or `Staff`), published at once without screening, live to readers, audited (`comment.staff-reply`). 400 PARENT_NOT_REPLYABLE when the comment is not published, COMMENT_EMPTY, COMMENT_TOO_LONG; 403 POST_CLOSED",
        tag,
        params: { id },
        body: staffReplyBody,
        ok: { status: 201, description: 'The reply as readers see it', schema: commentResult },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
    '/api/v1/mod/comments/{id}/claim': {
      post: operation({
        summary: 'Claim a comment for two minutes so others leave it alone',
        tag,
        params: { id },
        ok: {
          status: 200,
          description: 'The claim',
          schema: { type: 'object', properties: { claim: { type: 'object' } } },
        },
        errors: [401, 403, 404, 409],
        isModerator: true,
      }),
      delete: operation({
        summary: 'Release your claim',
        tag,
        params: { id },
        ok: { status: 204, description: 'Released' },
        errors: [401, 403, 404],
        isModerator: true,
      }),
    },
    '/api/v1/mod/comments/bulk': {
      post: operation({
        summary: 'Approve or reject up to 100 comments; one result per id',
        tag,
        body: bulkBody,
        ok: {
          status: 200,
          description: 'Per-comment results',
          schema: { type: 'object', properties: { results: { type: 'array' } } },
        },
        errors: [400, 401],
        isModerator: true,
      }),
    },
    '/api/v1/mod/authors/{id}/{action}': {
      post: operation({
        summary: 'Ban, suspend (until a time), put on pre-moderation, or reinstate an author',
        description:
          'A guest\'s ban or suspension also refuses new guests (fresh author tokens) from the clients the guest posted from, ' +
          'for GUEST_BAN_CLIENT_HOURS (a suspension no longer than itself), with the same 403 AUTHOR_BANNED / AUTHOR_SUSPENDED ' +
          '(context `scope: "client"`, `until`); reinstating or pre-moderating lifts it. With `"rejectComments": true` a ban or ' +
          'suspension also rejects the author\'s pending and published comments on the site, each audited and announced as any ' +
          'rejection (`reason` is recorded on each, default `other`). `until` is only for a suspension.',
        tag,
        params: authorAction.shape,
        body: authorBody,
        ok: {
          status: 200,
          description: 'The author with its new standing, the comments rejected, and the clients held',
          schema: {
            type: 'object',
            properties: {
              author: { type: 'object' },
              rejected: { type: 'object', properties: { count: { type: 'integer' }, ids: { type: 'array', items: { type: 'string' } } } },
              clients: { type: 'object', properties: { held: { type: 'integer' }, until: { type: ['string', 'null'], format: 'date-time' } } },
            },
          },
        },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
    '/api/v1/mod/posts': {
      get: operation({
        summary: 'The hottest posts: reports, holds and comments per hour',
        tag,
        query: postsQuery,
        ok: {
          status: 200,
          description: 'Posts, hottest first',
          schema: { type: 'object', properties: { posts: { type: 'array', items: ref('Post') } } },
        },
        errors: [400, 401, 403],
        isModerator: true,
      }),
    },
    '/api/v1/mod/posts/{id}': {
      patch: operation({
        summary: "Change a post's heat, close or open it, override pre-moderation",
        tag,
        params: { id },
        body: postPatch,
        ok: {
          status: 200,
          description: 'The post',
          schema: { type: 'object', properties: { post: ref('Post') } },
        },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
    '/api/v1/mod/sites/{id}/try': {
      post: operation({
        summary: "The verdict the site's pipeline would give a text; nothing is stored",
        tag,
        params: siteParams.shape,
        body: tryBody,
        ok: {
          status: 200,
          description: 'The verdict with its findings (and a refusal, if any)',
          schema: ref('Verdict'),
        },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
    '/api/v1/mod/audit': {
      get: operation({
        summary:
          'The audit log, newest first, filterable by site, moderator, author, comment, action and time',
        tag,
        query: auditQuery,
        ok: {
          status: 200,
          description: 'A page of entries',
          schema: {
            type: 'object',
            properties: {
              entries: { type: 'array', items: ref('AuditEntry') },
              nextCursor: { type: ['string', 'null'] },
            },
          },
        },
        errors: [400, 401, 403],
        isModerator: true,
      }),
    },
    '/api/v1/mod/stats': {
      get: operation({
        summary: 'Queue depths, decisions in the last hour, median seconds from post to decision',
        tag,
        query: statsQuery,
        ok: { status: 200, description: 'Stats for the sites in scope', schema: ref('Stats') },
        errors: [400, 401, 403],
        isModerator: true,
      }),
    },
  };
}

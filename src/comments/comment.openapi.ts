import { jsonSchemaOf } from '../shared/openapi';
import { REPORT_REASONS } from '../contracts/comments';
import { createCommentBodySchema, editCommentBodySchema, previewBodySchema, reactionBodySchema, reportBodySchema } from './comment.schemas';


const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown): Record<string, unknown> => ({ 'application/json': { schema } });
const problem = (description: string): Record<string, unknown> => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

const dateTime = { type: 'string', format: 'date-time' };
const objectId = { type: 'string', pattern: '^[0-9a-f]{24}$' };

/** Component schemas of the public comment API (wire types of src/contracts/comments.ts). */
export function commentApiSchemas(): Record<string, unknown> {
  return {
    Problem: {
      type: 'object',
      required: ['type', 'title', 'status', 'code'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        code: { type: 'string', description: 'Stable problem code (src/contracts/problem-codes.ts)' },
        detail: { type: 'string' },
        requestId: { type: 'string' },
      },
      additionalProperties: true,
    },
    Author: {
      type: 'object',
      required: ['id', 'name', 'isVerified', 'badges'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        avatar: { type: 'string' },
        isVerified: { type: 'boolean' },
        badges: {
          type: 'array',
          maxItems: 3,
          items: { type: 'string', maxLength: 24 },
          description:
            "Shown beside the name, as text: `Moderator` / `Staff` for the site's moderators answering in the thread, or the SSO token's `badges` claim; always empty for guests",
        },
      },
    },
    Comment: {
      type: 'object',
      required: ['id', 'site', 'post', 'parentId', 'ancestorIds', 'depth', 'body', 'html', 'author', 'status', 'replyCount', 'revision', 'createdAt', 'editedAt', 'reactions', 'viewerReacted', 'featured'],
      properties: {
        id: objectId,
        site: { type: 'string' },
        post: { type: 'string', description: "The host's post key (data-post)" },
        parentId: { oneOf: [objectId, { type: 'null' }] },
        ancestorIds: { type: 'array', items: objectId },
        depth: { type: 'integer', minimum: 0 },
        body: { type: 'string', description: 'The source as written, in the Markdown subset (README, "Formatting"); empty for a tombstone' },
        html: {
          type: 'string',
          description:
            'The body rendered and sanitised: only p, br, strong, em, s, code, pre, blockquote, ul, ol[start], li, a[href rel target] and span.spoiler; links are http, https or mailto with rel="ugc nofollow noopener" and target="_blank"; empty for a tombstone',
        },
        author: { oneOf: [ref('Author'), { type: 'null' }] },
        status: { type: 'string', enum: ['published', 'pending', 'rejected', 'deleted'] },
        replyCount: { type: 'integer', minimum: 0 },
        revision: { type: 'integer', minimum: 1 },
        createdAt: dateTime,
        editedAt: { oneOf: [dateTime, { type: 'null' }] },
        editableUntil: { ...dateTime, description: "Only for the comment's own author" },
        isOwn: { type: 'boolean', description: "Only for the comment's own author" },
        reactions: { type: 'integer', minimum: 0, description: 'Positive reactions (downvotes are never shown)' },
        viewerReacted: { type: 'boolean', description: 'The identified reader (author token or SSO) reacted; false on anonymous reads' },
        featured: { type: 'boolean', description: 'A moderator featured it (the widget pins it in its Featured block); `comment:featured` tells readers live' },
        notice: {
          type: 'object',
          description: "Only for the comment's own author, when held (`held`), refused by the filter (`rejected`) or removed by a moderator (`removed`): reasons phrased for them",
          properties: { kind: { enum: ['held', 'rejected', 'removed'] }, reasons: { type: 'array', items: { type: 'string' } } },
        },
        replies: { type: 'array', items: ref('Comment'), description: 'In thread pages: the first replies, nested' },
        repliesCursor: { oneOf: [{ type: 'string' }, { type: 'null' }], description: 'Cursor for GET /comments/{id}/replies' },
      },
    },
    Post: {
      type: 'object',
      required: ['id', 'site', 'key', 'url', 'title', 'closed', 'heat', 'counts'],
      properties: {
        id: objectId,
        site: { type: 'string' },
        key: { type: 'string' },
        url: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        title: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        closed: { type: 'boolean' },
        heat: { type: 'string', enum: ['normal', 'heated', 'lockdown'] },
        counts: {
          type: 'object',
          required: ['published', 'pending', 'reported'],
          properties: { published: { type: 'integer' }, pending: { type: 'integer' }, reported: { type: 'integer' } },
        },
      },
    },
    ThreadPage: {
      type: 'object',
      required: ['post', 'sort', 'comments', 'nextCursor', 'seq'],
      properties: {
        post: ref('Post'),
        sort: { type: 'string', enum: ['newest', 'oldest', 'top', 'best'] },
        comments: { type: 'array', items: ref('Comment') },
        nextCursor: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        seq: { type: 'integer', description: 'Latest live-event sequence of the post: pass as `since` to post:join' },
      },
    },
    RepliesPage: {
      type: 'object',
      required: ['parentId', 'comments', 'nextCursor'],
      properties: { parentId: objectId, comments: { type: 'array', items: ref('Comment') }, nextCursor: { oneOf: [{ type: 'string' }, { type: 'null' }] } },
    },
    CreatedComment: {
      type: 'object',
      required: ['comment'],
      properties: {
        comment: ref('Comment'),
        authorToken: { type: 'string', description: "A guest's first post: send back as Authorization: Bearer" },
        verdict: {
          type: 'object',
          properties: { action: { type: 'string', enum: ['publish', 'hold', 'reject'] }, reasons: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
    Counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
    ReactionResult: { type: 'object', required: ['reacted', 'reactions'], properties: { reacted: { type: 'boolean' }, reactions: { type: 'integer', minimum: 0 } } },
  };
}

const siteParam = { name: 'site', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } };
const postParam = { name: 'post', in: 'path', required: true, description: "The host's post key, URL-encoded", schema: { type: 'string', minLength: 1, maxLength: 200 } };
const idParam = { name: 'id', in: 'path', required: true, schema: objectId };
const cursorParam = { name: 'cursor', in: 'query', required: false, schema: { type: 'string', maxLength: 512 } };
const limitParam = { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } };
const bearer = [{}, { authorToken: [] }];
const rateLimited = problem('RATE_LIMITED (Retry-After header)');

/** OpenAPI paths (relative to the server root) of the public comment API. */
export function commentApiPaths(): Record<string, unknown> {
  return {
    '/api/v1/sites/{site}/posts/{post}/comments': {
      get: {
        summary: 'A page of the thread: top-level comments with their first replies nested',
        tags: ['comments'],
        security: bearer,
        parameters: [
          siteParam,
          postParam,
          {
            name: 'sort',
            in: 'query',
            required: false,
            description:
              '`best`: Wilson lower bound of reactions; `top`: most replies. Both page through a snapshot of the order taken on the first page (an hour long): no gaps or duplicates while reactions and replies arrive.',
            schema: { type: 'string', enum: ['newest', 'oldest', 'top', 'best'], default: 'newest' },
          },
          cursorParam,
          limitParam,
          {
            name: 'featured',
            in: 'query',
            required: false,
            description:
              '`true`: only the featured comments (at most 10), latest featured first, without nested replies and without a next cursor; refused (400) together with `sort`, `cursor` or `limit`',
            schema: { type: 'string', enum: ['true', 'false'] },
          },
          { name: 'postUrl', in: 'query', required: false, schema: { type: 'string', format: 'uri' }, description: 'Stored on first use' },
          { name: 'postTitle', in: 'query', required: false, schema: { type: 'string', maxLength: 300 } },
        ],
        responses: {
          '200': { description: 'The page', content: json(ref('ThreadPage')) },
          '400': problem('VALIDATION_FAILED, CURSOR_INVALID'),
          '403': problem('ORIGIN_NOT_ALLOWED'),
          '404': problem('SITE_NOT_FOUND'),
        },
      },
      post: {
        summary: 'Post a comment or a reply',
        tags: ['comments'],
        security: bearer,
        parameters: [siteParam, postParam],
        requestBody: { required: true, content: json(jsonSchemaOf(createCommentBodySchema)) },
        responses: {
          '201': { description: 'Stored; `status: pending` means it awaits review', content: json(ref('CreatedComment')) },
          '400': problem(
            'VALIDATION_FAILED, COMMENT_EMPTY, COMMENT_TOO_LONG, PARENT_NOT_FOUND, PARENT_NOT_REPLYABLE, AUTHOR_NAME_REQUIRED; BADGES_NOT_ALLOWED when the body carries `badges` (they come only from SSO tokens and moderators)…',
          ),
          '401': problem('AUTHOR_TOKEN_INVALID, SSO_TOKEN_INVALID, SSO_TOKEN_EXPIRED, SSO_WRONG_SITE'),
          '403': problem('ORIGIN_NOT_ALLOWED, POST_CLOSED, AUTHOR_BANNED, AUTHOR_SUSPENDED'),
          '404': problem('SITE_NOT_FOUND'),
          '409': problem(
            'DUPLICATE_COMMENT; COMMENT_NUDGED: the comment would be held for hostility, `findings` (with `excerpt`) say why and a new guest gets `authorToken`; send the same body with `confirmNudge: true` to post it anyway (held)',
          ),
          '413': problem('PAYLOAD_TOO_LARGE'),
          '429': rateLimited,
        },
      },
    },
    '/api/v1/comments/{id}': {
      get: {
        summary: 'One comment as readers see it',
        tags: ['comments'],
        security: bearer,
        parameters: [idParam],
        responses: {
          '200': { description: 'The comment', content: json({ type: 'object', properties: { comment: ref('Comment') } }) },
          '400': problem('VALIDATION_FAILED'),
          '404': problem('COMMENT_NOT_FOUND'),
        },
      },
      patch: {
        summary: 'Edit your comment within the edit window (screened again)',
        tags: ['comments'],
        security: [{ authorToken: [] }],
        parameters: [idParam],
        requestBody: { required: true, content: json(jsonSchemaOf(editCommentBodySchema)) },
        responses: {
          '200': { description: 'The edited comment', content: json({ type: 'object', properties: { comment: ref('Comment') } }) },
          '400': problem('VALIDATION_FAILED, COMMENT_EMPTY, COMMENT_TOO_LONG'),
          '403': problem('NOT_COMMENT_AUTHOR, EDIT_WINDOW_CLOSED, ORIGIN_NOT_ALLOWED, POST_CLOSED'),
          '404': problem('COMMENT_NOT_FOUND'),
          '409': problem('COMMENT_NOT_EDITABLE, REVISION_CONFLICT'),
          '429': rateLimited,
        },
      },
      delete: {
        summary: 'Delete your comment within the edit window (a tombstone stays when it has replies)',
        tags: ['comments'],
        security: [{ authorToken: [] }],
        parameters: [idParam],
        responses: {
          '204': { description: 'Deleted' },
          '403': problem('NOT_COMMENT_AUTHOR, EDIT_WINDOW_CLOSED, ORIGIN_NOT_ALLOWED'),
          '404': problem('COMMENT_NOT_FOUND'),
        },
      },
    },
    '/api/v1/comments/{id}/replies': {
      get: {
        summary: 'Replies of a comment, oldest first, with their first replies nested',
        tags: ['comments'],
        security: bearer,
        parameters: [idParam, cursorParam, limitParam],
        responses: {
          '200': { description: 'The page', content: json(ref('RepliesPage')) },
          '400': problem('VALIDATION_FAILED, CURSOR_INVALID'),
          '403': problem('ORIGIN_NOT_ALLOWED'),
          '404': problem('COMMENT_NOT_FOUND'),
        },
      },
    },
    '/api/v1/comments/{id}/reports': {
      post: {
        summary: 'Report a comment (once per reader)',
        tags: ['comments'],
        security: bearer,
        parameters: [idParam],
        requestBody: { required: true, content: json(jsonSchemaOf(reportBodySchema)) },
        responses: {
          '201': {
            description: 'Reported',
            content: json({ type: 'object', properties: { commentId: objectId, reason: { type: 'string', enum: [...REPORT_REASONS] } } }),
          },
          '400': problem('VALIDATION_FAILED'),
          '403': problem('ORIGIN_NOT_ALLOWED'),
          '404': problem('COMMENT_NOT_FOUND'),
          '409': problem('ALREADY_REPORTED'),
          '429': rateLimited,
        },
      },
    },
    '/api/v1/comments/{id}/reaction': {
      put: {
        summary: "React to a comment (one reaction per reader; a repeat is a no-op). Live: `reactions:updated { commentId, reactions }` to the post's room, coalesced",
        description:
          'The reader is the author token or SSO user of the bearer, else an anonymous reader (a salted hash of IP and user agent, as for reports). `kind: "down"` is refused unless the site enables downvotes; downvotes only feed `sort=best` and are never shown.',
        tags: ['comments'],
        security: bearer,
        parameters: [idParam],
        requestBody: { required: false, content: json(jsonSchemaOf(reactionBodySchema)) },
        responses: {
          '200': { description: 'The reaction stands', content: json(ref('ReactionResult')) },
          '400': problem('DOWNVOTES_DISABLED'),
          '403': problem('OWN_COMMENT_REACTION'),
          '404': problem('COMMENT_NOT_FOUND'),
          '429': rateLimited,
        },
      },
      delete: {
        summary: "Take one's reaction back (a no-op when there was none)",
        tags: ['comments'],
        security: bearer,
        parameters: [idParam],
        responses: {
          '200': { description: 'No reaction from this reader', content: json(ref('ReactionResult')) },
          '403': problem('OWN_COMMENT_REACTION'),
          '404': problem('COMMENT_NOT_FOUND'),
          '429': rateLimited,
        },
      },
    },
    '/api/v1/sites/{site}/previews': {
      post: {
        summary: 'Render a draft as it would be shown (the Markdown subset to sanitised html), storing nothing: the widget\'s Preview tab',
        description:
          'The same rendering as a posted comment\'s `html`; the draft is not screened by the moderation pipeline. Empty and over-long drafts are refused as when posting.',
        tags: ['comments'],
        parameters: [siteParam],
        requestBody: { required: true, content: json(jsonSchemaOf(previewBodySchema)) },
        responses: {
          '200': { description: 'The draft rendered', content: json({ type: 'object', required: ['html'], properties: { html: { type: 'string' } } }) },
          '400': problem('VALIDATION_FAILED, COMMENT_EMPTY, COMMENT_TOO_LONG'),
          '403': problem('ORIGIN_NOT_ALLOWED'),
          '404': problem('SITE_NOT_FOUND'),
          '429': rateLimited,
        },
      },
    },
    '/api/v1/sites/{site}/counts': {
      get: {
        summary: 'Published comment counts of up to 100 posts (unknown posts: 0); cacheable for 10 s',
        tags: ['comments'],
        parameters: [siteParam, { name: 'posts', in: 'query', required: true, description: 'Comma-separated post keys (1–100)', schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Counts by post key', content: json(ref('Counts')) },
          '400': problem('VALIDATION_FAILED'),
          '403': problem('ORIGIN_NOT_ALLOWED'),
          '404': problem('SITE_NOT_FOUND'),
        },
      },
    },
  };
}

/** Security schemes the public API uses. */
export const commentApiSecuritySchemes = {
  authorToken: { type: 'http', scheme: 'bearer', description: "A guest's author token or the host site's HS256 SSO JWT" },
} as const;

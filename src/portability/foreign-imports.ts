import type { Readable } from 'node:stream';
import { compile } from 'html-to-text';
import type { CommentStatus } from '../contracts/comments';
import { createImportWriter, type ImportedComment, type ImportSummary } from './import-writer';
import type { StoredCollections } from './stored-collections';
import { child, ImportFormatError, readXmlRecords, textOf, type XmlNode } from './xml-records';

export type ForeignFormat = 'disqus' | 'wordpress';

/** How a thread's Parley post key is chosen (what the blog's `data-post` will say). */
export type PostKeyChoice = 'auto' | 'url' | 'slug' | 'id';

export interface ImportProgress {
  phase: 'scanning' | 'writing' | 'counting' | 'done';
  bytesRead: number;
  totalBytes: number;
  imported: number;
  skipped: number;
  /** Comments in the file, known once the first pass has read it whole (0 until then). */
  total: number;
}

export interface ForeignImportInput {
  stores: StoredCollections;
  site: string;
  format: ForeignFormat;
  /** Opens the file again: it is read twice (parents may come after their replies). */
  open: () => Readable;
  totalBytes: number;
  keyBy: PostKeyChoice;
  onProgress?: (progress: ImportProgress) => void;
  /** Recomputes the site's post and reply counts once everything is written. */
  repairCounts: (site: string) => Promise<unknown>;
}

/** Compiled once: building the converter from its options costs more than a comment's conversion. */
const convertMarkup = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    { selector: 'img', format: 'skip' },
    { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
  ],
});

/** Export markup (Disqus stores HTML) as the plain text Parley keeps. */
export function markupToText(html: string): string {
  return convertMarkup(html).trim();
}

const isTrue = (value: string): boolean => value.trim().toLowerCase() === 'true';

function parseDate(value: string): Date {
  const trimmed = value.trim();
  // WordPress writes "2024-01-31 09:15:00" (GMT in *_gmt fields).
  const wp = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(trimmed);
  return new Date(wp ? `${wp[1]}T${wp[2]}Z` : trimmed);
}

function keyFor(
  choice: PostKeyChoice,
  candidates: { identifier?: string; url: string; slug?: string; id: string },
): string {
  const pick = (() => {
    switch (choice) {
      case 'url':
        return candidates.url;
      case 'slug':
        return candidates.slug;
      case 'id':
        return candidates.id;
      default:
        return candidates.identifier || candidates.url || candidates.slug;
    }
  })();
  return (pick || candidates.url || candidates.id).slice(0, 200);
}

// --- Disqus -----------------------------------------------------------------

const DISQUS_RECORDS = new Set(['thread', 'post']);

function disqusStatus(post: XmlNode): CommentStatus {
  if (isTrue(textOf(post, 'isSpam'))) return 'rejected';
  if (isTrue(textOf(post, 'isDeleted'))) return 'deleted';
  const approved = child(post, 'isApproved');
  if (approved && !isTrue(approved.text)) return 'pending';
  return 'published';
}

// --- WordPress ----------------------------------------------------------------

const WORDPRESS_RECORDS = new Set(['item']);

function wordpressStatus(approved: string): CommentStatus | undefined {
  switch (approved.trim()) {
    case '1':
    case 'approve':
      return 'published';
    case '0':
    case 'hold':
      return 'pending';
    case 'spam':
      return 'rejected';
    case 'trash':
    case 'post-trashed':
      return 'deleted';
    default:
      return undefined;
  }
}

function wordpressDate(comment: XmlNode, gmt: string, local: string): Date {
  const value = textOf(comment, gmt);
  return value && !value.startsWith('0000') ? parseDate(value) : parseDate(textOf(comment, local));
}

/**
 * Imports a Disqus XML export or a WordPress WXR export into a site, streamed
 * (twice: once for the thread structure, once to write), idempotent.
 */
export async function importForeign(input: ForeignImportInput): Promise<ImportSummary> {
  const { format } = input;
  const expectedRoot = format === 'disqus' ? 'disqus' : 'rss';
  const recordNames = format === 'disqus' ? DISQUS_RECORDS : WORDPRESS_RECORDS;
  const parents = new Map<string, string | null>();
  let progress: ImportProgress = {
    phase: 'scanning',
    bytesRead: 0,
    totalBytes: input.totalBytes,
    imported: 0,
    skipped: 0,
    total: 0,
  };
  let commentRecords = 0;
  const report = (patch: Partial<ImportProgress>): void => {
    progress = { ...progress, ...patch };
    input.onProgress?.(progress);
  };

  // Pass 1: who answers whom.
  const scan = await readXmlRecords(
    input.open(),
    recordNames,
    (record) => {
      if (format === 'disqus') {
        if (record.name !== 'post') return;
        commentRecords += 1;
        const id = record.attrs['dsq:id'];
        if (id) parents.set(id, child(record, 'parent')?.attrs['dsq:id'] ?? null);
        return;
      }
      for (const comment of record.children.filter((node) => node.name === 'wp:comment')) {
        commentRecords += 1;
        const id = textOf(comment, 'wp:comment_id');
        const parent = textOf(comment, 'wp:comment_parent');
        if (id) parents.set(id, parent && parent !== '0' ? parent : null);
      }
    },
    (bytesRead) => report({ bytesRead }),
  );
  if (scan.rootName !== expectedRoot) {
    throw new ImportFormatError(
      `This does not look like a ${format === 'disqus' ? 'Disqus export (<disqus> root)' : 'WordPress WXR export (<rss> root)'}: the root element is <${scan.rootName ?? 'nothing'}>`,
    );
  }

  // Pass 2: write.
  const writer = createImportWriter({ stores: input.stores, site: input.site, format, parents });
  const deletedThreads = new Set<string>();
  report({ phase: 'writing', bytesRead: 0, total: commentRecords });
  await readXmlRecords(
    input.open(),
    recordNames,
    async (record) => {
      if (format === 'disqus') {
        const id = record.attrs['dsq:id'] ?? '';
        if (record.name === 'thread') {
          if (isTrue(textOf(record, 'isDeleted'))) {
            deletedThreads.add(id);
            return;
          }
          const url = textOf(record, 'link');
          await writer.addThread({
            externalId: id,
            key: keyFor(input.keyBy, { identifier: textOf(record, 'id'), url, id }),
            url: /^https?:\/\//i.test(url) ? url : null,
            title: textOf(record, 'title') || null,
            createdAt: parseDate(textOf(record, 'createdAt')),
            closed: isTrue(textOf(record, 'isClosed')),
          });
          return;
        }
        const threadId = child(record, 'thread')?.attrs['dsq:id'] ?? '';
        if (deletedThreads.has(threadId)) {
          writer.skip('its thread was deleted');
          return;
        }
        const author = child(record, 'author');
        const comment: ImportedComment = {
          externalId: id,
          threadExternalId: threadId,
          parentExternalId: parents.get(id) ?? null,
          authorName: textOf(author, 'name') || textOf(author, 'username') || 'Guest',
          authorEmail: textOf(author, 'email') || null,
          body: markupToText(textOf(record, 'message')),
          createdAt: parseDate(textOf(record, 'createdAt')),
          status: disqusStatus(record),
        };
        if (!id) writer.skip('no dsq:id');
        else await writer.addComment(comment);
      } else {
        const comments = record.children.filter((node) => node.name === 'wp:comment');
        if (comments.length === 0) return;
        const postId = textOf(record, 'wp:post_id');
        const url = textOf(record, 'link');
        await writer.addThread({
          externalId: postId,
          key: keyFor(input.keyBy, { url, slug: textOf(record, 'wp:post_name'), id: postId }),
          url: /^https?:\/\//i.test(url) ? url : null,
          title: textOf(record, 'title') || null,
          createdAt: parseDate(textOf(record, 'wp:post_date_gmt') || textOf(record, 'pubDate')),
          closed: textOf(record, 'wp:comment_status') === 'closed',
        });
        for (const node of comments) {
          const type = textOf(node, 'wp:comment_type');
          if (type === 'pingback' || type === 'trackback') {
            writer.skip(`a ${type}, not a comment`);
            continue;
          }
          const status = wordpressStatus(textOf(node, 'wp:comment_approved'));
          if (!status) {
            writer.skip('unknown approval state');
            continue;
          }
          const id = textOf(node, 'wp:comment_id');
          await writer.addComment({
            externalId: id,
            threadExternalId: postId,
            parentExternalId: parents.get(id) ?? null,
            authorName: textOf(node, 'wp:comment_author') || 'Guest',
            authorEmail: textOf(node, 'wp:comment_author_email') || null,
            body: markupToText(textOf(node, 'wp:comment_content')),
            createdAt: wordpressDate(node, 'wp:comment_date_gmt', 'wp:comment_date'),
            status,
          });
        }
      }
      report({
        imported: writer.summary.imported + writer.summary.unchanged,
        skipped: writer.summary.skipped,
      });
    },
    (bytesRead) => report({ bytesRead }),
  );
  report({ phase: 'counting' });
  const summary = await writer.finish();
  await input.repairCounts(input.site);
  report({
    phase: 'done',
    bytesRead: input.totalBytes,
    imported: summary.imported + summary.unchanged,
    skipped: summary.skipped,
  });
  return summary;
}

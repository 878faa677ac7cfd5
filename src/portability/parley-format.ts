import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { EJSON } from 'bson';
import { Types } from 'mongoose';
import { ImportFormatError } from './xml-records';
import { withoutId, type StoredCollections, type StoredDoc, type StoredModel } from './stored-collections';

export const EXPORT_FORMAT = 'parley-export';
export const EXPORT_VERSION = 1;

/** First line of an export. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  site: string;
  exportedAt: string;
  counts: Record<ExportKind, number>;
}

export type ExportKind = 'site' | 'post' | 'author' | 'comment' | 'audit';

/** An id (ObjectId or string) as text, for comparing ids of any type. */
function idText(id: unknown): string {
  return typeof id === 'string' ? id : id instanceof Types.ObjectId ? id.toHexString() : JSON.stringify(id);
}

const SECRET_KEY = /secret|apikey|api_key|password|token/i;

/** Settings without their secrets (SSO secret, classifier secrets, API keys): an export is not a key store. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date) && value.constructor === Object) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !SECRET_KEY.test(key))
        .map(([key, entry]) => [key, withoutSecrets(entry)]),
    );
  }
  return value;
}

async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

/**
 * Writes one site as JSON lines: a header, then the site, its posts, authors,
 * comments (with their edit history and verdicts) and audit entries, each in
 * `_id` order and in MongoDB Extended JSON, so a restore brings back the same
 * types (ObjectIds, dates). Documents are read through cursors, never all at once.
 */
/**
 * A post's page version only tells this database's caches that its pages changed; it
 * means nothing elsewhere, so it stays out of an export (a restore starts it afresh).
 */
function withoutCacheState(doc: StoredDoc): StoredDoc {
  const { pageVersion: _pageVersion, ...rest } = doc;
  return rest;
}

export async function exportSite(
  stores: StoredCollections,
  site: string,
  out: Writable,
  clock: () => Date = () => new Date(),
): Promise<ExportHeader> {
  const siteDoc = await stores.Site.findById(site).lean<StoredDoc>();
  if (!siteDoc) throw new ImportFormatError(`There is no site ${JSON.stringify(site)} to export`);
  const sources: [ExportKind, StoredModel, Record<string, unknown>][] = [
    ['post', stores.Post, { site }],
    ['author', stores.Author, { site }],
    ['comment', stores.Comment, { site }],
    ['audit', stores.Audit, { site }],
  ];
  const counts: Record<ExportKind, number> = { site: 1, post: 0, author: 0, comment: 0, audit: 0 };
  for (const [kind, model, filter] of sources) counts[kind] = await model.countDocuments(filter);
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    site,
    exportedAt: clock().toISOString(),
    counts,
  };
  await writeLine(out, JSON.stringify(header));
  const { ssoSecret: _secret, ...publicSite } = siteDoc;
  await writeLine(out, EJSON.stringify({ type: 'site', doc: withoutSecrets(publicSite) }, { relaxed: true }));
  for (const [kind, model, filter] of sources) {
    for await (const doc of model.find(filter).sort({ _id: 1 }).lean<StoredDoc>().cursor()) {
      await writeLine(out, EJSON.stringify({ type: kind, doc: kind === 'post' ? withoutCacheState(doc) : doc }, { relaxed: true }));
    }
  }
  return header;
}

export interface RestoreSummary {
  site: string;
  created: Record<ExportKind, number>;
  /** Documents that were there already (same id): left as they are. */
  unchanged: Record<ExportKind, number>;
}

const BATCH = 500;

/**
 * Restores an export into an empty database or merges it into one that has the
 * site: documents are inserted by their ids when missing and left alone when
 * present, so restoring twice changes nothing. A post whose key exists under
 * another id (the site made it since) takes that post's id for its comments.
 */
export async function restoreSite(
  stores: StoredCollections,
  input: Readable,
  expectedSite: string,
  /** Documents read so far of the header's total, every few hundred and at the end. */
  onProgress?: (processed: number, total: number) => void,
): Promise<RestoreSummary> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: ExportHeader | undefined;
  const created: Record<ExportKind, number> = { site: 0, post: 0, author: 0, comment: 0, audit: 0 };
  const unchanged: Record<ExportKind, number> = { site: 0, post: 0, author: 0, comment: 0, audit: 0 };
  const postIdMap = new Map<string, Types.ObjectId>();
  const batches: Record<Exclude<ExportKind, 'site' | 'post'>, StoredDoc[]> = {
    author: [],
    comment: [],
    audit: [],
  };
  const models: Record<Exclude<ExportKind, 'site' | 'post'>, StoredModel> = {
    author: stores.Author,
    comment: stores.Comment,
    audit: stores.Audit,
  };

  const flush = async (kind: Exclude<ExportKind, 'site' | 'post'>): Promise<void> => {
    const docs = batches[kind];
    if (docs.length === 0) return;
    batches[kind] = [];
    const result = await models[kind].bulkWrite(
      docs.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id },
          update: { $setOnInsert: withoutId(doc) },
          upsert: true,
          timestamps: false,
        },
      })),
      { ordered: false },
    );
    created[kind] += result.upsertedCount;
    unchanged[kind] += docs.length - result.upsertedCount;
  };

  let lineNumber = 0;
  let processed = 0;
  let total = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    // `npm run export > file` puts npm's own "> parley@… export" banner above the header.
    if (!header && line.startsWith('> ')) continue;
    if (!header) {
      let parsed: Partial<ExportHeader>;
      try {
        parsed = JSON.parse(line) as Partial<ExportHeader>;
      } catch {
        throw new ImportFormatError('Line 1 is not JSON: a Parley export starts with a header line');
      }
      if (parsed.format !== EXPORT_FORMAT)
        throw new ImportFormatError(
          `Line 1 says format ${JSON.stringify(parsed.format)}, not "${EXPORT_FORMAT}"`,
        );
      if (parsed.version !== EXPORT_VERSION)
        throw new ImportFormatError(
          `This export has version ${String(parsed.version)}; this Parley reads version ${EXPORT_VERSION}`,
        );
      if (parsed.site !== expectedSite)
        throw new ImportFormatError(
          `This export is of site ${JSON.stringify(parsed.site)}, not ${JSON.stringify(expectedSite)}`,
        );
      header = parsed as ExportHeader;
      total = Object.values(header.counts ?? {}).reduce((sum, n) => sum + (Number(n) || 0), 0);
      onProgress?.(0, total);
      continue;
    }
    processed += 1;
    if (processed % BATCH === 0) onProgress?.(processed, Math.max(total, processed));
    let entry: { type?: string; doc?: StoredDoc };
    try {
      entry = EJSON.parse(line, { relaxed: true }) as { type?: string; doc?: StoredDoc };
    } catch {
      throw new ImportFormatError(`Line ${lineNumber} is not JSON`);
    }
    const doc = entry.doc;
    if (!doc || typeof doc !== 'object' || doc._id === undefined)
      throw new ImportFormatError(`Line ${lineNumber} has no document`);
    if (entry.type !== 'site' && doc['site'] !== expectedSite)
      throw new ImportFormatError(`Line ${lineNumber} belongs to site ${JSON.stringify(doc['site'])}`);
    switch (entry.type) {
      case 'site': {
        const result = await stores.Site.updateOne(
          { _id: doc._id },
          { $setOnInsert: { ...withoutId(doc), ssoSecret: null } },
          { upsert: true },
        );
        if (result.upsertedCount > 0) created.site += 1;
        else unchanged.site += 1;
        break;
      }
      case 'post': {
        const same = await stores.Post.findOne(
          { site: doc['site'], key: doc['key'] },
          { _id: 1 },
        ).lean<StoredDoc>();
        if (same && idText(same._id) !== idText(doc._id)) {
          postIdMap.set(idText(doc._id), same._id as Types.ObjectId);
          unchanged.post += 1;
          break;
        }
        const result = await stores.Post.updateOne(
          { _id: doc._id },
          { $setOnInsert: withoutId(doc) },
          { upsert: true },
        );
        if (result.upsertedCount > 0) created.post += 1;
        else unchanged.post += 1;
        break;
      }
      case 'author':
      case 'comment':
      case 'audit': {
        if (entry.type === 'comment') {
          const mapped = postIdMap.get(idText(doc['postId']));
          if (mapped) doc['postId'] = mapped;
        }
        batches[entry.type].push(doc);
        if (batches[entry.type].length >= BATCH) await flush(entry.type);
        break;
      }
      default:
        throw new ImportFormatError(`Line ${lineNumber} has an unknown type ${JSON.stringify(entry.type)}`);
    }
  }
  if (!header) throw new ImportFormatError('The file is empty: a Parley export starts with a header line');
  await flush('author');
  await flush('comment');
  await flush('audit');
  onProgress?.(processed, Math.max(total, processed));
  return { site: expectedSite, created, unchanged };
}

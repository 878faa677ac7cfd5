import { ObjectId, serialize, type Document } from 'bson';
import { Query, update as mingoUpdate } from 'mingo';
import { cloneDocument } from './collection-store';
import { compileSimpleFilter } from './simple-filter';
import { applySimpleUpdate } from './simple-update';

const id = new ObjectId();
const when = new Date('2026-01-02T03:04:05Z');
const DOCUMENTS: Document[] = [
  { _id: id, site: 'demo', n: 3, status: 'published', createdAt: when, counts: { published: 2 } },
  { _id: new ObjectId(), site: 'demo', n: 10, status: 'pending', createdAt: new Date(when.getTime() + 1000), parentId: null },
  { _id: new ObjectId(), site: 'other', n: '3', status: 'published', counts: { published: '2' }, tags: ['a', 'b'] },
  { _id: new ObjectId(), site: 'demo', n: 2.5, counts: [{ published: 2 }], tags: [] },
  { _id: new ObjectId(), n: null, status: 'rejected', nested: { deep: { value: 1 } } },
];

const FILTERS: Document[] = [
  { site: 'demo' },
  { _id: id },
  { n: 3 },
  { n: { $gt: 2 } },
  { n: { $gte: 2.5, $lt: 10 } },
  { n: { $lte: '3' } },
  { n: null },
  { parentId: null },
  { n: { $ne: 3 } },
  { status: { $in: ['published', 'pending'] } },
  { status: { $nin: ['published'] } },
  { parentId: { $exists: true } },
  { parentId: { $exists: false } },
  { 'counts.published': 2 },
  { 'counts.published': { $gte: 1 } },
  { 'nested.deep.value': 1 },
  { createdAt: { $gt: when } },
  { createdAt: { $lte: when } },
  { $or: [{ site: 'other' }, { n: { $lt: 3 } }] },
  { $and: [{ site: 'demo' }, { status: 'published' }] },
  { tags: 'a' },
  { tags: { $exists: true }, site: 'demo' },
  { 'site.x': 'demo' },
];

describe('simple filters', () => {
  it.each(FILTERS.map((filter) => [JSON.stringify(filter), filter]))('%s matches what mingo matches', (_label, filter) => {
    const query = new Query(filter);
    const general = (): ((document: Document) => boolean) => (document) => query.test(document);
    const simple = compileSimpleFilter(filter, general);
    expect(simple).toBeDefined();
    const ours = DOCUMENTS.map((document) => simple?.(document));
    expect(ours).toEqual(DOCUMENTS.map((document) => query.test(document)));
  });

  it('leaves regular expressions, $elemMatch and $expr to the general engine', () => {
    const general = (): ((document: Document) => boolean) => () => true;
    expect(compileSimpleFilter({ site: /de/ }, general)).toBeUndefined();
    expect(compileSimpleFilter({ tags: { $elemMatch: { $eq: 'a' } } }, general)).toBeUndefined();
    expect(compileSimpleFilter({ $expr: { $gt: ['$n', 1] } }, general)).toBeUndefined();
    expect(compileSimpleFilter({ counts: { published: 2 } }, general)).toBeUndefined();
  });
});

const UPDATES: Document[] = [
  { $set: { status: 'rejected' } },
  { $set: { status: 'published' } },
  { $inc: { n: 1 } },
  { $inc: { 'counts.published': 1, 'counts.pending': -1 }, $set: { updatedAt: when } },
  { $inc: { missing: 2 } },
  { $set: { 'fresh.path.here': { a: [1, 2] } } },
  { $unset: { status: '' } },
  { $unset: { 'nested.deep.value': '', absent: '' } },
  { $set: { createdAt: when } },
];

describe('simple updates', () => {
  const base: Document = { _id: id, status: 'published', n: 3, createdAt: when, counts: { published: 2, pending: 1 }, nested: { deep: { value: 1 } } };

  it.each(UPDATES.map((modifier) => [JSON.stringify(modifier), modifier]))('%s gives what mingo gives', (_label, modifier) => {
    const original = cloneDocument(base);
    const before = Buffer.from(serialize(original));
    const outcome = applySimpleUpdate(original, modifier);
    expect(outcome).toBeDefined();
    const expected = cloneDocument(base);
    mingoUpdate(expected, modifier);
    expect(outcome?.document).toEqual(expected);
    expect(outcome?.isModified).toBe(Buffer.compare(before, Buffer.from(serialize(expected))) !== 0);
    // The stored document is never changed in place.
    expect(Buffer.compare(before, Buffer.from(serialize(original)))).toBe(0);
  });

  it('leaves positional paths, arrays on the way, conflicts and non-numeric $inc to the general engine', () => {
    const document: Document = { _id: id, list: [{ a: 1 }], text: 'x', counts: { a: 1 } };
    expect(applySimpleUpdate(document, { $set: { 'list.$.a': 2 } })).toBeUndefined();
    expect(applySimpleUpdate(document, { $set: { 'list.0.a': 2 } })).toBeUndefined();
    expect(applySimpleUpdate(document, { $set: { 'list.a': 2 } })).toBeUndefined();
    expect(applySimpleUpdate(document, { $set: { counts: {}, 'counts.a': 2 } })).toBeUndefined();
    expect(applySimpleUpdate(document, { $inc: { text: 1 } })).toBeUndefined();
    expect(applySimpleUpdate(document, { $inc: { 'counts.a': '1' } })).toBeUndefined();
    expect(applySimpleUpdate(document, { $push: { list: { a: 2 } } })).toBeUndefined();
  });
});

import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { compareBsonValues, sortDocuments, valuesAtPath } from './bson-order';

describe('compareBsonValues', () => {
  it('when values have different BSON types, then MongoDB’s type order decides', () => {
    const ascending = [
      new MinKey(),
      null,
      1,
      'a',
      { a: 1 },
      [1],
      new Binary(Buffer.from([0])),
      new ObjectId(),
      false,
      new Date(0),
      new Timestamp({ t: 1, i: 0 }),
      /x/,
      new MaxKey(),
    ];
    for (let i = 1; i < ascending.length; i += 1) {
      expect(compareBsonValues(ascending[i - 1], ascending[i])).toBe(-1);
      expect(compareBsonValues(ascending[i], ascending[i - 1])).toBe(1);
    }
  });

  it('when numbers have different widths, then they compare by value', () => {
    expect(compareBsonValues(Long.fromNumber(3), 2.5)).toBe(1);
    expect(compareBsonValues(Decimal128.fromString('2.5'), 2.5)).toBe(0);
    expect(compareBsonValues(Number.NaN, -Infinity)).toBe(-1);
  });

  it('when strings differ, then they compare by UTF-8 bytes (uppercase before lowercase)', () => {
    expect(compareBsonValues('B', 'a')).toBe(-1);
    expect(compareBsonValues('é', 'z')).toBe(1);
  });

  it('when ObjectIds and Dates are compared, then creation time and instant decide', () => {
    expect(compareBsonValues(ObjectId.createFromTime(1), ObjectId.createFromTime(2))).toBe(-1);
    expect(compareBsonValues(new Date(5), new Date(4))).toBe(1);
  });

  it('when documents and arrays are compared, then fields and elements compare in order, shorter first', () => {
    expect(compareBsonValues({ a: 1 }, { a: 1, b: 0 })).toBe(-1);
    expect(compareBsonValues({ a: 2 }, { b: 1 })).toBe(-1);
    expect(compareBsonValues([1, 2], [1, 3])).toBe(-1);
    expect(compareBsonValues([1, 2], [1])).toBe(1);
  });
});

describe('sortDocuments', () => {
  it('when a field is missing, then it sorts with null and ties keep input order', () => {
    const sorted = sortDocuments([{ id: 1, v: 2 }, { id: 2 }, { id: 3, v: null }], { v: 1 });
    expect(sorted.map((d) => d['id'])).toEqual([2, 3, 1]);
  });

  it('when sorting by an array field, then ascending uses its minimum and descending its maximum', () => {
    const docs = [
      { id: 1, v: [5, 1] },
      { id: 2, v: [3] },
    ];
    expect(sortDocuments(docs, { v: 1 }).map((d) => d['id'])).toEqual([1, 2]);
    expect(sortDocuments(docs, { v: -1 }).map((d) => d['id'])).toEqual([1, 2]);
    expect(
      sortDocuments(
        [
          { id: 1, v: [2, 4] },
          { id: 2, v: [3] },
        ],
        { v: -1 },
      ).map((d) => d['id']),
    ).toEqual([1, 2]);
  });

  it('when a dotted path crosses an array of documents, then every element contributes', () => {
    expect(valuesAtPath({ a: [{ b: 1 }, { b: 2 }, { c: 3 }] }, ['a', 'b'])).toEqual([1, 2]);
    expect(valuesAtPath({ a: [{ b: 1 }, { b: 2 }] }, ['a', '1', 'b'])).toEqual([2]);
  });
});

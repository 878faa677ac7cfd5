import mongoose, { Schema, type Connection, type Types } from 'mongoose';
import { openTarget, type TestTarget } from './target';

let target: TestTarget;
let connection: Connection;

interface User {
  email: string;
  name: string;
  karma: number;
}
interface Post {
  title: string;
  author: Types.ObjectId;
  tags: string[];
}

const userSchema = new Schema<User>(
  {
    email: { type: String, required: true, unique: true },
    name: String,
    karma: { type: Number, default: 0 },
  },
  { timestamps: true },
);
const postSchema = new Schema<Post>(
  { title: String, author: { type: Schema.Types.ObjectId, ref: 'User' }, tags: [String] },
  { timestamps: true },
);
postSchema.index({ author: 1, title: 1 }, { unique: true });

beforeAll(async () => {
  target = await openTarget('mongoose');
  connection = await mongoose
    .createConnection(target.uri, { dbName: target.databaseName, serverSelectionTimeoutMS: 5000 })
    .asPromise();
});
afterAll(async () => {
  await connection.close();
  await target.close();
});

describe('Mongoose 9', () => {
  const UserModel = (): mongoose.Model<User> =>
    (connection.models['User'] as mongoose.Model<User>) ?? connection.model<User>('User', userSchema);
  const PostModel = (): mongoose.Model<Post> =>
    (connection.models['Post'] as mongoose.Model<Post>) ?? connection.model<Post>('Post', postSchema);

  it('when a model with a unique path is initialised, then the index exists and duplicates are rejected', async () => {
    const Users = UserModel();
    await Users.init();
    const indexes = await Users.listIndexes();
    expect(indexes.find((index) => index['name'] === 'email_1')).toMatchObject({ unique: true });
    await Users.create({ email: 'ada@x.io', name: 'Ada' });
    await expect(Users.create({ email: 'ada@x.io', name: 'Imposter' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'ada@x.io' },
    });
  });

  it('when syncIndexes runs after an extra index was added by hand, then the extra index is dropped', async () => {
    const Users = UserModel();
    await Users.collection.createIndex({ name: 1 });
    const dropped = await Users.syncIndexes();
    expect(dropped).toEqual(['name_1']);
    expect((await Users.listIndexes()).map((index): unknown => index['name'])).toEqual(['_id_', 'email_1']);
  });

  it('when documents are created, then timestamps are set and updatedAt moves on update', async () => {
    const Users = UserModel();
    const created = await Users.create({ email: 'ts@x.io', name: 'T' });
    const createdAt = created.get('createdAt') as Date;
    expect(createdAt).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await Users.findOneAndUpdate(
      { email: 'ts@x.io' },
      { $inc: { karma: 3 } },
      { returnDocument: 'after' },
    ).lean();
    expect(updated?.karma).toBe(3);
    expect((updated as unknown as { updatedAt: Date }).updatedAt.getTime()).toBeGreaterThan(
      createdAt.getTime(),
    );
  });

  it('when populate follows a ref, then the referenced document is embedded', async () => {
    const Users = UserModel();
    const Posts = PostModel();
    await Posts.init();
    const author = await Users.create({ email: 'pop@x.io', name: 'Populated' });
    await Posts.create({ title: 'Hello', author: author._id, tags: ['a'] });
    const post = await Posts.findOne({ title: 'Hello' }).populate<{ author: User }>('author').lean();
    expect(post?.author.name).toBe('Populated');
  });

  it('when a compound unique schema index is violated, then Mongoose surfaces 11000', async () => {
    const Users = UserModel();
    const Posts = PostModel();
    await Posts.init();
    const author = await Users.create({ email: 'cmp@x.io', name: 'C' });
    await Posts.create({ title: 'Same', author: author._id });
    await expect(Posts.create({ title: 'Same', author: author._id })).rejects.toMatchObject({ code: 11000 });
  });

  it('when lean() is used, then plain objects with ObjectIds and Dates come back', async () => {
    const Users = UserModel();
    await Users.create({ email: 'lean@x.io', name: 'L' });
    const lean = await Users.findOne({ email: 'lean@x.io' }).lean();
    expect(lean).not.toBeInstanceOf(mongoose.Document);
    expect(lean?._id).toBeInstanceOf(mongoose.Types.ObjectId);
    expect((lean as unknown as { createdAt: Date }).createdAt).toBeInstanceOf(Date);
  });

  it('when countDocuments and findOneAndUpdate with upsert run, then counts and upserted docs are right', async () => {
    const Users = UserModel();
    const before = await Users.countDocuments({ karma: { $gte: 100 } });
    const upserted = await Users.findOneAndUpdate(
      { email: 'up@x.io' },
      { $set: { name: 'Up', karma: 100 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(upserted?.email).toBe('up@x.io');
    expect(await Users.countDocuments({ karma: { $gte: 100 } })).toBe(before + 1);
  });

  it('when bulkWrite mixes operations, then each takes effect and the result counts them', async () => {
    const Users = UserModel();
    await Users.create([{ email: 'b1@x.io' }, { email: 'b2@x.io' }]);
    const result = await Users.bulkWrite([
      { updateOne: { filter: { email: 'b1@x.io' }, update: { $set: { karma: 9 } } } },
      { deleteOne: { filter: { email: 'b2@x.io' } } },
      { insertOne: { document: { email: 'b3@x.io', name: 'B3' } } },
      { updateOne: { filter: { email: 'b4@x.io' }, update: { $set: { name: 'B4' } }, upsert: true } },
    ]);
    expect(result).toMatchObject({
      matchedCount: 1,
      modifiedCount: 1,
      deletedCount: 1,
      insertedCount: 1,
      upsertedCount: 1,
    });
    expect(await Users.countDocuments({ email: /^b\d@x\.io$/ })).toBe(3);
    expect((await Users.findOne({ email: 'b1@x.io' }).lean())?.karma).toBe(9);
  });

  it('when querying with sort, skip, limit and select, then Mongoose gets the right page', async () => {
    const Users = UserModel();
    await Users.create(Array.from({ length: 6 }, (_, i) => ({ email: `page${i}@x.io`, karma: i })));
    const page = await Users.find({ email: /^page/ })
      .sort({ karma: -1 })
      .skip(2)
      .limit(2)
      .select('karma -_id')
      .lean();
    expect(page).toEqual([{ karma: 3 }, { karma: 2 }]);
  });

  it('when aggregate runs through a model, then grouped results come back', async () => {
    const Users = UserModel();
    const [row] = await Users.aggregate<{ _id: null; total: number }>([
      { $match: { email: /^page/ } },
      { $group: { _id: null, total: { $sum: '$karma' } } },
    ]);
    expect(row?.total).toBe(0 + 1 + 2 + 3 + 4 + 5);
  });
});

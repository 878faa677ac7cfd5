import { Types } from 'mongoose';
import request, { type Response, type Test } from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, commentPath, createSite, loginAdmin, postComment, readThread, uniqueId } from '../helpers/factories';

/**
 * Every hostile request gets a 4xx problem+json with a stable code, or a
 * correct result; never a 500, never a query operator reaching the database.
 */
describe('hostile inputs', () => {
  let server: TestServer;
  let site: string;
  let commentId: string;
  let token: string;
  const post = 'hostile-post';

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    site = (await createSite(server, { token: await loginAdmin(server) })).id;
    const posted = await postComment(server, { site, post, body: 'a target' });
    commentId = posted.comment.id;
    token = posted.token ?? '';
  });
  afterAll(async () => {
    await server.close();
  });

  let ipCounter = 0;
  const nextIp = (): string => `192.0.2.${(ipCounter += 1) % 250}`;
  const postJson = (path: string, body: unknown): Test =>
    request(server.url).post(`${API}${path}`).set('X-Forwarded-For', nextIp()).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const thread = `/sites/${'SITE'}/posts/${post}/comments`;
  const threadOf = (): string => thread.replace('SITE', site);

  type Case = [name: string, send: () => Test, expected: number | 'any-4xx', code?: string];
  const cases: Case[] = [
    // operators in bodies
    ['body is an operator', () => postJson(threadOf(), { body: { $gt: '' } }), 400, 'VALIDATION_FAILED'],
    ['parentId is an operator', () => postJson(threadOf(), { body: 'x', parentId: { $ne: null } }), 400, 'VALIDATION_FAILED'],
    ['authorName is an operator', () => postJson(threadOf(), { body: 'x', authorName: { $gt: '' } }), 400, 'VALIDATION_FAILED'],
    ['postUrl is an operator', () => postJson(threadOf(), { body: 'x', postUrl: { $regex: '.*' } }), 400, 'VALIDATION_FAILED'],
    ['edit body is an operator', () => request(server.url).patch(`${API}/comments/${commentId}`).set('Authorization', `Bearer ${token}`).send({ body: { $set: { status: 'published' } } }), 400, 'VALIDATION_FAILED'],
    ['report reason is an operator', () => postJson(`/comments/${commentId}/reports`, { reason: { $in: ['spam'] } }), 400, 'VALIDATION_FAILED'],
    ['__proto__ in the body', () => postJson(threadOf(), JSON.parse('{"body":"x","__proto__":{"isAdmin":true}}')), 400, 'VALIDATION_FAILED'],
    ['constructor.prototype in the body', () => postJson(threadOf(), { body: 'x', constructor: { prototype: { polluted: true } } }), 400, 'VALIDATION_FAILED'],
    // wrong types and shapes
    ['body is a number', () => postJson(threadOf(), { body: 42 }), 400, 'VALIDATION_FAILED'],
    ['body is an array', () => postJson(threadOf(), { body: ['a', 'b'] }), 400, 'VALIDATION_FAILED'],
    ['body is null', () => postJson(threadOf(), { body: null }), 400, 'VALIDATION_FAILED'],
    ['the JSON is an array', () => postJson(threadOf(), [{ body: 'x' }]), 400, 'VALIDATION_FAILED'],
    ['the JSON is a bare string', () => request(server.url).post(`${API}${threadOf()}`).set('Content-Type', 'application/json').send('"just a string"'), 400],
    ['the JSON is broken', () => request(server.url).post(`${API}${threadOf()}`).set('Content-Type', 'application/json').send('{"body": "x"'), 400, 'MALFORMED_JSON'],
    ['the body is form-encoded', () => request(server.url).post(`${API}${threadOf()}`).type('form').send('body=hello'), 400, 'VALIDATION_FAILED'],
    ['the body is plain text', () => request(server.url).post(`${API}${threadOf()}`).set('Content-Type', 'text/plain').send('hello'), 400, 'VALIDATION_FAILED'],
    ['the payload is over the body limit', () => postJson(threadOf(), { body: 'x'.repeat(70 * 1024) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['the comment is over the length limit', () => postJson(threadOf(), { body: 'y'.repeat(6000) }), 400, 'COMMENT_TOO_LONG'],
    ['the comment is 5000 emoji (10000 UTF-16 units)', () => postJson(threadOf(), { body: '😀'.repeat(5000), authorName: 'Emoji' }), 400, 'COMMENT_TOO_LONG'],
    ['the authorName is huge', () => postJson(threadOf(), { body: 'x', authorName: 'n'.repeat(5000) }), 400, 'VALIDATION_FAILED'],
    ['parentId is not an id', () => postJson(threadOf(), { body: 'x', parentId: '../../etc/passwd' }), 400, 'VALIDATION_FAILED'],
    ['parentId does not exist', () => postJson(threadOf(), { body: 'x', authorName: 'Ghost', parentId: new Types.ObjectId().toHexString() }), 400, 'PARENT_NOT_FOUND'],
    ['postUrl is javascript:', () => postJson(threadOf(), { body: 'x', postUrl: 'javascript:alert(1)' }), 400, 'VALIDATION_FAILED'],
    // query strings
    ['sort is an operator (bracket syntax is not parsed)', () => request(server.url).get(`${API}${threadOf()}?sort[$ne]=newest`), 200],
    ['sort is repeated', () => request(server.url).get(`${API}${threadOf()}?sort=newest&sort=oldest`), 400, 'VALIDATION_FAILED'],
    ['sort is unknown', () => request(server.url).get(`${API}${threadOf()}?sort=random`), 400, 'VALIDATION_FAILED'],
    ['limit is 0', () => request(server.url).get(`${API}${threadOf()}?limit=0`), 400, 'VALIDATION_FAILED'],
    ['limit is 101', () => request(server.url).get(`${API}${threadOf()}?limit=101`), 400, 'VALIDATION_FAILED'],
    ['limit is negative', () => request(server.url).get(`${API}${threadOf()}?limit=-5`), 400, 'VALIDATION_FAILED'],
    ['limit is in exponent notation', () => request(server.url).get(`${API}${threadOf()}?limit=1e2`), 400, 'VALIDATION_FAILED'],
    ['limit is a fraction', () => request(server.url).get(`${API}${threadOf()}?limit=2.5`), 400, 'VALIDATION_FAILED'],
    ['cursor is huge', () => request(server.url).get(`${API}${threadOf()}?cursor=${'a'.repeat(2000)}`), 400, 'VALIDATION_FAILED'],
    ['cursor smuggles an operator', () => request(server.url).get(`${API}${threadOf()}?cursor=${Buffer.from(JSON.stringify({ v: 1, s: 'thread:newest', k: { $gt: 0 }, i: { $ne: null } })).toString('base64url')}`), 400, 'CURSOR_INVALID'],
    ['counts posts uses brackets', () => request(server.url).get(`${API}/sites/${site}/counts?posts[$ne]=x`), 400, 'VALIDATION_FAILED'],
    ['counts posts is repeated', () => request(server.url).get(`${API}/sites/${site}/counts?posts=a&posts=b`), 400, 'VALIDATION_FAILED'],
    // path parameters
    ['comment id is an operator', () => request(server.url).get(`${API}/comments/${encodeURIComponent('{"$gt":""}')}/replies`), 400, 'VALIDATION_FAILED'],
    ['comment id is short', () => request(server.url).get(`${API}/comments/123/replies`), 400, 'VALIDATION_FAILED'],
    ['comment id is not hex', () => request(server.url).delete(`${API}/comments/${'z'.repeat(24)}`), 400, 'VALIDATION_FAILED'],
    ['comment id does not exist', () => request(server.url).get(`${API}/comments/${new Types.ObjectId().toHexString()}/replies`), 404, 'COMMENT_NOT_FOUND'],
    ['site id has capitals', () => request(server.url).get(`${API}/sites/Evil/posts/p/comments`), 400, 'VALIDATION_FAILED'],
    ['site id is a traversal', () => request(server.url).get(`${API}/sites/..%2F..%2Fadmin/posts/p/comments`), 400, 'VALIDATION_FAILED'],
    ['post key is over 200 characters', () => request(server.url).get(`${API}/sites/${site}/posts/${'k'.repeat(201)}/comments`), 400, 'VALIDATION_FAILED'],
    ['post key has a NUL', () => request(server.url).get(`${API}/sites/${site}/posts/a%00b/comments`), 400, 'VALIDATION_FAILED'],
    ['post key has a bad percent escape', () => request(server.url).get(`${API}/sites/${site}/posts/%E0%A4%A/comments`), 'any-4xx'],
    // headers
    ['Authorization is Basic', () => request(server.url).post(`${API}${threadOf()}`).set('Authorization', 'Basic YWRtaW46YWRtaW4=').send({ body: 'x' }), 401, 'AUTHOR_TOKEN_INVALID'],
    ['Authorization bearer is garbage', () => request(server.url).post(`${API}${threadOf()}`).set('Authorization', 'Bearer {"$gt":""}').send({ body: 'x' }), 401, 'AUTHOR_TOKEN_INVALID'],
    ['Authorization bearer is a random string', () => request(server.url).post(`${API}${threadOf()}`).set('Authorization', 'Bearer abc.def.ghi').send({ body: 'x' }), 'any-4xx'],
    ['Origin is "null"', () => request(server.url).post(`${API}${threadOf()}`).set('Origin', 'null').send({ body: 'x', authorName: 'N' }), 403, 'ORIGIN_NOT_ALLOWED'],
  ];

  it.each(cases.map((testCase) => [testCase[0], testCase] as const))('when %s, then the answer is a clean client error or a correct result', async (_name, [, send, expected, code]) => {
    const res: Response = await send();
    expect(res.status).toBeLessThan(500);
    if (expected === 'any-4xx') expect(res.status).toBeGreaterThanOrEqual(400);
    else expect(res.status).toBe(expected);
    if (res.status >= 400) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(typeof res.body.code).toBe('string');
      if (code) expect(res.body.code).toBe(code);
    }
  });

  it('when hostile requests are done, then the target comment and the post are untouched', async () => {
    const stored = await server.database.connection.collection('comments').findOne({ _id: new Types.ObjectId(commentId) });
    expect(stored).toMatchObject({ body: 'a target', status: 'published', reportCount: 0 });
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('when a comment holds HTML and script, then it is stored and returned as the same inert text in JSON', async () => {
    const payload = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \'single\' </textarea>';
    const res = await postJson(`/sites/${site}/posts/${uniqueId('html')}/comments`, { body: payload, authorName: 'Mallory', postTitle: '<b>Title</b>' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body.comment.body).toBe(payload);
    const stored = await server.database.connection.collection('comments').findOne({ _id: new Types.ObjectId(res.body.comment.id as string) });
    expect(stored?.['body']).toBe(payload);
    const page = await readThread(server, { site, post: res.body.comment.post });
    expect(page.comments[0]?.body).toBe(payload);
    expect(page.post.title).toBe('<b>Title</b>');
  });

  it('when a comment hides bidi overrides and control characters, then they are stripped and the text is NFC', async () => {
    const res = await postJson(`/sites/${site}/posts/${uniqueId('bidi')}/comments`, { body: 'abc\u202Egnp.exe\u0000\u0007 Cafe\u0301\r\nline', authorName: 'Trudy' });
    expect(res.status).toBe(201);
    expect(res.body.comment.body).toBe('abcgnp.exe Caf\u00e9\nline');
  });

  it('when the post key is a URL with slashes and unicode, then it is a valid key', async () => {
    const key = 'https://blog.example/2024/ünïcödé?x=1';
    const res = await request(server.url).post(commentPath(site, key)).set('X-Forwarded-For', nextIp()).send({ body: 'ok', authorName: 'Url' });
    expect(res.status).toBe(201);
    expect(res.body.comment.post).toBe(key);
    const counts = await request(server.url).get(`${API}/sites/${site}/counts`).query({ posts: key });
    expect(counts.body).toEqual({ [key]: 1 });
  });
});

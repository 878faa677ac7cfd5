import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createSite, loginAdmin, postComment } from '../helpers/factories';

/**
 * Every route the OpenAPI document describes, sent malformed input: odd path
 * parameters, query strings with operators and broken cursors, bodies of the
 * wrong shape, nested operators, prototype keys and oversized text, as nobody,
 * as a guest, as an admin and with a forged token. None may answer 5xx, and
 * every refusal is problem+json (the mail links' pages answer HTML by design).
 */
describe('malformed input on every route', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('when every described route gets malformed parameters, queries and bodies, then none answers 5xx and every refusal is problem+json', async () => {
    const admin = await loginAdmin(server);
    const site = (await createSite(server, { token: admin })).id;
    const { comment, token } = await postComment(server, { site, post: 'malformed', body: 'A plain comment to aim at' });
    const spec = (await request(server.url).get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const bodies: unknown[] = [
      null,
      [],
      'text',
      42,
      { body: { $gt: '' } },
      { body: 'x'.repeat(70_000) },
      { a: { b: { c: { d: [1, { e: null }] } } } },
      { authorName: 123, body: ['a'] },
      { site: '__proto__', constructor: { prototype: { polluted: 1 } } },
      { id: 'zz', settings: null, email: 5, password: null, status: 'nope', until: 'never', limit: -1, cursor: '!!' },
    ];
    const params = ['%00', 'a'.repeat(3000), '..%2F..', '%7B%22%24ne%22%3A1%7D', '000000000000000000000000', comment.id, '%E0%A4%A', '%F0%9F%98%80'];
    const queries = ['?limit=abc', '?limit=-5&cursor=%%%', '?sort=[$ne]&page=1e999', '?q[$regex]=.*&site[]=a&site[]=b', '?cursor=eyJhIjoxfQ', '?from=notadate&to=2020-13-45', '?format=xml&status=zzz&language=12345678901234567890'];
    const callers: (string | undefined)[] = [undefined, admin, token, 'forged.token.value'];
    const problems: string[] = [];
    let sent = 0;
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const method of Object.keys(operations).filter((name) => ['get', 'post', 'put', 'patch', 'delete'].includes(name))) {
        const hasBody = method !== 'get' && method !== 'delete';
        const cases: { param: string | undefined; query: string; caller: string | undefined; body: unknown }[] = [];
        for (const param of params) for (const caller of callers) cases.push({ param, query: '', caller, body: hasBody ? {} : undefined });
        for (const query of queries) for (const caller of [admin, token]) cases.push({ param: undefined, query, caller, body: hasBody ? {} : undefined });
        if (hasBody) for (const body of bodies) for (const caller of [admin, token, undefined]) cases.push({ param: undefined, query: '', caller, body });
        for (const { param, query, caller, body } of cases) {
          // Without an odd parameter, the site's own id and the comment's id fill the path.
          const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => param ?? (name === 'site' || (name === 'id' && path.startsWith('/api/v1/mod/sites')) ? site : comment.id));
          let req = request(server.url)[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](`${url}${query}`);
          if (caller !== undefined) req = req.set('Authorization', `Bearer ${caller}`);
          const res = body === undefined ? await req : await req.set('Content-Type', 'application/json').send(JSON.stringify(body));
          sent += 1;
          const type = String(res.headers['content-type'] ?? '');
          const isMailPage = path.includes('/subscriptions/') && type.startsWith('text/html');
          if (res.status >= 500 || (res.status >= 400 && res.status !== 429 && !isMailPage && !type.startsWith('application/problem+json'))) {
            problems.push(`${res.status} ${method.toUpperCase()} ${url.slice(0, 80)}${query} body=${JSON.stringify(body)?.slice(0, 60) ?? '-'} type=${type}`);
          }
        }
      }
    }
    expect(Object.keys(spec.paths).length).toBeGreaterThan(40);
    expect(sent).toBeGreaterThan(4000);
    expect(problems).toEqual([]);
  });
});

import request from 'supertest';
import { isApiRoute, listRoutes } from '../helpers/routes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const ORIGIN = 'https://fuzz.example.com';

/** Bodies a careless or hostile client might send to any route. */
const HOSTILE_BODIES: unknown[] = [
  {},
  null,
  [],
  'just a string',
  42,
  { $gt: '' },
  { body: { $gt: '' }, text: { $ne: null }, id: { $where: 'sleep(1000)' } },
  { body: 'x'.repeat(60_000) },
  { revision: 'one', reason: ['spam'], ids: 'abc', until: 'tomorrow', heat: 7, settings: { maxLength: -1 } },
  { ids: Array.from({ length: 500 }, () => 'f'.repeat(24)), action: 'approve' },
  { text: '\u0000\u0007<script>alert(1)</script>', post: '../../etc/passwd' },
  { settings: { bannedWords: Array.from({ length: 20_000 }, (_, i) => `w${i}`) } },
  { origins: ['javascript:alert(1)'], id: 'Bad Id', name: '' },
  '{"broken": ',
];

/** Values for path parameters: valid-looking, malformed, and hostile. */
const PARAM_VALUES = ['f'.repeat(24), 'not-an-id', '%24gt', '..%2F..', 'a'.repeat(300), 'ban', 'fuzz-site'];
const QUERIES = [
  '',
  '?cursor=garbage&limit=-5',
  '?queue=everything&site=%24ne&post[$gt]=&q=(.*)*',
  '?posts=' + 'p,'.repeat(300),
];

/** Routes that answer people who clicked a link in a mail, with an HTML page. */
const MAIL_LINK_PAGES: ReadonlySet<string> = new Set(['/subscriptions/confirm', '/subscriptions/unsubscribe']);

describe('no request makes a 500', () => {
  let server: TestServer;
  let admin: string;
  let signIns = 0;

  beforeAll(async () => {
    // One proxy hop, so each request can come from its own address and rate limits don't hide routes.
    server = await startTestServer({ env: { TRUST_PROXY: '1' } });
    admin = await signIn();
    await request(server.url)
      .post('/api/v1/mod/sites')
      .set('Authorization', `Bearer ${admin}`)
      .send({ id: 'fuzz-site', name: 'Fuzz', origins: [ORIGIN] });
  });
  const signIn = async (): Promise<string> =>
    (
      await request(server.url)
        .post('/api/v1/mod/sessions')
        .set('X-Forwarded-For', `192.0.2.${(signIns += 1) % 250}`)
        .send({ email: 'admin@example.com', password: 'correct horse battery' })
    ).body.token as string;
  afterAll(async () => {
    await server.close();
  });

  it('when every API route gets hostile bodies, params and queries, then every answer is below 500 and problem+json when an error', async () => {
    const routes = listRoutes(server.app).filter(isApiRoute);
    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    let modUnauthenticated = 0;
    for (const route of routes) {
      for (const param of PARAM_VALUES) {
        const path = `/api/v1${route.path}`.replace(/:(\w+)/g, param);
        for (const query of route.method === 'GET' ? QUERIES : ['']) {
          for (const body of route.method === 'GET' ? [undefined] : HOSTILE_BODIES) {
            const method = route.method.toLowerCase() as 'post';
            const url = path + query;
            let req = request(server.url)[method](url).set('Origin', ORIGIN);
            // Sign-in is public; everything else is tried as the admin, who may do the most.
            if (route.path !== '/mod/sessions') req = req.set('Authorization', `Bearer ${admin}`);
            const res =
              body === undefined
                ? await req
                : await req
                    .set('Content-Type', 'application/json')
                    .send(typeof body === 'string' && body.startsWith('{') ? body : JSON.stringify(body));
            sent += 1;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (route.path.startsWith('/mod/') && res.status === 401) modUnauthenticated += 1;
            // Signing out ends the session the rest of the run uses.
            if (route.method === 'DELETE' && route.path === '/mod/sessions') admin = await signIn();
            // The links in mails open pages for people: a broken link answers with a page in
            // the reader's language that says so (tests/integrations/mail-replies.test.ts).
            const isMailLinkPage =
              MAIL_LINK_PAGES.has(route.path) && String(res.headers['content-type']).includes('text/html');
            const isProblem =
              res.status < 400 ||
              isMailLinkPage ||
              String(res.headers['content-type']).includes('application/problem+json');
            if (res.status >= 500 || !isProblem)
              failures.push(`${route.method} ${path}${query} → ${res.status} ${res.text.slice(0, 120)}`);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
    // The run reached the handlers: validation refused most, and some requests did succeed.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(500);
    expect([...statuses.keys()].some((status) => status >= 200 && status < 300)).toBe(true);
    // Only sign-in with junk credentials is turned away as unauthenticated; the admin's session held.
    expect(modUnauthenticated).toBeLessThan(HOSTILE_BODIES.length * PARAM_VALUES.length + 1);
    await request(server.url).get('/readyz').expect(200);
  }, 240_000);
});

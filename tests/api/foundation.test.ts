import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';

const PROBLEM_JSON = /^application\/problem\+json/;

function expectProblemShape(body: unknown, status: number, code: string): void {
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
      status,
      code,
      requestId: expect.any(String),
    }),
  );
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

describe('foundation: errors, headers, ops routes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  describe('errors', () => {
    it('when a route does not exist, then 404 problem+json ROUTE_NOT_FOUND carries the request id of the header', async () => {
      const res = await request(server.url).get('/no/such/route').expect(404);

      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expectProblemShape(res.body, 404, 'ROUTE_NOT_FOUND');
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });

    it('when the client sends a valid x-request-id, then it is echoed in the header and the problem', async () => {
      const res = await request(server.url).get('/api/v1/nothing-here').set('X-Request-Id', 'trace-abc.123_x').expect(404);

      expect(res.headers['x-request-id']).toBe('trace-abc.123_x');
      expect(res.body.requestId).toBe('trace-abc.123_x');
    });

    it('when the client sends an unsafe x-request-id, then a fresh one replaces it', async () => {
      const res = await request(server.url).get('/nowhere').set('X-Request-Id', 'bad id\twith spaces<script>').expect(404);

      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });

    it('when the body is malformed JSON, then 400 MALFORMED_JSON without a stack trace', async () => {
      const res = await request(server.url)
        .post('/api/v1/sites/demo/posts/p/comments')
        .set('Content-Type', 'application/json')
        .send('{"body": "hello",')
        .expect(400);

      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expectProblemShape(res.body, 400, 'MALFORMED_JSON');
      expect(res.body.detail).not.toMatch(/Unexpected|position/);
    });

    it('when the body is larger than the default 64 kB limit, then 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await request(server.url)
        .post('/api/v1/sites/demo/posts/p/comments')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ body: 'x'.repeat(65 * 1024) }))
        .expect(413);

      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expectProblemShape(res.body, 413, 'PAYLOAD_TOO_LARGE');
      expect(res.body.limitBytes).toBe(64 * 1024);
    });

    it('when the body is just under the limit, then it is not refused for its size', async () => {
      const res = await request(server.url)
        .post('/nowhere')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ body: 'x'.repeat(60 * 1024) }));

      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
    });

    it('when the body declares an unsupported charset, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await request(server.url)
        .post('/nowhere')
        .set('Content-Type', 'application/json; charset=klingon')
        .send('{}')
        .expect(415);

      expectProblemShape(res.body, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('security headers', () => {
    it.each(['/healthz', '/no/such/route'])('when %s is fetched, then helmet headers are set and x-powered-by is absent', async (path) => {
      const res = await request(server.url).get(path);

      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/object-src 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // PUBLIC_URL is plain http here: HSTS only goes out over https (tests/security/moderator-origin.test.ts).
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('when an unknown origin calls the API, then it only gets a readable refusal, never credentials', async () => {
      const res = await request(server.url).get('/api/v1/sites/demo/counts?posts=a').set('Origin', 'https://evil.example');

      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
      expect(res.headers['access-control-allow-origin']).toBe('https://evil.example');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('when an unknown origin sends a preflight for the moderator API, then it is not allowed', async () => {
      const res = await request(server.url)
        .options('/api/v1/mod/sessions')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');

      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('ops routes', () => {
    it('when /healthz is fetched, then 200 ok', async () => {
      const res = await request(server.url).get('/healthz').expect(200);

      expect(res.body).toEqual({ status: 'ok' });
    });

    it('when the database answers, then /readyz is 200', async () => {
      const res = await request(server.url).get('/readyz').expect(200);

      expect(res.body).toEqual(expect.objectContaining({ status: 'ready', database: true }));
    });

    it('when /metrics is fetched after a request, then it counts that request by route and exposes process metrics', async () => {
      await request(server.url).get('/healthz').expect(200);
      await request(server.url).get('/definitely/not/here').expect(404);

      const res = await request(server.url).get('/metrics').expect(200);

      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/^http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]\d*$/m);
      expect(res.text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]\d*$/m);
      expect(res.text).not.toContain('/definitely/not/here');
      expect(res.text).toMatch(/^http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/healthz",status="200"\} \d+$/m);
      expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(res.text).toMatch(/^process_resident_memory_bytes \d/m);
      expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    });

    it('when /openapi.json is fetched, then it is an OpenAPI 3.1.0 document', async () => {
      const res = await request(server.url).get('/openapi.json').expect(200);

      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const document = JSON.parse(res.text) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
      expect(document.openapi).toBe('3.1.0');
      expect(document.info.title).toBe('Parley');
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
    });
  });
});

describe('foundation: configured body limit', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { BODY_LIMIT: '2kb' } });
  });

  afterAll(async () => {
    await server.close();
  });

  it('when BODY_LIMIT=2kb and the body is 3 kB, then 413 PAYLOAD_TOO_LARGE names the limit', async () => {
    const res = await request(server.url)
      .post('/api/v1/sites/demo/posts/p/comments')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ body: 'x'.repeat(3 * 1024) }))
      .expect(413);

    expectProblemShape(res.body, 413, 'PAYLOAD_TOO_LARGE');
    expect(res.body.limitBytes).toBe(2048);
  });

  it('when BODY_LIMIT=2kb and the body is 1 kB, then it passes the parser', async () => {
    const res = await request(server.url)
      .post('/nowhere')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ body: 'x'.repeat(1024) }));

    expect(res.status).toBe(404);
  });
});

describe('foundation: readiness when the database goes away', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('when the database connection closes, then /readyz turns 503 while /healthz stays 200', async () => {
    await request(server.url).get('/readyz').expect(200);

    await server.database.connection.close();

    const res = await request(server.url).get('/readyz').expect(503);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expectProblemShape(res.body, 503, 'SERVICE_UNAVAILABLE');
    expect(res.body.database).toBe(false);
    await request(server.url).get('/healthz').expect(200);
  });
});

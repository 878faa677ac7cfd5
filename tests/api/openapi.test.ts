import request from 'supertest';
import { isApiRoute, listRoutes } from '../helpers/routes';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('/openapi.json', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('when read, then every API and ops route the app serves is described with its method', async () => {
    const res = await request(server.url).get('/openapi.json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const routes = listRoutes(server.app).filter(
      (route) =>
        isApiRoute(route) || ['/healthz', '/readyz', '/metrics', '/openapi.json'].includes(route.path),
    );
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes
      .map((route) => {
        const documented = (isApiRoute(route) ? `/api/v1${route.path}` : route.path).replace(
          /:(\w+)/g,
          '{$1}',
        );
        return paths[documented]?.[route.method.toLowerCase()] ? null : `${route.method} ${documented}`;
      })
      .filter((entry) => entry !== null);
    expect(missing).toEqual([]);
  });

  it('when read, then every $ref points at a schema that exists', async () => {
    const res = await request(server.url).get('/openapi.json').expect(200);
    const refs = [...JSON.stringify(res.body).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (m) => m[1],
    );
    const schemas = Object.keys(res.body.components.schemas as Record<string, unknown>);
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((name) => !schemas.includes(name as string))).toEqual([]);
  });
});

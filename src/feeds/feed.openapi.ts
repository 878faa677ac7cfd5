const atom = (summary: string, parameters: unknown[]): Record<string, unknown> => ({
  get: {
    summary,
    tags: ['feeds'],
    parameters,
    responses: {
      '200': {
        description: 'Atom 1.0, newest first (at most 50 entries)',
        content: { 'application/atom+xml': {} },
      },
      '304': { description: 'Not modified (If-None-Match matched the ETag)' },
      '400': { description: 'Bad site id or post key', content: { 'application/problem+json': {} } },
      '404': { description: 'Unknown site or post', content: { 'application/problem+json': {} } },
    },
  },
});
const siteParam = { name: 'site', in: 'path', required: true, schema: { type: 'string' } };
const postParam = {
  name: 'post',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The post key, URL-encoded',
};

/** OpenAPI paths of the feeds. */
export function feedApiPaths(): Record<string, unknown> {
  return {
    '/feeds/{site}.atom': atom("A site's published comments as an Atom feed", [siteParam]),
    '/feeds/{site}/{post}.atom': atom("A post's published comments as an Atom feed", [siteParam, postParam]),
  };
}

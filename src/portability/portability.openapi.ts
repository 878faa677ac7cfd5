import { IMPORT_FILE_KINDS } from '../contracts/portability';

const problem = {
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const security = [{ bearerAuth: [] }, { cookieAuth: [] }];
const site = { name: 'id', in: 'path', required: true, description: 'Site id', schema: { type: 'string' } };
const job = { name: 'jobId', in: 'path', required: true, description: 'Import job id', schema: { type: 'string' } };
const errors = {
  '400': { description: 'Invalid input', ...problem },
  '401': { description: 'Not signed in', ...problem },
  '403': { description: 'Not an admin', ...problem },
  '404': { description: 'Unknown site or import', ...problem },
};

const importJob = {
  type: 'object',
  required: ['id', 'site', 'kind', 'status', 'phase', 'bytesRead', 'totalBytes', 'processed', 'total', 'summary', 'error'],
  properties: {
    id: { type: 'string' },
    site: { type: 'string' },
    kind: { enum: [...IMPORT_FILE_KINDS] },
    fileName: { type: ['string', 'null'] },
    status: { enum: ['running', 'done', 'failed'] },
    phase: { enum: ['scanning', 'writing', 'counting', 'done'] },
    bytesRead: { type: 'integer', description: 'Bytes read in the current pass (imports read the file twice)' },
    totalBytes: { type: 'integer' },
    processed: { type: 'integer', description: 'Comments (documents, for a restore) handled so far' },
    total: { type: ['integer', 'null'], description: 'Comments in the file, once the first pass has counted them' },
    summary: {
      type: ['object', 'null'],
      description: '`{ imported, unchanged, skipped, skippedReasons, orphans, posts, byStatus }` (restores add `created`, `alreadyThere`) once done',
    },
    error: { type: ['string', 'null'], description: 'Why a failed import stopped' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** Component schemas of the import and export routes. */
export function portabilityApiSchemas(): Record<string, unknown> {
  return { ImportJob: importJob };
}

/** OpenAPI paths of the panel's import, restore and export. */
export function portabilityApiPaths(): Record<string, unknown> {
  const jobResponse = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportJob' } } } };
  return {
    '/api/v1/mod/sites/{id}/imports': {
      post: {
        summary: 'Upload a Disqus XML, WordPress WXR or Parley export and import it in the background (admins)',
        description:
          'The body is the file itself (`Content-Type: application/octet-stream` or `application/xml`), at most `IMPORT_MAX_MB`. Its kind is recognised from its first bytes; a Parley export restores the site (the export must be of this site). Poll the job for progress. Imports are idempotent and raise no notifications or webhooks.',
        tags: ['data'],
        security,
        parameters: [
          site,
          {
            name: 'kind',
            in: 'query',
            description: 'What the client means to send; a different file is refused',
            schema: { enum: [...IMPORT_FILE_KINDS] },
          },
          { name: 'fileName', in: 'query', description: 'Shown with the job', schema: { type: 'string', maxLength: 255 } },
        ],
        requestBody: { required: true, content: { 'application/octet-stream': {}, 'application/xml': {} } },
        responses: {
          '202': { description: 'The job, running', ...jobResponse },
          '413': { description: 'PAYLOAD_TOO_LARGE: larger than IMPORT_MAX_MB', ...problem },
          '415': {
            description: 'IMPORT_FILE_UNSUPPORTED (not an export Parley reads, with what it is) or UNSUPPORTED_MEDIA_TYPE (a JSON or form body)',
            ...problem,
          },
          ...errors,
        },
      },
      get: {
        summary: "A site's ten latest imports, newest first",
        tags: ['data'],
        security,
        parameters: [site],
        responses: { '200': { description: '`{ imports: ImportJob[] }`' }, ...errors },
      },
    },
    '/api/v1/mod/sites/{id}/imports/{jobId}': {
      get: {
        summary: 'An import job: status, phase, processed of total, and its summary once done',
        tags: ['data'],
        security,
        parameters: [site, job],
        responses: { '200': { description: 'The job', ...jobResponse }, ...errors },
      },
    },
    '/api/v1/mod/sites/{id}/export': {
      get: {
        summary: "Download the site's export (admins): JSON lines, a `parley-export` header first",
        description:
          'The same file as `npm run export`: the site (without secrets), posts, authors, comments with their history, and audit entries, in MongoDB Extended JSON. Upload it to `POST …/imports` to restore.',
        tags: ['data'],
        security,
        parameters: [site],
        responses: {
          '200': { description: 'The export, as an attachment', content: { 'application/x-ndjson': {} } },
          ...errors,
        },
      },
    },
  };
}

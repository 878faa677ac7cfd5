import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, flattenComments, loginAdmin, readThread } from '../helpers/factories';
import { eventually } from '../helpers/webhook-receiver';
import type { ImportJobDto } from '../../src/contracts/portability';

const FIXTURES = path.join(__dirname, '../fixtures/imports');
const disqus = readFileSync(path.join(FIXTURES, 'disqus-export.xml'));
const wordpress = readFileSync(path.join(FIXTURES, 'wordpress-export.xml'));

describe('imports uploaded by an admin run as jobs with progress; the export downloads and restores', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  const mod = () => ({ Authorization: `Bearer ${admin}` });
  const upload = (site: string, body: Buffer | string, query = '') =>
    request(server.url)
      .post(`${API}/mod/sites/${site}/imports${query}`)
      .set(mod())
      .set('Content-Type', 'application/octet-stream')
      .send(body);
  const finished = (site: string, id: string) =>
    eventually(
      async () => (await request(server.url).get(`${API}/mod/sites/${site}/imports/${id}`).set(mod())).body as ImportJobDto,
      (job) => job.status !== 'running',
      'the import to finish',
    );

  it('when a Disqus export is uploaded, then a job reports processed of total and a summary, and the comments are in the thread', async () => {
    const site = await createSite(server, { token: admin, origins: ['https://eastern-desk.example'] });
    const started = await upload(site.id, disqus, '?fileName=disqus-export.xml').expect(202);
    const job = started.body as ImportJobDto;
    expect(job).toMatchObject({ site: site.id, kind: 'disqus', status: 'running', fileName: 'disqus-export.xml', totalBytes: disqus.length });
    expect(started.headers['location']).toBe(`/api/v1/mod/sites/${site.id}/imports/${job.id}`);

    const done = await finished(site.id, job.id);
    expect(done).toMatchObject({ status: 'done', phase: 'done', error: null, bytesRead: disqus.length });
    expect(done.total).toBeGreaterThan(0);
    expect(done.processed).toBe(done.total);
    expect(done.summary).toMatchObject({ imported: 7, unchanged: 0, skipped: 1, orphans: 1, posts: 2 });
    expect(done.summary?.skippedReasons).toEqual({ 'its thread was deleted': 1 });

    const thread = await readThread(server, { site: site.id, post: 'istanbul-talks', sort: 'oldest' });
    expect(flattenComments(thread.comments).map((c) => c.author?.name)).toEqual(['Олег', 'Олена', 'Marta K.']);

    const again = await finished(site.id, ((await upload(site.id, disqus).expect(202)).body as ImportJobDto).id);
    expect(again.summary).toMatchObject({ imported: 0, unchanged: 7 });
    const listed = await request(server.url).get(`${API}/mod/sites/${site.id}/imports`).set(mod()).expect(200);
    expect((listed.body.imports as ImportJobDto[]).map((entry) => entry.id)).toEqual([again.id, job.id]);
    const audit = await request(server.url).get(`${API}/mod/audit?site=${site.id}&action=site.import`).set(mod()).expect(200);
    expect(audit.body.entries).toHaveLength(2);
  });

  it('when a WordPress export is uploaded, then it is recognised as one and imported', async () => {
    const site = await createSite(server, { token: admin });
    const job = (await upload(site.id, wordpress).expect(202)).body as ImportJobDto;
    expect(job.kind).toBe('wordpress');
    const done = await finished(site.id, job.id);
    expect(done.status).toBe('done');
    expect(done.summary?.imported).toBeGreaterThan(0);
  });

  it('when the file is not an export Parley reads, then 415 says what it is and no job starts', async () => {
    const site = await createSite(server, { token: admin });
    const feed = await upload(site.id, '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>').expect(415);
    expect(feed.headers['content-type']).toMatch(/problem\+json/);
    expect(feed.body).toMatchObject({ code: 'IMPORT_FILE_UNSUPPORTED' });
    expect(feed.body.detail).toMatch(/RSS feed, not a WordPress WXR export/);
    const wrongKind = await upload(site.id, disqus, '?kind=wordpress').expect(415);
    expect(wrongKind.body.detail).toBe('This file is a Disqus export, not a WordPress WXR export');
    const empty = await upload(site.id, '').expect(415);
    expect(empty.body.detail).toMatch(/empty/);
    const asJson = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/imports`)
      .set(mod())
      .send({ comments: [] })
      .expect(415);
    expect(asJson.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const listed = await request(server.url).get(`${API}/mod/sites/${site.id}/imports`).set(mod()).expect(200);
    expect(listed.body.imports).toEqual([]);
  });

  it('when a file is larger than IMPORT_MAX_MB, then 413 says the limit', async () => {
    const small = await startTestServer({ env: { IMPORT_MAX_MB: '1' } });
    try {
      const token = await loginAdmin(small);
      const site = await createSite(small, { token });
      const big = Buffer.concat([Buffer.from('<disqus>'), Buffer.alloc(1024 * 1024 + 10, 0x20), Buffer.from('</disqus>')]);
      const res = await request(small.url)
        .post(`${API}/mod/sites/${site.id}/imports`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/octet-stream')
        .send(big)
        .expect(413);
      expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 1024 * 1024 });
      expect(res.body.detail).toMatch(/1 MB, IMPORT_MAX_MB/);
    } finally {
      await small.close();
    }
  });

  it('when an admin downloads the export, then it holds the header and the comments, and uploading it restores without duplicates', async () => {
    const site = await createSite(server, { token: admin, origins: ['https://eastern-desk.example'] });
    await finished(site.id, ((await upload(site.id, disqus).expect(202)).body as ImportJobDto).id);
    const exported = await request(server.url)
      .get(`${API}/mod/sites/${site.id}/export`)
      .set(mod())
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => callback(null, text));
      })
      .expect(200);
    expect(exported.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(exported.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="parley-${site.id}-\\d{4}-\\d{2}-\\d{2}\\.jsonl"`));
    const lines = (exported.body as string).trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ format: 'parley-export', version: 1, site: site.id, counts: { comment: 7 } });
    expect(exported.body).toContain('Гарантії безпеки — головне питання.');

    const restored = await finished(site.id, ((await upload(site.id, exported.body as string).expect(202)).body as ImportJobDto).id);
    expect(restored).toMatchObject({ kind: 'parley', status: 'done' });
    expect(restored.summary).toMatchObject({ imported: 0, unchanged: 7 });
    expect(restored.summary?.created).toMatchObject({ comment: 0, post: 0 });
    const other = await createSite(server, { token: admin });
    const elsewhere = await finished(other.id, ((await upload(other.id, exported.body as string).expect(202)).body as ImportJobDto).id);
    expect(elsewhere.status).toBe('failed');
    expect(elsewhere.error).toBe(`This export is of site "${site.id}", not "${other.id}"`);
  });

  it('when a job was left running by a process that is gone, then polling it says the service stopped, and it stays so', async () => {
    const site = await createSite(server, { token: admin });
    const silentSince = new Date(Date.now() - 2 * 60_000);
    const { insertedId } = await server.database.connection.collection('import_jobs').insertOne({
      site: site.id,
      kind: 'disqus',
      fileName: 'big.xml',
      status: 'running',
      phase: 'writing',
      bytesRead: 10,
      totalBytes: 100,
      processed: 5,
      total: 50,
      summary: null,
      error: null,
      createdBy: 'someone',
      createdAt: silentSince,
      updatedAt: silentSince,
      finishedAt: null,
    });
    const res = await request(server.url).get(`${API}/mod/sites/${site.id}/imports/${insertedId.toHexString()}`).set(mod()).expect(200);
    expect(res.body).toMatchObject({ status: 'failed', processed: 5, total: 50 });
    expect(res.body.error).toBe('The service stopped during the import. Upload the file again: an import run twice changes nothing.');
    const stored = await server.database.connection.collection('import_jobs').findOne({ _id: insertedId });
    expect(stored).toMatchObject({ status: 'failed' });
  });

  it('when a moderator who is not an admin tries, then 403; unknown jobs and sites are 404', async () => {
    const site = await createSite(server, { token: admin });
    const moderator = await createModerator(server, { sites: [site.id], adminToken: admin });
    const as = { Authorization: `Bearer ${moderator.token}` };
    const refused = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/imports`)
      .set(as)
      .set('Content-Type', 'application/octet-stream')
      .send(disqus)
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await request(server.url).get(`${API}/mod/sites/${site.id}/export`).set(as).expect(403);
    const missing = await request(server.url)
      .get(`${API}/mod/sites/${site.id}/imports/0123456789abcdef01234567`)
      .set(mod())
      .expect(404);
    expect(missing.body.code).toBe('IMPORT_JOB_NOT_FOUND');
    const noSite = await request(server.url).get(`${API}/mod/sites/no-such-site/export`).set(mod()).expect(404);
    expect(noSite.body.code).toBe('SITE_NOT_FOUND');
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startMongoEmulator, type MongoEmulator } from '@parley/mongo-emulator';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, flattenComments, loginAdmin, readThread } from '../helpers/factories';
import type { CommentDto } from '../../src/contracts/comments';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, '../fixtures/imports');

/** Runs the import/export command line as a user would (`npm run import -- …` runs this script). */
async function cli(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/portability-cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

// Each command line run starts a Node process that loads the service's code.
jest.setTimeout(120_000);

describe('import from Disqus and WordPress, export and restore', () => {
  let emulator: MongoEmulator;
  let server: TestServer;
  let admin: string;
  let env: Record<string, string>;
  let work: string;

  beforeAll(async () => {
    emulator = await startMongoEmulator();
    const db = `parley_import_${Date.now()}`;
    env = { MONGODB_URI: emulator.uri, MONGODB_DB: db, LOG_LEVEL: 'silent' };
    server = await startTestServer({ env });
    admin = await loginAdmin(server);
    work = mkdtempSync(path.join(tmpdir(), 'parley-import-'));
  });
  afterAll(async () => {
    await server.close();
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  });

  const all = async (site: string, post: string): Promise<CommentDto[]> => {
    const page = await readThread(server, { site, post, sort: 'oldest' });
    return flattenComments(page.comments);
  };

  it('when a Disqus export is imported, then threads, nesting, statuses and text come across, and a second run changes nothing', async () => {
    const site = await createSite(server, { token: admin, origins: ['https://eastern-desk.example'] });
    const file = path.join(FIXTURES, 'disqus-export.xml');
    const first = await cli(['import', '--site', site.id, '--format', 'disqus', file], env);
    expect(first.stderr).toContain('imported 7 comments into 2 posts');
    expect(first.stderr).toMatch(/1 × its thread was deleted/);
    expect(first.stderr).toMatch(/kept at top level\): 1/);
    expect(first.stderr).toMatch(/done\s+█+ 100%/);

    const talks = await all(site.id, 'istanbul-talks');
    // Published only, threaded: Oleg → Olena → Marta (reply listed before its parent in the file).
    expect(talks.map((c) => [c.author?.name, c.depth, c.body])).toEqual([
      [
        'Олег',
        0,
        'Переговоры в Стамбуле — это шаг вперёд, но без гарантий безопасности всё повиснет.\nПосмотрим, что скажут в Киеве.',
      ],
      ['Олена', 1, 'Гарантії безпеки — головне питання. Без них це лише пауза.'],
      ['Marta K.', 2, 'Agreed — and the wire reports [https://www.reuters.com/world/] say the same.'],
    ]);
    const [oleg, olena, marta] = talks;
    expect(olena?.parentId).toBe(oleg?.id);
    expect(marta?.ancestorIds).toEqual([oleg?.id, olena?.id]);
    const counts = await request(server.url)
      .get(
        `${API}/sites/${site.id}/counts?posts=istanbul-talks,https://eastern-desk.example/2026/grain-corridor/`,
      )
      .set('Origin', 'https://eastern-desk.example');
    expect(counts.body).toEqual({
      'istanbul-talks': 3,
      'https://eastern-desk.example/2026/grain-corridor/': 2,
    });

    const grain = await readThread(server, {
      site: site.id,
      post: 'https://eastern-desk.example/2026/grain-corridor/',
    });
    expect(grain.post).toMatchObject({ closed: true, title: 'Grain corridor: who ships what' });
    expect(flattenComments(grain.comments).map((c) => c.body)).toContain(
      'Ships leave Odesa again 🚢 & insurers are back.\nRates fell 20%.',
    );

    // Spam went to the rejected view, not the thread.
    const rejected = await request(server.url)
      .get(`${API}/mod/queue?queue=rejected&site=${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect((rejected.body.items as { comment: { body: string } }[]).map((i) => i.comment.body)).toEqual([
      'CHEAP VISAS!!! Write to my telegram @fastvisa',
    ]);

    const again = await cli(['import', '--site', site.id, '--format', 'disqus', file], env);
    expect(again.stderr).toContain('imported 0 comments into 2 posts');
    expect(again.stderr).toContain('already there from an earlier run: 7');
    expect((await all(site.id, 'istanbul-talks')).map((c) => c.id)).toEqual(talks.map((c) => c.id));
  });

  it('when a WordPress WXR export is imported, then comments keep their threads and approvals, pingbacks are skipped, e-mails are not stored', async () => {
    const site = await createSite(server, { token: admin, origins: ['https://kyiv-notes.example'] });
    const out = await cli(
      [
        'import',
        '--site',
        site.id,
        '--format',
        'wordpress',
        '--post-key',
        'slug',
        path.join(FIXTURES, 'wordpress-export.xml'),
      ],
      env,
    );
    expect(out.stderr).toContain('imported 5 comments into 1 posts');
    expect(out.stderr).toMatch(/1 × a pingback, not a comment/);
    const thread = await all(site.id, 'energy-winter');
    expect(thread.map((c) => [c.author?.name, c.depth])).toEqual([
      ['Ірина', 0],
      ['Андрій', 1],
    ]);
    expect(thread[1]?.body).toBe('Дякую, дуже корисно. А як щодо генераторів у школах?');
    const pending = await request(server.url)
      .get(`${API}/mod/queue?queue=pending&site=${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(
      (pending.body.items as { comment: { body: string; depth: number } }[]).map((i) => [
        i.comment.body,
        i.comment.depth,
      ]),
    ).toEqual([['Waiting for approval: is this the same in Lviv?', 2]]);
    const exported = await cli(['export', '--site', site.id], env);
    expect(exported.stdout).not.toContain('iryna@example.com');
    expect(exported.stdout).toContain('wordpress:sha256:');
  });

  it('when a site is exported, dropped and restored, then a second export is identical, and restoring again duplicates nothing', async () => {
    const site = await createSite(server, {
      token: admin,
      origins: ['https://eastern-desk.example'],
      ssoSecret: 'a'.repeat(40),
    });
    await cli(
      ['import', '--site', site.id, '--format', 'disqus', path.join(FIXTURES, 'disqus-export.xml')],
      env,
    );
    await request(server.url)
      .patch(`${API}/mod/sites/${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ settings: { bannedWords: ['свинособаки'] } })
      .expect(200);
    const before = path.join(work, 'before.jsonl');
    await cli(['export', '--site', site.id, '--out', before], env);
    const lines = readFileSync(before, 'utf8').trim().split('\n');
    const header = JSON.parse(lines[0] ?? '{}') as {
      format: string;
      version: number;
      counts: Record<string, number>;
    };
    expect(header).toMatchObject({
      format: 'parley-export',
      version: 1,
      counts: { site: 1, post: 2, comment: 7 },
    });
    expect(readFileSync(before, 'utf8')).not.toContain('a'.repeat(40));

    // Drop the whole database, as a restore onto a fresh machine would start.
    await server.database.connection.dropDatabase();
    const restored = await cli(['import', '--site', site.id, '--format', 'parley', before], env);
    expect(restored.stderr).toMatch(/created \{"site":1,"post":2,"author":\d+,"comment":7,"audit":\d+\}/);
    const after = path.join(work, 'after.jsonl');
    await cli(['export', '--site', site.id, '--out', after], env);
    const body = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1);
    expect(body(after)).toEqual(body(before));

    const twice = await cli(['import', '--site', site.id, '--format', 'parley', before], env);
    expect(twice.stderr).toContain('created {"site":0,"post":0,"author":0,"comment":0,"audit":0}');
    expect(body(path.join(work, 'after.jsonl'))).toEqual(body(before));
  });

  it('when input is wrong, then the command says what is wrong and exits non-zero', async () => {
    const notDisqus = path.join(work, 'not-disqus.xml');
    writeFileSync(notDisqus, '<?xml version="1.0"?><rss><channel></channel></rss>');
    await expect(
      cli(['import', '--site', 'some-site', '--format', 'disqus', notDisqus], env),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('does not look like a Disqus export') as unknown,
    });
    const broken = path.join(work, 'broken.xml');
    writeFileSync(broken, '<disqus><post dsq:id="1"><message>unclosed</disqus>');
    await expect(
      cli(['import', '--site', 'some-site', '--format', 'disqus', broken], env),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('not well-formed XML') as unknown,
    });
    await expect(
      cli(['import', '--site', 'some-site', '--format', 'csv', broken], env),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('--format must be one of disqus, wordpress, parley') as unknown,
    });
    const other = path.join(work, 'other.jsonl');
    writeFileSync(
      other,
      `${JSON.stringify({ format: 'parley-export', version: 1, site: 'another-site' })}\n`,
    );
    await expect(
      cli(['import', '--site', 'some-site', '--format', 'parley', other], env),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('This export is of site "another-site"') as unknown,
    });
  });
});

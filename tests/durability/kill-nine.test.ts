import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  API,
  createSite,
  loginAdmin,
  readReplies,
  readThread,
  sendComment,
  uniqueId,
} from '../helpers/factories';
import { ROOT, startService, type ServiceProcess } from './service-process';

const isRealMongo = Boolean(process.env['MONGODB_URI']);

function repairCounts(
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/repair-counts.ts'],
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Acknowledged {
  id: string;
  body: string;
  parentId: string | undefined;
}

/** Every comment of the thread, following every page and every reply page. */
async function readWholeThread(
  server: { url: string },
  site: string,
  post: string,
): Promise<{ id: string; body: string }[]> {
  const found: { id: string; body: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await readThread(server, { site, post, sort: 'oldest', limit: 50, cursor });
    for (const comment of page.comments) {
      found.push({ id: comment.id, body: comment.body });
      let replyCursor: string | undefined;
      do {
        const replies = await readReplies(server, comment.id, {
          limit: 50,
          ...(replyCursor ? { cursor: replyCursor } : {}),
        });
        for (const reply of replies.comments) found.push({ id: reply.id, body: reply.body });
        replyCursor = replies.nextCursor ?? undefined;
      } while (replyCursor);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

(isRealMongo ? describe.skip : describe)('kill -9 of Parley on the durable embedded emulator', () => {
  const dbPath = mkdtempSync(path.join(tmpdir(), 'parley-kill9-'));
  const database = `parley_kill9_${uniqueId('db').replace(/-/g, '_')}`;
  const env = { EMULATOR_DBPATH: dbPath, MONGODB_DB: database };
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    await service?.stop();
    rmSync(dbPath, { recursive: true, force: true });
  });

  it('when the process is SIGKILLed under concurrent posts and edits, then every acknowledged write is there once, and counts match repair:counts', async () => {
    service = await startService(env);
    const site = await createSite(service, { id: uniqueId('k9') });
    const post = 'crash-test';
    const created: Acknowledged[] = [];
    const edited = new Map<string, string>();
    /** Edits sent but not answered when the process died: either body may be stored. */
    const editsInFlight = new Map<string, string>();
    let isKilled = false;
    let attempts = 0;

    const worker = async (workerId: number): Promise<void> => {
      const running = service!;
      while (!isKilled && attempts < 600) {
        attempts += 1;
        const parent =
          created.length > 0 && attempts % 3 === 0 ? created[attempts % created.length] : undefined;
        const body = `comment ${workerId}-${attempts} ${uniqueId('b')} Привіт`;
        try {
          const res = await sendComment(running, {
            site: site.id,
            post,
            body,
            authorName: `Reader ${workerId}`,
            ...(parent?.parentId === undefined && parent ? { parentId: parent.id } : {}),
          });
          if (res.status !== 201) continue;
          const comment = res.body.comment as { id: string; status?: string };
          const ack: Acknowledged = {
            id: comment.id,
            body,
            parentId: parent?.parentId === undefined ? parent?.id : undefined,
          };
          created.push(ack);
          const token = res.body.authorToken as string | undefined;
          if (token && attempts % 2 === 0) {
            const newBody = `${body} (edited)`;
            editsInFlight.set(comment.id, newBody);
            const patch = await request(running.url)
              .patch(`${API}/comments/${comment.id}`)
              .set('Authorization', `Bearer ${token}`)
              .send({ body: newBody });
            if (patch.status === 200) edited.set(comment.id, newBody);
            editsInFlight.delete(comment.id);
          }
        } catch {
          return; // the process is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => worker(i));
    while (created.length < 80 && attempts < 600) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(created.length).toBeGreaterThanOrEqual(80);
    isKilled = true;
    service.child.kill('SIGKILL');
    expect((await service.exited).signal).toBe('SIGKILL');
    await Promise.all(workers);

    service = await startService(env);
    expect(service.output()).toMatch(/recovered it and recomputed comment counts/);
    const stored = await readWholeThread(service, site.id, post);
    const byId = new Map(stored.map((comment) => [comment.id, comment.body]));
    expect(byId.size).toBe(stored.length); // nothing twice
    for (const ack of created) {
      const inFlight = editsInFlight.get(ack.id);
      if (inFlight === undefined) expect(byId.get(ack.id)).toBe(edited.get(ack.id) ?? ack.body);
      else expect([ack.body, inFlight]).toContain(byId.get(ack.id));
    }
    const bodies = stored.map((comment) => comment.body.replace(/ \(edited\)$/, ''));
    expect(new Set(bodies).size).toBe(bodies.length); // no comment stored twice under two ids
    const counts = await request(service.url).get(`${API}/sites/${site.id}/counts`).query({ posts: post });
    expect(counts.body[post]).toBe(stored.length);
    const admin = await loginAdmin(service);
    expect(admin).toEqual(expect.any(String));
    await service.stop();
    service = undefined;

    const repair = await repairCounts(env);
    expect(repair.stderr).toBe('');
    expect(repair.status).toBe(0);
    expect(repair.stdout).toMatch(/\(0 fixed\).*\(0 reply counts fixed\)/);
  }, 180_000);
});

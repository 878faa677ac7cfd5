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
import type { QueuePageDto } from '../../src/contracts/moderation-api';
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

type StoredStatus = 'published' | 'pending' | 'rejected';

/** A write the service acknowledged, with the status it answered: that is where the comment must be after the crash. */
interface Acknowledged {
  id: string;
  body: string;
  status: StoredStatus;
}

/** An edit sent but not answered when the process died: either version may be stored. */
interface EditInFlight {
  body: string;
}

interface Found {
  id: string;
  body: string;
  status: StoredStatus;
}

/** Every published comment of the thread, following every page and every reply page. */
async function readWholeThread(server: { url: string }, site: string, post: string): Promise<Found[]> {
  const found: Found[] = [];
  let cursor: string | undefined;
  do {
    const page = await readThread(server, { site, post, sort: 'oldest', limit: 50, cursor });
    for (const comment of page.comments) {
      found.push({ id: comment.id, body: comment.body, status: 'published' });
      let replyCursor: string | undefined;
      do {
        const replies = await readReplies(server, comment.id, {
          limit: 50,
          ...(replyCursor ? { cursor: replyCursor } : {}),
        });
        for (const reply of replies.comments) found.push({ id: reply.id, body: reply.body, status: 'published' });
        replyCursor = replies.nextCursor ?? undefined;
      } while (replyCursor);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Every comment of a moderator queue (`pending`, `rejected`) for the site, following every page. */
async function readWholeQueue(
  server: { url: string },
  token: string,
  site: string,
  queue: 'pending' | 'rejected',
): Promise<Found[]> {
  const found: Found[] = [];
  let cursor: string | undefined;
  do {
    const res = await request(server.url)
      .get(`${API}/mod/queue`)
      .set('Authorization', `Bearer ${token}`)
      .query({ queue, site, limit: 100, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    const page = res.body as QueuePageDto;
    for (const item of page.items) {
      found.push({ id: item.comment.id, body: item.comment.body, status: item.comment.status as StoredStatus });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/**
 * Some of the load is held (a contact address) or rejected (a banned word) on
 * purpose, so every run checks all three places an acknowledged comment can live.
 */
function loadVariant(attempt: number): string {
  if (attempt % 7 === 0) return ' write to reader@example.com';
  if (attempt % 11 === 0) return ' what a shit show';
  return '';
}

function storedStatusOf(status: unknown): StoredStatus {
  if (status === 'published' || status === 'pending' || status === 'rejected') return status;
  throw new Error(`an acknowledged comment with the status ${String(status)}`);
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
    /** Acknowledged comments by id, each with the body and status of its last acknowledged write. */
    const acknowledged = new Map<string, Acknowledged>();
    const editsInFlight = new Map<string, EditInFlight>();
    /**
     * Parents for replies: comments whose last write was answered as published and
     * that will not be edited again, so no reply ends up under a comment an edit hid.
     */
    const settledPublished: string[] = [];
    let isKilled = false;
    let attempts = 0;

    const worker = async (workerId: number): Promise<void> => {
      const running = service!;
      while (!isKilled && attempts < 600) {
        attempts += 1;
        const attempt = attempts;
        const parentId = attempt % 3 === 0 ? settledPublished[attempt % Math.max(settledPublished.length, 1)] : undefined;
        const body = `comment ${workerId}-${attempt} ${uniqueId('b')} Привіт${loadVariant(attempt)}`;
        try {
          const res = await sendComment(running, {
            site: site.id,
            post,
            body,
            authorName: `Reader ${workerId}`,
            ...(parentId ? { parentId } : {}),
          });
          if (res.status !== 201) continue;
          const comment = res.body.comment as { id: string; status?: unknown };
          const ack: Acknowledged = { id: comment.id, body, status: storedStatusOf(comment.status) };
          acknowledged.set(ack.id, ack);
          const token = res.body.authorToken as string | undefined;
          if (token && attempt % 2 === 0 && ack.status !== 'rejected') {
            const newBody = `${body} (edited)`;
            editsInFlight.set(ack.id, { body: newBody });
            const patch = await request(running.url)
              .patch(`${API}/comments/${ack.id}`)
              .set('Authorization', `Bearer ${token}`)
              .send({ body: newBody });
            if (patch.status === 200) {
              const edited = patch.body.comment as { status?: unknown };
              acknowledged.set(ack.id, { id: ack.id, body: newBody, status: storedStatusOf(edited.status) });
            }
            editsInFlight.delete(ack.id);
          }
          // Replies go one level deep, as the thread reader below follows them.
          if (acknowledged.get(ack.id)?.status === 'published' && parentId === undefined) settledPublished.push(ack.id);
        } catch {
          return; // the process is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => worker(i));
    while (acknowledged.size < 80 && attempts < 600) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acknowledged.size).toBeGreaterThanOrEqual(80);
    const statuses = new Set([...acknowledged.values()].map((ack) => ack.status));
    expect([...statuses].sort()).toEqual(['pending', 'published', 'rejected']);
    isKilled = true;
    service.child.kill('SIGKILL');
    expect((await service.exited).signal).toBe('SIGKILL');
    await Promise.all(workers);

    service = await startService(env);
    expect(service.output()).toMatch(/recovered it and recomputed comment counts/);
    const admin = await loginAdmin(service);
    const published = await readWholeThread(service, site.id, post);
    const held = [
      ...(await readWholeQueue(service, admin, site.id, 'pending')),
      ...(await readWholeQueue(service, admin, site.id, 'rejected')),
    ];
    const stored = [...published, ...held];
    const byId = new Map(stored.map((comment) => [comment.id, comment]));
    expect(byId.size).toBe(stored.length); // nothing twice, nothing in two places
    for (const ack of acknowledged.values()) {
      const found = byId.get(ack.id);
      const inFlight = editsInFlight.get(ack.id);
      if (inFlight === undefined) {
        // Published ones through the public thread, held and rejected ones through the moderator queues.
        expect({ id: ack.id, body: found?.body, status: found?.status }).toEqual(ack);
      } else {
        // The edit may or may not have been applied, and the pipeline may have held it.
        expect(found).toBeDefined();
        if (found?.body !== ack.body) expect(found).toMatchObject({ body: inFlight.body });
        else expect(found.status).toBe(ack.status);
      }
    }
    const bodies = stored.map((comment) => comment.body.replace(/ \(edited\)$/, ''));
    expect(new Set(bodies).size).toBe(bodies.length); // no comment stored twice under two ids
    const counts = await request(service.url).get(`${API}/sites/${site.id}/counts`).query({ posts: post });
    expect(counts.body[post]).toBe(published.length);
    expect(admin).toEqual(expect.any(String));
    await service.stop();
    service = undefined;

    const repair = await repairCounts(env);
    expect(repair.stderr).toBe('');
    expect(repair.status).toBe(0);
    expect(repair.stdout).toMatch(/\(0 fixed\).*\(0 reply counts fixed\)/);
  }, 180_000);
});

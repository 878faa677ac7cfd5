import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, loginAdmin, patchSite, sendComment } from '../helpers/factories';
import { eventually } from '../browser/helpers/eventually';

const BRIGADE = 'Stop these shameful talks now, no deals with the aggressor ever again';
const BRIGADE_RU = 'Переговоры в Стамбуле — это предательство, никаких уступок агрессору и точка';

describe('brigading', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  const auth = () => ({ Authorization: `Bearer ${admin}` });

  /** Posts as a new guest and waits until the pipeline's decision is in the audit log (the sketch is kept before it). */
  async function postAsNewGuest(site: string, post: string, body: string): Promise<{ id: string; status: string }> {
    const res = await sendComment(server, { site, post, body, authorName: 'Guest' });
    expect(res.status).toBe(201);
    const id = res.body.comment.id as string;
    await eventually(async () => {
      const audit = await request(server.url).get(`${API}/mod/audit?comment=${id}`).set(auth());
      expect(audit.body.entries.length).toBeGreaterThan(0);
    });
    return { id, status: res.body.comment.status as string };
  }

  async function clusters(query: string) {
    const res = await request(server.url).get(`${API}/mod/clusters?${query}`).set(auth());
    expect(res.status).toBe(200);
    return res.body.clusters as { id: string; kind: string; size: number; sample: string; commentIds: string[] }[];
  }

  it('when three different authors post nearly the same text, then the third is held as brigading and a cluster holds all three', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const first = await postAsNewGuest(site, 'talks', BRIGADE);
    const second = await postAsNewGuest(site, 'talks', `${BRIGADE}!!!`);
    expect([first.status, second.status]).toEqual(['published', 'published']);
    const third = await postAsNewGuest(site, 'other-post', `STOP these shameful talks now, no deals with the aggressor ever again #brigade`);
    expect(third.status).toBe('pending');

    const pending = await request(server.url).get(`${API}/mod/queue?queue=pending&site=${site}`).set(auth());
    const item = pending.body.items.find((candidate: { comment: { id: string } }) => candidate.comment.id === third.id);
    expect(item.verdict.findings).toContainEqual({
      rule: 'brigading.near-duplicate',
      category: 'brigading',
      detail: 'Nearly the same text as 2 recent comments by other authors on this site in the last 60 minutes (a possible brigade).',
      action: 'hold',
    });

    const found = await eventually(async () => {
      const list = await clusters(`site=${site}`);
      expect(list).toHaveLength(1);
      return list;
    });
    expect(found[0]).toMatchObject({ kind: 'near-duplicate', size: 3 });
    expect([...(found[0]?.commentIds ?? [])].sort()).toEqual([first.id, second.id, third.id].sort());
    expect(found[0]?.sample).toContain('shameful talks');

    const fourth = await postAsNewGuest(site, 'talks', BRIGADE);
    expect(fourth.status).toBe('pending');
    await eventually(async () => expect((await clusters(`site=${site}`))[0]?.size).toBe(4));
    expect(await clusters(`site=${site}&post=other-post`)).toHaveLength(1);
  });

  it('when the brigade writes in Russian, then it is caught the same way', async () => {
    const site = (await createSite(server, { token: admin })).id;
    await postAsNewGuest(site, 'p', BRIGADE_RU);
    await postAsNewGuest(site, 'p', `${BRIGADE_RU}!`);
    const third = await postAsNewGuest(site, 'p', `${BRIGADE_RU} 🇺🇦`);
    expect(third.status).toBe('pending');
  });

  it('when one author repeats themselves or different authors write different things, then nothing is held as brigading', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const a = await postAsNewGuest(site, 'p', 'I think the negotiators in Istanbul should publish the full transcript');
    const b = await postAsNewGuest(site, 'p', 'The sanctions will hurt the economy more than the negotiators admit');
    const c = await postAsNewGuest(site, 'p', 'Prisoner exchanges are the one thing everyone seems to agree on');
    expect([a.status, b.status, c.status]).toEqual(['published', 'published', 'published']);
    expect(await clusters(`site=${site}`)).toEqual([]);
  });

  it('when different authors post the same stock reply, then it is no brigade: all are published and no cluster forms', async () => {
    const site = (await createSite(server, { token: admin })).id;
    for (const reply of ['Полностью согласен с вами, спасибо', 'Так, повністю згоден з вами', 'I agree with you 100%', '+1', 'Agreed']) {
      const statuses: string[] = [];
      for (let author = 0; author < 4; author++) statuses.push((await postAsNewGuest(site, 'stock', reply)).status);
      expect({ reply, statuses }).toEqual({ reply, statuses: ['published', 'published', 'published', 'published'] });
    }
    expect(await clusters(`site=${site}`)).toEqual([]);
  });

  it('when a burst of first-time authors arrives on one post, then those past the threshold are held and clustered', async () => {
    const site = (await createSite(server, { token: admin })).id;
    await patchSite(server, site, { settings: { brigading: { firstTimeBurst: 3 } } }, admin);
    const one = await postAsNewGuest(site, 'burst', 'Completely my own opinion on the matter at hand');
    const two = await postAsNewGuest(site, 'burst', 'Another reader with a different point about sanctions');
    const three = await postAsNewGuest(site, 'burst', 'Yet another newcomer who writes about the prisoner exchange');
    expect([one.status, two.status, three.status]).toEqual(['published', 'published', 'pending']);
    const list = await eventually(async () => {
      const found = await clusters(`site=${site}&post=burst`);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(list[0]).toMatchObject({ kind: 'first-time-burst', size: 3 });
  });

  it('when a moderator rejects a cluster, then every comment in it is rejected, audited, and the pending queue hears it live', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const ids = [];
    for (const suffix of ['', '!', '!!', '!!!']) ids.push((await postAsNewGuest(site, 'p', `${BRIGADE}${suffix}`)).id);
    const [cluster] = await eventually(async () => {
      const found = await clusters(`site=${site}`);
      expect(found[0]?.size).toBe(4);
      return found;
    });

    const socket: Socket = connect(`${server.url}/moderation`, { auth: { token: admin }, transports: ['websocket'] });
    const removed: string[] = [];
    socket.on('queue:removed', (event: { id: string; queue: string }) => {
      if (event.queue === 'pending') removed.push(event.id);
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    try {
      const res = await request(server.url).post(`${API}/mod/clusters/${cluster?.id}/reject`).set(auth()).send({ reason: 'spam', note: 'Copy-paste brigade' });
      expect(res.status).toBe(200);
      expect(res.body.cluster).toMatchObject({ id: cluster?.id, status: 'rejected', size: 4 });
      expect(res.body.results.every((result: { ok: boolean }) => result.ok)).toBe(true);

      const rejected = await request(server.url).get(`${API}/mod/queue?queue=rejected&site=${site}`).set(auth());
      expect(rejected.body.items.map((item: { comment: { id: string } }) => item.comment.id).sort()).toEqual([...ids].sort());

      const audit = await request(server.url).get(`${API}/mod/audit?site=${site}&action=cluster.reject`).set(auth());
      expect(audit.body.entries[0]).toMatchObject({ action: 'cluster.reject', reason: 'spam', note: 'Copy-paste brigade' });
      const perComment = await request(server.url).get(`${API}/mod/audit?site=${site}&action=comment.reject`).set(auth());
      expect(perComment.body.entries).toHaveLength(4);

      const pendingIds = ids.slice(2);
      await eventually(() => expect([...removed].sort()).toEqual([...pendingIds].sort()));
      expect(await clusters(`site=${site}`)).toEqual([]);
    } finally {
      socket.close();
    }
  });

  it('when a cluster is unknown, out of scope, or the query is bad, then the answer says so', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const missing = await request(server.url).post(`${API}/mod/clusters/${'b'.repeat(24)}/reject`).set(auth()).send({});
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CLUSTER_NOT_FOUND');
    const bad = await request(server.url).get(`${API}/mod/clusters?site=${site}&size=3`).set(auth());
    expect(bad.status).toBe(400);
    const other = (await createSite(server, { token: admin })).id;
    const moderator = await createModerator(server, { sites: [other], adminToken: admin });
    const outOfScope = await request(server.url).get(`${API}/mod/clusters?site=${site}`).set({ Authorization: `Bearer ${moderator.token}` });
    expect(outOfScope.status).toBe(403);
    const badReason = await request(server.url).post(`${API}/mod/clusters/${'b'.repeat(24)}/reject`).set(auth()).send({ reason: 'because' });
    expect(badReason.status).toBe(400);
  });

  it('when brigading settings are invalid, then they are refused', async () => {
    const site = (await createSite(server, { token: admin })).id;
    for (const brigading of [{ minClusterSize: 1 }, { windowMinutes: 0 }, { firstTimeBurst: -1 }, { shingles: 3 }]) {
      const res = await request(server.url).patch(`${API}/mod/sites/${site}`).set(auth()).send({ settings: { brigading } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });
});

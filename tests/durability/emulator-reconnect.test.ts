import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSite, postComment, readThread, uniqueId } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { findFreePort } from '../browser/helpers/browser';
import { ROOT } from './service-process';

const isRealMongo = Boolean(process.env['MONGODB_URI']);

/** `npm run db:emulator -- --port N --dbpath DIR` as one node process. */
async function startStandaloneEmulator(
  port: number,
  dbPath: string,
): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/mongo-emulator/src/cli.ts', '--port', String(port), '--dbpath', dbPath],
    { cwd: ROOT },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const startedAt = Date.now();
  while (!output.includes('mongodb://')) {
    if (child.exitCode !== null) throw new Error(`the emulator did not start: ${output}`);
    // Said, not waited out: a start that never answers names itself instead of ending in the test's timeout.
    if (Date.now() - startedAt > 60_000) throw new Error(`the emulator printed no address in 60 s: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

async function killed(child: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

(isRealMongo ? describe.skip : describe)(
  'the standalone emulator lost and started again on its dbpath',
  () => {
    const dbPath = mkdtempSync(path.join(tmpdir(), 'parley-standalone-'));
    let emulator: ChildProcessWithoutNullStreams | undefined;
    let server: TestServer | undefined;

    afterAll(async () => {
      await server?.close();
      if (emulator && emulator.exitCode === null) await killed(emulator);
      rmSync(dbPath, { recursive: true, force: true });
    });

    it('when the database process dies and comes back, then Parley reconnects by itself and finds its data', async () => {
      const port = await findFreePort();
      emulator = await startStandaloneEmulator(port, dbPath);
      server = await startTestServer({
        env: {
          MONGODB_URI: `mongodb://127.0.0.1:${port}/?directConnection=true`,
          MONGODB_DB: 'parley_standalone',
        },
      });
      const site = await createSite(server, { id: uniqueId('sa') });
      const posted = await postComment(server, {
        site: site.id,
        post: 'p',
        body: 'Written before the database died',
      });

      await killed(emulator);
      emulator = await startStandaloneEmulator(port, dbPath);

      let bodies: string[] = [];
      let lastError = '';
      for (let attempt = 0; attempt < 100 && bodies.length === 0; attempt += 1) {
        try {
          bodies = (await readThread(server, { site: site.id, post: 'p' })).comments.map(
            (comment) => comment.body,
          );
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      expect({ bodies, lastError: bodies.length === 0 ? lastError : '' }).toEqual({ bodies: ['Written before the database died'], lastError: '' });
      const after = await postComment(server, {
        site: site.id,
        post: 'p',
        body: 'Written after it came back',
      });
      expect(after.comment.id).not.toBe(posted.comment.id);
    }, 120_000);
  },
);

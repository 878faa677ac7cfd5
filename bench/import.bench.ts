/**
 * `npm run bench:import`: writes a Disqus export of 100,000 comments (threads of
 * nested replies, replies before their parents, Cyrillic text), imports it with
 * the command line into a fresh emulator, and prints comments/s and peak memory
 * beside a tenth of the file, so the memory's growth shows. Bounded: one file, one run, 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMongoEmulator } from '@parley/mongo-emulator';
import { writeDisqusExport } from './disqus-export-writer';

/** Runs the import command line, showing its progress lines as they come and keeping them for the figures. */
function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve({ stderr }) : reject(new Error(`import exited with ${String(code)}: ${stderr.slice(-2000)}`))));
  });
}
const COMMENTS = Number(process.env['BENCH_IMPORT_COMMENTS'] ?? 100_000);

interface Measured {
  comments: number;
  megabytes: number;
  seconds: number;
  imported: number;
  peakMb: number;
}

async function measure(work: string, comments: number): Promise<Measured> {
  const emulator = await startMongoEmulator();
  try {
    const file = path.join(work, `disqus-${comments}.xml`);
    await writeDisqusExport(file, comments);
    const size = statSync(file).size;
    const started = Date.now();
    const { stderr } = await run(
      [
        '--import',
        'tsx',
        path.resolve(__dirname, '../scripts/portability-cli.ts'),
        'import',
        '--site',
        'bench-site',
        '--format',
        'disqus',
        file,
      ],
      { ...process.env, MONGODB_URI: emulator.uri, MONGODB_DB: 'bench_import' },
    );
    return {
      comments,
      megabytes: size / 1e6,
      seconds: (Date.now() - started) / 1000,
      imported: Number(/imported (\d+) comments/.exec(stderr)?.[1] ?? 0),
      peakMb: Number(/peak memory (\d+) MB/.exec(stderr)?.[1] ?? Number.NaN),
    };
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'parley-bench-import-'));
  try {
    const small = await measure(work, Math.max(1000, Math.round(COMMENTS / 10)));
    const large = await measure(work, COMMENTS);
    for (const row of [small, large]) {
      process.stdout.write(
        `${row.comments} comments (${row.megabytes.toFixed(1)} MB file): ${row.imported} imported in ${row.seconds.toFixed(1)} s = ${(row.imported / row.seconds).toFixed(0)} comments/s, peak memory ${row.peakMb} MB\n`,
      );
    }
    const growth = large.peakMb / small.peakMb;
    process.stdout.write(
      `peak memory ×${growth.toFixed(2)} for a file ${(large.megabytes / small.megabytes).toFixed(1)}× larger\n`,
    );
    process.stdout.write(
      `${growth < 1.5 ? 'PASS' : 'FAIL'}: memory stays flat (< 1.5× for 10× the comments)\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

import { spawnSync } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { startMongoEmulator, type MongoEmulator } from '../../src';
import { SERVER_VERSION } from '../../src/commands/admin.commands';
import { EXPECTED_EMULATOR_FAILURES, type ManifestEntry } from './manifest';
import { listSpecFiles, loadSpecFile, type SpecFile, type SpecTest } from './unified-format';
import { describeServer, isApplicable, runSpecTest, type ServerFacts } from './unified-runner';

/**
 * MongoDB's CRUD Unified Test Format files, run against the emulator (or, with
 * MONGODB_URI, a real MongoDB). Jest must know which tests apply before it runs any,
 * so the server's version is known up front: the emulator's from its own constant
 * (checked against its buildInfo in beforeAll), a real server's from a short probe.
 */
const realUri = process.env['MONGODB_URI'] ?? '';
const isRealMongo = realUri !== '';

function probeRealServer(uri: string): ServerFacts {
  const script = `
    const { MongoClient } = require('mongodb');
    (async () => {
      const client = await MongoClient.connect(process.argv[1], { serverSelectionTimeoutMS: 10000 });
      const admin = client.db('admin');
      const info = await admin.command({ buildInfo: 1 });
      const hello = await admin.command({ hello: 1 });
      const topology = hello.msg === 'isdbgrid' ? 'sharded' : typeof hello.setName === 'string' ? 'replicaset' : 'single';
      process.stdout.write(JSON.stringify({ version: info.version, topology }));
      await client.close();
    })().catch((error) => { process.stderr.write(String(error)); process.exit(1); });`;
  const probe = spawnSync(process.execPath, ['-e', script, uri], { encoding: 'utf8', timeout: 20_000 });
  if (probe.status !== 0) throw new Error(`cannot reach MONGODB_URI for the spec tests: ${probe.stderr}`);
  return JSON.parse(probe.stdout) as ServerFacts;
}

const expectedFacts: ServerFacts = isRealMongo
  ? probeRealServer(realUri)
  : { version: SERVER_VERSION, topology: 'single' };

const manifest = new Map<string, ManifestEntry>(
  EXPECTED_EMULATOR_FAILURES.filter((entry) => !isRealMongo || entry.kind === 'driver').map((entry) => [
    `${entry.file} › ${entry.test}`,
    entry,
  ]),
);

const files: SpecFile[] = listSpecFiles().map((name) => loadSpecFile(name));

interface Tally {
  applicable: number;
  passed: number;
  expectedFailures: number;
  notApplicable: number;
  /** Applicable tests listed as `driver`: the Node.js driver, not the server, differs (they fail on a real MongoDB too). */
  driverSide: number;
}
const tally: Tally = { applicable: 0, passed: 0, expectedFailures: 0, notApplicable: 0, driverSide: 0 };
const unusedManifestKeys = new Set(manifest.keys());

let emulator: MongoEmulator | undefined;
let uri = realUri;
let admin: MongoClient;

beforeAll(async () => {
  if (!isRealMongo) {
    // The spec tests' failPoint operations need configureFailPoint, as mongod's test runs have it.
    emulator = await startMongoEmulator({ port: 0, enableTestCommands: true });
    uri = emulator.uri;
  }
  admin = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  expect(await describeServer(admin)).toEqual(expectedFacts);
});

afterAll(async () => {
  await admin.close();
  await emulator?.close();
  const rate = tally.applicable === 0 ? 0 : (100 * tally.passed) / tally.applicable;
  const serverSide = tally.applicable - tally.driverSide;
  const serverRate = serverSide === 0 ? 0 : (100 * tally.passed) / serverSide;
  process.stdout.write(
    `CRUD unified spec tests against ${isRealMongo ? `MongoDB ${expectedFacts.version}` : `the emulator (reports ${expectedFacts.version})`}: ` +
      `${tally.passed}/${tally.applicable} applicable tests pass (${rate.toFixed(1)}%); ` +
      `${tally.passed}/${serverSide} (${serverRate.toFixed(1)}%) leaving out the ${tally.driverSide} where the Node.js driver differs from the test; ` +
      `${tally.expectedFailures} expected failures in the manifest, ${tally.notApplicable} not applicable to this server version/topology\n`,
  );
});

describe('the manifest', () => {
  it('names only tests that exist in the spec files', () => {
    const known = new Set(
      files.flatMap((file) => file.tests.map((test) => `${file.fileName} › ${test.description}`)),
    );
    expect([...manifest.keys()].filter((key) => !known.has(key))).toEqual([]);
  });
});

function defineTest(file: SpecFile, test: SpecTest): void {
  const key = `${file.fileName} › ${test.description}`;
  if (!isApplicable(file, test, expectedFacts)) {
    tally.notApplicable += 1;
    it.skip(`${test.description} (needs another server version or topology)`, () => undefined);
    return;
  }
  tally.applicable += 1;
  const entry = manifest.get(key);
  unusedManifestKeys.delete(key);
  if (entry?.kind === 'driver') tally.driverSide += 1;
  if (entry === undefined) {
    it(test.description, async () => {
      const problems = await runSpecTest(file, test, uri, admin);
      expect(problems).toEqual([]);
      tally.passed += 1;
    });
    return;
  }
  it(`${test.description} [manifest, ${entry.kind}: ${entry.reason}]`, async () => {
    const problems = await runSpecTest(file, test, uri, admin);
    // A listed test that passes must leave the manifest, so the list never overstates a gap.
    expect(problems.length === 0 ? 'passes: remove it from the manifest' : 'fails as listed').toBe(
      'fails as listed',
    );
    tally.expectedFailures += 1;
  });
}

for (const file of files) {
  describe(file.fileName, () => {
    for (const test of file.tests) defineTest(file, test);
  });
}

describe('the manifest', () => {
  it('lists no test that does not apply to this server', () => {
    expect([...unusedManifestKeys]).toEqual([]);
  });
});

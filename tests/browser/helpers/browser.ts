import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../helpers/test-server';

/** Debian's Chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  readonly browser: Browser;
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

/**
 * One headless Chromium for a whole test file (the machine has two cores):
 * open a fresh `browser.newContext()` per test instead of a new browser.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  // Playwright refuses `--user-data-dir` in launch() and gives every launch a fresh
  // temporary profile of its own; we add a fresh TMPDIR-scoped cache dir per launch instead.
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'parley-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disk-cache-dir=${path.join(profileDir, 'cache')}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** A port that was free a moment ago: the server must know its public URL before it starts. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The whole service on `http://127.0.0.1:<port>` with PUBLIC_URL set to that
 * address, so the first-start `demo` site accepts the pages the browser opens.
 */
export async function startBrowserTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await findFreePort();
    try {
      return await startTestServer({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env } });
    } catch (error) {
      // Another process took the port between the probe and the listen: try another.
      lastError = error;
    }
  }
  throw lastError;
}

/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { launchBrowser } from '../../tests/browser/helpers/browser';

export interface DemoTiming {
  /** Milliseconds from navigation start to the first comment in the widget, one per fresh browser context. */
  runs: number[];
  median: number;
}

/**
 * Opens `/demo#comments` in headless Chromium (Debian's) in a fresh context each
 * time (no cached bundle, no storage) and measures, in the page's own clock, when
 * the first comment of the thread is on screen.
 */
export async function measureDemoVisible(baseUrl: string, runs: number): Promise<DemoTiming> {
  const launched = await launchBrowser();
  const timings: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      const context = await launched.browser.newContext({ viewport: { width: 1100, height: 900 } });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        await page.goto(`${baseUrl}/demo#comments`, { waitUntil: 'commit' });
        // Polled every animation frame: the moment is known to within a frame.
        const handle = await page.waitForFunction(() => {
          const first = document.querySelector('#parley-thread')?.shadowRoot?.querySelector('li[data-comment-id]');
          return first ? performance.now() : false;
        });
        timings.push(Number(await handle.jsonValue()));
      } finally {
        await context.close();
      }
    }
  } finally {
    await launched.close();
  }
  const sorted = [...timings].sort((a, b) => a - b);
  return { runs: timings, median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN };
}

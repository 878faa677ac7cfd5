/**
 * What makes a run's tail, measured inside the target when BENCH_DIAGNOSE=1:
 * event-loop delay (stalls with when they happened), GC pauses by kind, the
 * database's round trips by command, and the server's own request latency
 * over the run. Printed to stderr at the `commands` message.
 */
import { PerformanceObserver, monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

interface Summary {
  count: number;
  total: number;
  max: number;
  values: number[];
}

const summary = (): Summary => ({ count: 0, total: 0, max: 0, values: [] });
const note = (into: Summary, value: number): void => {
  into.count += 1;
  into.total += value;
  if (value > into.max) into.max = value;
  into.values.push(value);
};
const percentile = (values: number[], share: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
};
const line = (label: string, s: Summary): string =>
  `${label.padEnd(34)} n ${String(s.count).padStart(6)}  mean ${(s.total / Math.max(1, s.count)).toFixed(1).padStart(6)}  p50 ${percentile(s.values, 0.5).toFixed(1).padStart(6)}  p99 ${percentile(s.values, 0.99).toFixed(1).padStart(6)}  max ${s.max.toFixed(1).padStart(6)} ms`;

export interface Diagnostics {
  start(): void;
  requestStarted(): () => void;
  commandStarted(requestId: number, name: string): void;
  commandEnded(requestId: number): void;
  report(): string;
}

export function createDiagnostics(): Diagnostics {
  let histogram: IntervalHistogram | undefined;
  let startedAt = 0;
  let stalls: { at: number; ms: number }[] = [];
  let gc = new Map<string, Summary>();
  let commands = new Map<string, Summary>();
  let requests = summary();
  /** Per 500 ms of the run: requests answered, their max latency. */
  let timeline: { answered: number; max: number; total: number }[] = [];
  const pending = new Map<number, { name: string; at: number }>();
  let ticker: NodeJS.Timeout | undefined;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = String((entry as { detail?: { kind?: number } }).detail?.kind ?? 'gc');
      const name = { '1': 'scavenge', '2': 'mark-compact', '4': 'incremental', '8': 'weak-cb' }[kind] ?? kind;
      let s = gc.get(name);
      if (!s) gc.set(name, (s = summary()));
      note(s, entry.duration);
      if (entry.duration > 20) stalls.push({ at: entry.startTime - startedAt, ms: -entry.duration });
    }
  });
  return {
    start() {
      startedAt = performance.now();
      stalls = [];
      gc = new Map();
      commands = new Map();
      requests = summary();
      timeline = [];
      histogram?.disable();
      histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      observer.disconnect();
      observer.observe({ entryTypes: ['gc'] });
      if (ticker) clearInterval(ticker);
      let last = performance.now();
      ticker = setInterval(() => {
        const now = performance.now();
        const late = now - last - 10;
        if (late > 20) stalls.push({ at: now - startedAt, ms: late });
        last = now;
      }, 10);
      ticker.unref();
    },
    requestStarted() {
      const at = performance.now();
      return () => {
        const now = performance.now();
        const ms = now - at;
        note(requests, ms);
        const slot = Math.floor((now - startedAt) / 500);
        while (timeline.length <= slot) timeline.push({ answered: 0, max: 0, total: 0 });
        const bucket = timeline[slot];
        if (bucket) {
          bucket.answered += 1;
          bucket.total += ms;
          bucket.max = Math.max(bucket.max, ms);
        }
      };
    },
    commandStarted(requestId, name) {
      pending.set(requestId, { name, at: performance.now() });
    },
    commandEnded(requestId) {
      const started = pending.get(requestId);
      if (!started) return;
      pending.delete(requestId);
      let s = commands.get(started.name);
      if (!s) commands.set(started.name, (s = summary()));
      note(s, performance.now() - started.at);
    },
    report() {
      if (ticker) clearInterval(ticker);
      observer.disconnect();
      const out: string[] = ['--- diagnostics (from count-commands) ---'];
      if (histogram) {
        histogram.disable();
        const ms = (ns: number): string => (ns / 1e6).toFixed(1);
        out.push(`event-loop delay: mean ${ms(histogram.mean)}  p50 ${ms(histogram.percentile(50))}  p99 ${ms(histogram.percentile(99))}  max ${ms(histogram.max)} ms`);
      }
      out.push(line('server request latency', requests));
      for (const [name, s] of gc) out.push(line(`gc ${name}`, s));
      const byTotal = [...commands].sort((a, b) => b[1].total - a[1].total).slice(0, 12);
      for (const [name, s] of byTotal) out.push(line(`db ${name}`, s));
      out.push(`stalls > 20 ms (loop lateness; negative = gc pause): ${stalls.map((s) => `${(s.at / 1000).toFixed(2)}s:${s.ms.toFixed(0)}`).join(' ')}`);
      out.push(`timeline per 0.5 s (answered/mean/max ms): ${timeline.map((b) => `${b.answered}/${(b.total / Math.max(1, b.answered)).toFixed(0)}/${b.max.toFixed(0)}`).join(' ')}`);
      return out.join('\n');
    },
  };
}

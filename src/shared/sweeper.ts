import type { Clock } from './clock';

export interface SweeperOptions {
  clock: Clock;
  /** Service time between two sweeps (the clock's, so tests can move it). */
  everyMs: number;
  /** How often (real time) to look whether a sweep is due. */
  checkEveryMs?: number | undefined;
  /** One sweep; a failure is the caller's to log: the next one is tried when due. */
  sweep(now: Date): Promise<void>;
}

export interface Sweeper {
  /** Stops looking and waits for a sweep under way. */
  close(): Promise<void>;
}

/**
 * Runs `sweep` at start and then each time `everyMs` of the service's clock have
 * passed, never two at once. The timer does not keep the process alive.
 */
export function startSweeper(options: SweeperOptions): Sweeper {
  let lastSweep: number | undefined;
  let running: Promise<void> | undefined;
  const tick = (): void => {
    const now = options.clock.now();
    if (running || (lastSweep !== undefined && now.getTime() - lastSweep < options.everyMs)) return;
    lastSweep = now.getTime();
    running = options
      .sweep(now)
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.checkEveryMs ?? 2000);
  timer.unref();
  tick();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}

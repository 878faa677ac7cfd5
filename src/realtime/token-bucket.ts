import type { Clock } from '../shared/clock';

export interface TokenBucket {
  /** Takes one token; false when the bucket is empty. */
  take(): boolean;
  /** Seconds until one token is back (0 when one is available). */
  secondsUntilToken(): number;
}

/** A burst of `capacity`, refilled continuously at `perSecond`; time from the clock. */
export function createTokenBucket(options: { capacity: number; perSecond: number; clock: Clock }): TokenBucket {
  const { capacity, perSecond, clock } = options;
  let tokens = capacity;
  let updatedAt = clock.now().getTime();
  const refill = (): void => {
    const now = clock.now().getTime();
    const elapsedSeconds = Math.max(0, now - updatedAt) / 1000;
    tokens = Math.min(capacity, tokens + elapsedSeconds * perSecond);
    updatedAt = now;
  };
  return {
    take() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    secondsUntilToken() {
      refill();
      return tokens >= 1 || perSecond <= 0 ? 0 : (1 - tokens) / perSecond;
    },
  };
}

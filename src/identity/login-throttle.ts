import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../db/model';
import { AppError } from '../shared/errors';
import type { Clock } from '../shared/clock';

/**
 * Sign-in throttling, counted per account *and* per source (client IP), with
 * one atomic conditional update per attempt so a burst of parallel guesses is
 * counted guess by guess.
 *
 * Why not a hard lock of the account: anyone who knows a moderator's e-mail
 * could then keep them out forever. Instead a source is locked for the
 * account it has been failing on; and when failures on an account pile up
 * from many sources, only sources that have already failed on it are turned
 * away, so the real moderator signing in from a network that has not been
 * guessing still gets in with the right password.
 */
export interface LoginThrottleLimits {
  /** Attempts one source may make on one account per window (a success resets them). */
  perSource: number;
  /** Failures on one account, from every source, after which failing sources are refused. */
  perAccount: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = { perSource: 5, perAccount: 20, windowMs: 15 * 60 * 1000 };

/** Marks the counter of all sources of one account. */
const EVERY_SOURCE = '*';

interface AttemptDoc {
  account: string;
  source: string;
  attempts: number;
  expiresAt: Date;
}

const attemptSchema = new Schema<AttemptDoc>(
  {
    account: { type: String, required: true },
    source: { type: String, required: true },
    attempts: { type: Number, required: true },
    expiresAt: { type: Date, required: true, expires: 0 },
  },
  { collection: 'login_attempts', versionKey: false },
);
attemptSchema.index({ account: 1, source: 1 }, { unique: true });

export interface LoginThrottle {
  /** Counts one attempt before the password is checked; throws ACCOUNT_LOCKED when the source may not try. */
  reserveAttempt(account: string, source: string): Promise<void>;
  recordFailure(account: string): Promise<void>;
  recordSuccess(account: string, source: string): Promise<void>;
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

export function createLoginThrottle(deps: { connection: Connection; clock: Clock; limits?: LoginThrottleLimits }): LoginThrottle {
  const Attempt: Model<AttemptDoc> = modelOn(deps.connection, 'LoginAttempt', attemptSchema);
  const limits = deps.limits ?? DEFAULT_LOGIN_LIMITS;

  const locked = (expiresAt: Date, now: Date): AppError => {
    const retryAfterSeconds = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
    return new AppError('ACCOUNT_LOCKED', 'Too many failed sign-ins from here; try again later', {
      lockedUntil: expiresAt.toISOString(),
      retryAfterSeconds,
    });
  };

  /** Drops a counter whose window has passed (the TTL index only sweeps once a minute). */
  const expire = (account: string, source: string, now: Date) =>
    Attempt.deleteOne({ account, source, expiresAt: { $lte: now } });

  return {
    async reserveAttempt(account, source) {
      const now = deps.clock.now();
      await expire(account, source, now);
      let reserved: AttemptDoc | null;
      try {
        // One conditional update: matches only while the source has attempts left.
        reserved = await Attempt.findOneAndUpdate(
          { account, source, attempts: { $lt: limits.perSource } },
          { $inc: { attempts: 1 }, $setOnInsert: { expiresAt: new Date(now.getTime() + limits.windowMs) } },
          { upsert: true, returnDocument: 'after' },
        ).lean<AttemptDoc>();
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        reserved = null; // the counter exists and is spent
      }
      if (!reserved) {
        const spent = await Attempt.findOne({ account, source }).lean<AttemptDoc>();
        throw locked(spent?.expiresAt ?? new Date(now.getTime() + limits.windowMs), now);
      }
      if (reserved.attempts > 1) {
        // This source has tried before in the window: refuse it while the account is under attack.
        await expire(account, EVERY_SOURCE, now);
        const wide = await Attempt.findOne({ account, source: EVERY_SOURCE }).lean<AttemptDoc>();
        if (wide && wide.attempts >= limits.perAccount) throw locked(wide.expiresAt, now);
      }
    },
    async recordFailure(account) {
      const now = deps.clock.now();
      await expire(account, EVERY_SOURCE, now);
      try {
        await Attempt.updateOne(
          { account, source: EVERY_SOURCE },
          { $inc: { attempts: 1 }, $setOnInsert: { expiresAt: new Date(now.getTime() + limits.windowMs) } },
          { upsert: true },
        );
      } catch (error) {
        // Two first failures raced to insert the counter: count this one on the winner's.
        if (!isDuplicateKey(error)) throw error;
        await Attempt.updateOne({ account, source: EVERY_SOURCE }, { $inc: { attempts: 1 } });
      }
    },
    async recordSuccess(account, source) {
      await Attempt.deleteOne({ account, source });
    },
  };
}

import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE_NAME = 'mongod.lock';

/** Another live process owns the data directory. */
export class DataDirectoryLockedError extends Error {
  readonly ownerPid: number;
  constructor(directory: string, ownerPid: number) {
    super(
      `the data directory ${directory} is in use by process ${ownerPid} (lock file ${path.join(directory, LOCK_FILE_NAME)}); ` +
        'stop that process or choose another directory (--dbpath or EMULATOR_DBPATH)',
    );
    this.name = 'DataDirectoryLockedError';
    this.ownerPid = ownerPid;
  }
}

export interface HeldLock {
  /** True when the previous owner died without releasing it (kill -9, power loss). */
  readonly tookOverFromPid: number | undefined;
  release(): void;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): number | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown };
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) ? parsed.pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the directory's lock file, written whole before it appears (a hard link
 * of a finished temporary file), so a reader never sees a half-written PID. A lock
 * whose process is gone is taken over; one whose process lives is refused.
 */
export function lockDataDirectory(directory: string): HeldLock {
  const lockPath = path.join(directory, LOCK_FILE_NAME);
  const draft = path.join(directory, `${LOCK_FILE_NAME}.${process.pid}.tmp`);
  writeFileSync(
    draft,
    `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`,
  );
  let tookOverFromPid: number | undefined;
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(draft, lockPath);
        break;
      } catch (error: unknown) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(lockPath);
      // A second collision means another process took the lock over at the same moment.
      if (attempt > 0 || (owner !== undefined && isProcessAlive(owner)))
        throw new DataDirectoryLockedError(directory, owner ?? -1);
      tookOverFromPid = owner ?? -1;
      unlinkSync(lockPath);
    }
  } finally {
    unlinkSync(draft);
  }
  let isHeld = true;
  return {
    tookOverFromPid,
    release() {
      if (!isHeld) return;
      isHeld = false;
      if (readOwner(lockPath) === process.pid) unlinkSync(lockPath);
    },
  };
}

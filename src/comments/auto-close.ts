/**
 * Closing old threads: a site's `closeAfterDays` closes each post that many
 * days after Parley first saw it, as a moderator's "Close" would (readers' open
 * widgets are told live, cached pages go, webhooks fire), recorded in the audit
 * log as the system's. A post a moderator opens again is left open.
 */
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock';
import { startSweeper, type Sweeper } from '../shared/sweeper';
import type { SiteRecord } from '../sites';
import type { PostRecord } from './comment.types';
import type { PostStatePatch } from './post.repository';

export interface AutoCloseDeps {
  listSites(): Promise<SiteRecord[]>;
  findDueToClose(site: string, cutoff: Date, limit: number): Promise<PostRecord[]>;
  setPostState(postId: string, patch: PostStatePatch): Promise<PostRecord>;
  /** Records one closing (the audit log). */
  recordClosed(post: PostRecord, closeAfterDays: number): Promise<void>;
  clock: Clock;
  logger: Logger;
  /** How often (real time) the sweeper looks whether a sweep is due on the service's clock. */
  checkEveryMs?: number | undefined;
}

export interface AutoCloseReport {
  /** Posts closed by this sweep, per site. */
  closed: Record<string, number>;
}

/** Service time between sweeps: a post closes at most this late. */
const SWEEP_EVERY_MS = 60_000;
const BATCH = 200;
const DAY_MS = 24 * 3600_000;

/** Closes every post due on every site that sets `closeAfterDays`. */
export async function closeDuePosts(deps: AutoCloseDeps, now: Date): Promise<AutoCloseReport> {
  const closed: Record<string, number> = {};
  for (const site of await deps.listSites()) {
    const days = site.settings.closeAfterDays;
    if (days <= 0) continue;
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    for (;;) {
      const due = await deps.findDueToClose(site.id, cutoff, BATCH);
      for (const post of due) {
        await deps.setPostState(post.id, { closed: true });
        await deps.recordClosed(post, days);
        closed[site.id] = (closed[site.id] ?? 0) + 1;
      }
      if (due.length < BATCH) break;
    }
  }
  return { closed };
}

/** Sweeps at start and then once a minute of the service's clock. */
export function startAutoClose(deps: AutoCloseDeps): Sweeper {
  return startSweeper({
    clock: deps.clock,
    everyMs: SWEEP_EVERY_MS,
    checkEveryMs: deps.checkEveryMs,
    sweep: (now) =>
      closeDuePosts(deps, now)
        .then((report) => {
          if (Object.keys(report.closed).length > 0) deps.logger.info(report, "closed posts past their site's closeAfterDays");
        })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'closing old posts failed; will try again')),
  });
}

import type { Phase, ScreeningContext } from '../../pipeline-types';
import type { Finding } from '../../../contracts/moderation';

/** Seconds an author must wait between comments on this post, or 0 when slow mode is off. */
export function slowModeSeconds(context: Pick<ScreeningContext, 'post' | 'site'>): number {
  const { slowModeSeconds: normal, heatedSlowModeSeconds } = context.site.settings;
  // A heated (or locked-down) post is never less strict than the site's own slow mode.
  return context.post.heat === 'normal' ? normal : Math.max(normal, heatedSlowModeSeconds);
}

/**
 * Folds a body for the repeat check: case, accents, punctuation and spacing
 * don't make a comment new. Bodies with no letters or digits (emoji only)
 * compare by their trimmed text.
 */
export function foldForRepeat(body: string): string {
  let folded = '';
  let pendingSpace = false;
  for (const char of body.normalize('NFKD').toLowerCase()) {
    const isWordChar =
      char.toUpperCase() !== char || (char >= '0' && char <= '9') || (char >= 'a' && char <= 'z');
    if (isWordChar) {
      if (pendingSpace && folded.length > 0) folded += ' ';
      folded += char;
      pendingSpace = false;
    } else if (char.codePointAt(0) !== undefined && !isCombining(char)) {
      pendingSpace = true;
    }
  }
  return folded.length > 0 ? folded : body.trim();
}

function isCombining(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x0300 && code <= 0x036f;
}

/**
 * Slow mode refuses a new comment that comes too soon after the author's last
 * one (edits are exempt); the same text again is held for a moderator rather
 * than refused, so a legitimate re-post after a failed send is not lost.
 */
export const floodPhase: Phase = (context) => {
  const { isEdit, now, recent, text } = context;
  const seconds = slowModeSeconds(context);
  if (!isEdit && seconds > 0 && recent.lastPostedAt !== undefined) {
    const waitedMs = now.getTime() - recent.lastPostedAt.getTime();
    const remainingMs = seconds * 1000 - waitedMs;
    if (remainingMs > 0) {
      const retryAfterSeconds = Math.ceil(remainingMs / 1000);
      const message = `Slow mode is on: you can comment again in ${retryAfterSeconds} s.`;
      return {
        action: 'reject',
        findings: [{ rule: 'flood.slow-mode', category: 'policy', detail: message, action: 'reject' }],
        refusal: { code: 'SLOW_MODE', message, context: { retryAfterSeconds, slowModeSeconds: seconds } },
      };
    }
  }
  // An edit's own earlier body is among the recent bodies, so edits skip the repeat check.
  if (isEdit || recent.recentBodies.length === 0) return undefined;
  const folded = foldForRepeat(text);
  const isRepeat = recent.recentBodies.some((body) => foldForRepeat(body) === folded);
  if (!isRepeat) return undefined;
  const finding: Finding = {
    rule: 'flood.repeat',
    category: 'spam',
    detail: 'The author recently posted the same text.',
    span: [0, text.length],
    action: 'hold',
  };
  return { action: 'hold', findings: [finding] };
};

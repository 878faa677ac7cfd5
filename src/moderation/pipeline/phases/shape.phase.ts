import type { Phase, PhaseResult, Refusal } from '../../pipeline-types';
import { findLinks } from '../text-signals';

function refuse(rule: string, refusal: Refusal): PhaseResult {
  return {
    action: 'reject',
    findings: [{ rule, category: 'policy', detail: refusal.message, action: 'reject' }],
    refusal,
  };
}

/**
 * Refuses comments that cannot be stored at all: empty, too long, too many
 * links, closed post. Length counts the body as written; emptiness and links
 * count what readers will see (Markdown markup alone is empty).
 */
export const shapePhase: Phase = ({ text, reader, post, site, plain }) => {
  const shown = reader?.text ?? text;
  if (post.closed) {
    return refuse('shape.post-closed', {
      code: 'POST_CLOSED',
      message: 'This post is closed to new comments.',
    });
  }
  if (shown.trim().length === 0) {
    return refuse('shape.empty', { code: 'COMMENT_EMPTY', message: 'A comment needs some text.' });
  }
  const { maxLength, maxLinks } = site.settings;
  // Code points never outnumber UTF-16 units: only a long text needs counting.
  const length = text.length > maxLength ? [...text].length : text.length;
  if (length > maxLength) {
    return refuse('shape.too-long', {
      code: 'COMMENT_TOO_LONG',
      message: `A comment may have at most ${maxLength} characters; this one has ${length}.`,
      context: { maxLength, length },
    });
  }
  // A plain text (see `plain-text.ts`) has no link to count.
  const links = plain === undefined ? findLinks(shown).length : 0;
  if (links > maxLinks) {
    return refuse('shape.too-many-links', {
      code: 'COMMENT_TOO_MANY_LINKS',
      message: `A comment may contain at most ${maxLinks} links; this one has ${links}.`,
      context: { maxLinks, links },
    });
  }
  return undefined;
};

import type { CountsDto } from '../contracts/comments';
import { createLoaderTranslator, languageCandidatesOf } from './i18n/loader';

const BADGE_SELECTOR = '[data-parley-count]';
/** Keeps each counts URL short enough for every proxy on the way. */
const POSTS_PER_REQUEST = 50;

function badgesOf(site: string, post: string): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(BADGE_SELECTOR)).filter(
    (badge) => badge.dataset['site'] === site && badge.dataset['post'] === post,
  );
}

/**
 * Writes a count into every badge of a post (as text: nothing from the network becomes
 * markup), in the badge's language: "3 Comments", "3 комментария", "5 коментарів".
 */
export function setBadgeCount(site: string, post: string, count: number): void {
  for (const badge of badgesOf(site, post)) {
    badge.textContent = createLoaderTranslator(languageCandidatesOf(badge)).t('count.comments', { count });
    badge.dataset['parleyCountValue'] = String(count);
  }
}

function groupBadgesBySite(): Map<string, Set<string>> {
  const postsBySite = new Map<string, Set<string>>();
  for (const badge of Array.from(document.querySelectorAll<HTMLElement>(BADGE_SELECTOR))) {
    const site = badge.dataset['site'];
    const post = badge.dataset['post'];
    if (!site || !post) continue;
    let posts = postsBySite.get(site);
    if (!posts) postsBySite.set(site, (posts = new Set()));
    posts.add(post);
  }
  return postsBySite;
}

function isCounts(value: unknown): value is CountsDto {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One batched `GET /sites/:site/counts?posts=a,b` per site (and per 50 posts). */
export async function refreshBadges(base: string): Promise<void> {
  const requests: Promise<void>[] = [];
  for (const [site, postSet] of groupBadgesBySite()) {
    const posts = Array.from(postSet);
    for (let start = 0; start < posts.length; start += POSTS_PER_REQUEST) {
      const batch = posts.slice(start, start + POSTS_PER_REQUEST);
      const url = `${base}/api/v1/sites/${encodeURIComponent(site)}/counts?posts=${batch.map(encodeURIComponent).join(',')}`;
      requests.push(
        fetch(url, { mode: 'cors', credentials: 'omit' })
          .then((response) => (response.ok ? (response.json() as Promise<unknown>) : undefined))
          .then((body) => {
            if (!isCounts(body)) return;
            for (const post of batch) {
              const count = body[post];
              if (typeof count === 'number') setBadgeCount(site, post, count);
            }
          })
          .catch(() => undefined),
      );
    }
  }
  await Promise.all(requests);
}

import { Feed } from 'feed';

/** One published comment as a feed entry. */
export interface FeedEntry {
  id: string;
  /** The entry's permanent IRI (the comment's API URL): stable even if the post moves. */
  iri: string;
  authorName: string;
  /** The comment's sanitised HTML (the DTO's `html`), carried as `content type="html"`. */
  html: string;
  createdAt: Date;
  editedAt: Date | null;
  /** Where a reader opens the comment: the post's page with the comment's permalink. */
  link: string;
  postTitle: string;
}

export interface FeedHead {
  /** A stable IRI for the feed (`tag:` or its own URL). */
  id: string;
  title: string;
  /** The page the feed is about (the post, or the site's first origin). */
  alternate: string;
  /** The feed's own URL. */
  self: string;
  /** Newest change in the feed; when empty, when the post or site was created. */
  updated: Date;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text as HTML: the feed library writes titles and content as `type="html"`
 * CDATA, so comment text is escaped first and can never become markup in a reader.
 * Escaping `>` also keeps `]]>` out of the CDATA sections.
 */
export function textAsHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char).replace(/\r?\n/g, '<br>');
}

/** An Atom 1.0 document of published comments, newest first. */
export function renderAtomFeed(head: FeedHead, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    id: head.id,
    title: head.title,
    link: head.alternate,
    feed: head.self,
    updated: head.updated,
    generator: 'Parley',
    copyright: '',
  });
  for (const entry of entries) {
    feed.addItem({
      id: entry.iri,
      title: textAsHtml(`${entry.authorName} on “${entry.postTitle}”`),
      link: entry.link,
      date: entry.editedAt ?? entry.createdAt,
      published: entry.createdAt,
      // Sanitised HTML has no `]]>` (text is escaped); replaced anyway so the CDATA section cannot end early.
      content: entry.html.trim().replaceAll(']]>', ']]&gt;'),
      author: [{ name: entry.authorName }],
    });
  }
  return feed.atom1();
}

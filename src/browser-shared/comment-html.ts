/**
 * Shared by the widget and the moderator panel bundles (browser code only):
 * builds a comment's allow-listed `html` into Preact nodes.
 */
import { h, type ComponentChildren } from 'preact';
import {
  COMMENT_HTML_ATTRIBUTES,
  COMMENT_HTML_ELEMENTS,
  COMMENT_HTML_MAX_DEPTH,
  COMMENT_LINK_REL,
  COMMENT_LINK_SCHEMES,
  COMMENT_LINK_TARGET,
  SPOILER_CLASS,
} from '../contracts/formatting';

const ELEMENTS = new Set<string>(COMMENT_HTML_ELEMENTS);
const PROTOCOLS = new Set<string>(COMMENT_LINK_SCHEMES.map((scheme) => `${scheme}:`));

export interface CommentHtmlOptions {
  /** Renders a spoiler around its content (the widget hides it until revealed). */
  spoiler: (children: ComponentChildren, key: number) => ComponentChildren;
}

function safeHref(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  try {
    const url = new URL(raw);
    return PROTOCOLS.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function childrenOf(parent: Node, depth: number, options: CommentHtmlOptions): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  parent.childNodes.forEach((node, index) => {
    if (node.nodeType === Node.TEXT_NODE) out.push(node.textContent ?? '');
    else if (node.nodeType === Node.ELEMENT_NODE) out.push(elementOf(node as Element, depth, index, options));
  });
  return out;
}

/**
 * One element as a Preact node, checked against the allow-list again: other
 * elements, and any element nested too deep, become their text; attributes
 * are rebuilt rather than copied.
 */
function elementOf(element: Element, depth: number, key: number, options: CommentHtmlOptions): ComponentChildren {
  const tag = element.tagName.toLowerCase();
  const children = childrenOf(element, depth + 1, options);
  if (!ELEMENTS.has(tag) || depth >= COMMENT_HTML_MAX_DEPTH) return children;
  if (tag === 'br') return h('br', { key });
  if (tag === 'a') {
    const href = safeHref(element.getAttribute('href'));
    return href === undefined ? children : h('a', { key, href, rel: COMMENT_LINK_REL, target: COMMENT_LINK_TARGET }, children);
  }
  if (tag === 'span') return element.classList.contains(SPOILER_CLASS) ? options.spoiler(children, key) : h('span', { key }, children);
  if (tag === 'ol') {
    const start = element.getAttribute('start');
    return h('ol', start !== null && /^\d{1,9}$/.test(start) && COMMENT_HTML_ATTRIBUTES.ol?.includes('start') ? { key, start: Number(start) } : { key }, children);
  }
  return h(tag, { key }, children);
}

/**
 * A comment's `html` as Preact nodes, never through `innerHTML`: parsed by
 * `DOMParser` into an inert document (no scripts run, nothing loads), then
 * rebuilt node by node through the allow-list of `contracts/formatting.ts`.
 */
export function commentHtmlNodes(html: string, options: CommentHtmlOptions): ComponentChildren[] {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  return childrenOf(parsed.body, 0, options);
}

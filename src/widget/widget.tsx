/**
 * The widget bundle (`/build/widget.<hash>.js`), loaded by `/embed.js` when the
 * thread is scrolled near. Renders each thread into the shadow root the loader made.
 */
import { render } from 'preact';
import { App } from './components/app';
import type { PageIdentity } from './api-client';
import type { ThreadPageDto } from '../contracts/comments';
import { followHostTheme } from './host-theme';
import { WidgetController } from './widget-controller';
import { WIDGET_CSS } from './widget.styles';
import { createWidgetTranslator, WIDGET_LANGUAGES } from './i18n';
import { languageCandidatesOf } from './i18n/loader';

function applyStyles(root: ShadowRoot): void {
  // Constructed sheets are untouched by the host page's CSP `style-src`; <style> is the fallback.
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = WIDGET_CSS;
  root.appendChild(style);
}

const MAX_TITLE_LENGTH = 300;

/** The post's canonical URL and title: `data-url` / `data-title`, else the page's canonical link and title. */
function readPageIdentity(host: HTMLElement): PageIdentity {
  // Parley's own framed page (`/embed/:site/:post`) is not the article: only what the
  // embedding page passed (`&url=`, `&title=`) describes the post.
  const isFramed = host.dataset['framed'] !== undefined;
  const canonical = isFramed ? undefined : document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  const candidate = host.dataset['url'] || canonical || (isFramed ? '' : location.href.split('#')[0]) || '';
  if (candidate === '' && isFramed) {
    const framedTitle = (host.dataset['title'] ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH).trim();
    return framedTitle ? { postTitle: framedTitle } : {};
  }
  let postUrl: string | undefined;
  try {
    const url = new URL(candidate, location.href);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.href.length <= 2048) postUrl = url.href;
  } catch {
    postUrl = undefined;
  }
  const title = (host.dataset['title'] || (isFramed ? '' : document.title)).replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH).trim();
  return { ...(postUrl ? { postUrl } : {}), ...(title ? { postTitle: title } : {}) };
}

/**
 * The first page the host page inlined (`data-initial-page` names a `<script type="application/json">`),
 * when it reads as a thread page; otherwise undefined and the widget fetches it.
 */
function readInitialPage(host: HTMLElement): ThreadPageDto | undefined {
  const id = host.dataset['initialPage'];
  if (!id) return undefined;
  const element = document.getElementById(id);
  if (!(element instanceof HTMLScriptElement) || element.type !== 'application/json') return undefined;
  try {
    const value: unknown = JSON.parse(element.textContent ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const page = value as Partial<ThreadPageDto>;
    const isPage = Array.isArray(page.comments) && typeof page.sort === 'string' && typeof page.seq === 'number' && typeof page.post === 'object' && page.post !== null;
    return isPage ? (value as ThreadPageDto) : undefined;
  } catch {
    return undefined;
  }
}

function mount(host: HTMLElement, root: ShadowRoot): void {
  if (host.dataset['parleyMounted'] === 'true') return;
  host.dataset['parleyMounted'] = 'true';
  root.replaceChildren();
  followHostTheme(host);
  applyStyles(root);
  const container = document.createElement('div');
  root.appendChild(container);

  const requestedLang = host.dataset['lang'];
  if (requestedLang && !WIDGET_LANGUAGES.some((lang) => requestedLang.toLowerCase().split(/[-_]/)[0] === lang)) {
    // Said where the site's developer looks; readers get the page's or the browser's language instead.
    console.warn(`Parley: data-lang="${requestedLang}" is not available (${WIDGET_LANGUAGES.join(', ')}); using the page's or the browser's language.`);
  }
  const translator = createWidgetTranslator(languageCandidatesOf(host));
  container.lang = translator.lang;
  const site = host.dataset['site'];
  const post = host.dataset['post'];
  if (!site || !post) {
    container.textContent = translator.t('setup.missingAttributes');
    return;
  }
  const parley = window.Parley;
  const controller = new WidgetController({
    base: parley?._base ?? location.origin,
    site,
    post,
    page: readPageIdentity(host),
    initialSsoToken: host.dataset['ssoToken'] || null,
    parley,
    initialPage: readInitialPage(host),
  });
  render(<App controller={controller} translator={translator} />, container);
}

window.Parley?._registerWidget({ mount });

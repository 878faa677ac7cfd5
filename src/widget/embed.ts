/**
 * `/embed.js`: the tiny loader blogs include. It fills the count badges at once,
 * reserves the thread's box, and fetches the (content-hashed, long-cached) widget
 * bundle only when the thread is scrolled near.
 */
import { refreshBadges, setBadgeCount } from './count-badges';
import type { AuthListener, ParleyGlobal, WidgetImplementation } from './runtime';
import { LOADING_CSS } from './loading.styles';
import { createLoaderTranslator, languageCandidatesOf } from './i18n/loader';

/** Replaced at build time with the hashed bundle's file name. */
declare const __PARLEY_WIDGET_FILE__: string;
declare const __PARLEY_VERSION__: string;

const THREAD_SELECTOR = '#parley-thread, [data-parley-thread]';
/** Start loading a screen or so before the reader reaches the comments. */
const PRELOAD_MARGIN = '800px 0px';

function findOwnScriptSrc(): string | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'));
  return scripts.find((script) => new URL(script.src, location.href).pathname.endsWith('/embed.js'))?.src;
}

function deriveBase(src: string | undefined): string {
  if (!src) return location.origin;
  const url = new URL(src, location.href);
  return url.origin + url.pathname.replace(/\/embed\.js$/, '');
}

function createParley(base: string): ParleyGlobal {
  const authListeners = new Set<AuthListener>();
  let implementation: WidgetImplementation | undefined;
  let bundleRequested = false;
  const waitingHosts: { host: HTMLElement; root: ShadowRoot }[] = [];

  const notifyAuth = (token: string | null): void => {
    parley._ssoToken = token;
    for (const listener of authListeners) listener(token);
  };

  const parley: ParleyGlobal & { _load(host: HTMLElement, root: ShadowRoot): void } = {
    version: __PARLEY_VERSION__,
    _base: base,
    _ssoToken: undefined,
    login: (token) => notifyAuth(String(token)),
    logout: () => notifyAuth(null),
    refreshCounts: () => void refreshBadges(base),
    _onAuthChange(listener) {
      authListeners.add(listener);
      return () => authListeners.delete(listener);
    },
    _setCount: setBadgeCount,
    _registerWidget(registered) {
      implementation = registered;
      for (const waiting of waitingHosts.splice(0)) registered.mount(waiting.host, waiting.root);
    },
    _load(host, root) {
      if (implementation) {
        implementation.mount(host, root);
        return;
      }
      waitingHosts.push({ host, root });
      if (bundleRequested) return;
      bundleRequested = true;
      const script = document.createElement('script');
      script.src = `${base}/build/${__PARLEY_WIDGET_FILE__}`;
      script.async = true;
      script.onerror = () => {
        bundleRequested = false;
        for (const waiting of waitingHosts) showLoadFailure(waiting.host, waiting.root);
      };
      document.head.appendChild(script);
    },
  };
  return parley;
}

function showLoadFailure(host: HTMLElement, root: ShadowRoot): void {
  const message = root.querySelector('.parley-loading');
  if (message) message.textContent = createLoaderTranslator(languageCandidatesOf(host)).t('loader.failed');
}

/** Attaches the shadow root now, so the box is reserved before the bundle arrives. */
function prepareThread(host: HTMLElement): ShadowRoot | undefined {
  if (host.shadowRoot) return undefined;
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = LOADING_CSS;
  const message = document.createElement('p');
  message.className = 'parley-loading';
  message.setAttribute('role', 'status');
  const translator = createLoaderTranslator(languageCandidatesOf(host));
  message.lang = translator.lang;
  message.textContent = translator.t('loader.loading');
  root.append(style, message);
  return root;
}

function start(): void {
  const existing = window.Parley as (ParleyGlobal & { _load?: unknown }) | undefined;
  const parley = existing && typeof existing._load === 'function' ? existing : createParley(deriveBase(findOwnScriptSrc()));
  window.Parley = parley;
  const loader = parley as ParleyGlobal & { _load(host: HTMLElement, root: ShadowRoot): void };
  const load = (host: HTMLElement, root: ShadowRoot): void => loader._load(host, root);

  const run = (): void => {
    void refreshBadges(parley._base);
    const hosts = Array.from(document.querySelectorAll<HTMLElement>(THREAD_SELECTOR));
    const prepared = hosts.flatMap((host) => {
      const root = prepareThread(host);
      return root ? [{ host, root }] : [];
    });
    if (prepared.length === 0) return;
    if (!('IntersectionObserver' in window)) {
      for (const { host, root } of prepared) load(host, root);
      return;
    }
    const roots = new Map(prepared.map(({ host, root }) => [host as Element, root]));
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const root = roots.get(entry.target);
          if (!entry.isIntersecting || !root) continue;
          observer.unobserve(entry.target);
          load(entry.target as HTMLElement, root);
        }
      },
      { rootMargin: PRELOAD_MARGIN },
    );
    for (const { host } of prepared) observer.observe(host);
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

start();

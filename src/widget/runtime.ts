/**
 * The contract between the tiny loader (`/embed.js`) and the lazily loaded widget
 * bundle: the loader installs `window.Parley`, the bundle registers itself on it.
 * Both are built separately, so this file holds types and a few small helpers only.
 */

/** What the widget bundle gives the loader once it has executed. */
export interface WidgetImplementation {
  /** Renders the thread of `host` (a `#parley-thread` element) into its shadow root. */
  mount(host: HTMLElement, root: ShadowRoot): void;
}

export type AuthListener = (ssoToken: string | null) => void;

/** `window.Parley`: the host page's API plus the loader's internals (underscored). */
export interface ParleyGlobal {
  readonly version: string;
  /** Signs a reader in with the host site's SSO token (an HS256 JWT). */
  login(token: string): void;
  /** Forgets the SSO token; the reader comments as a guest again. */
  logout(): void;
  /** Fetches every count badge on the page again (e.g. after adding badges). */
  refreshCounts(): void;
  /** The service's base URL, derived from the loader script's own `src`. */
  readonly _base: string;
  /** The SSO token set through `login()`; undefined when neither login() nor logout() was called. */
  _ssoToken: string | null | undefined;
  _onAuthChange(listener: AuthListener): () => void;
  /** Updates every badge of one post (the widget calls it on `count:updated`). */
  _setCount(site: string, post: string, count: number): void;
  _registerWidget(implementation: WidgetImplementation): void;
}

declare global {
  interface Window {
    Parley?: ParleyGlobal;
  }
}

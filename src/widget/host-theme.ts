/**
 * Which theme the widget wears on its host page. `data-theme="light"` or
 * `"dark"` forces one; `"auto"` (and no attribute, the default) follows the
 * host page itself: the luminance of the background behind the thread, so a
 * light blog gets a light widget even when the reader's OS is in dark mode.
 * A page with no background of its own is the browser's white canvas, unless
 * it declares a dark `color-scheme` and the OS is dark.
 */
export type WidgetTheme = 'light' | 'dark';

const THEMES = new Set(['light', 'dark', 'auto']);

/** Relative luminance (WCAG) of an `rgb()`/`rgba()` colour; undefined when transparent or unreadable. */
export function luminanceOf(color: string): number | undefined {
  const match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(color.trim());
  if (!match) return undefined;
  const alphaText = match[4];
  const alpha = alphaText === undefined ? 1 : alphaText.endsWith('%') ? Number.parseFloat(alphaText) / 100 : Number(alphaText);
  if (!(alpha > 0.5)) return undefined;
  const channel = (value: string | undefined): number => {
    const c = Number(value ?? 0) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(match[1]) + 0.7152 * channel(match[2]) + 0.0722 * channel(match[3]);
}

/** The first opaque background behind `element`, walking up to the root; undefined if there is none. */
function backgroundLuminance(element: Element): number | undefined {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const luminance = luminanceOf(getComputedStyle(node).backgroundColor);
    if (luminance !== undefined) return luminance;
  }
  return undefined;
}

export function resolveTheme(host: HTMLElement): WidgetTheme {
  const requested = host.dataset['theme'];
  if (requested === 'light' || requested === 'dark') return requested;
  const luminance = backgroundLuminance(host);
  if (luminance !== undefined) return luminance < 0.4 ? 'dark' : 'light';
  // No background anywhere: the browser's canvas, white unless the page opts into a dark colour scheme.
  const optsIntoDark = /dark/.test(getComputedStyle(document.documentElement).colorScheme);
  const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches === true;
  return optsIntoDark && prefersDark ? 'dark' : 'light';
}

/** Sets `data-parley-theme` on the host now and whenever the page's theme changes; returns the stopper. */
export function followHostTheme(host: HTMLElement): () => void {
  const requested = host.dataset['theme'];
  if (requested !== undefined && !THEMES.has(requested)) {
    console.warn(`Parley: data-theme="${requested}" is not one of light, dark, auto; following the page's background.`);
  }
  const apply = (): void => {
    const theme = resolveTheme(host);
    if (host.dataset['parleyTheme'] !== theme) host.dataset['parleyTheme'] = theme;
  };
  apply();
  // Blogs switch themes with a class or attribute on <html>/<body>, or the OS setting changes.
  const observer = new MutationObserver(apply);
  const watched = { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] };
  observer.observe(document.documentElement, watched);
  if (document.body) observer.observe(document.body, watched);
  observer.observe(host, { attributes: true, attributeFilter: ['data-theme'] });
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', apply);
  return () => {
    observer.disconnect();
    media?.removeEventListener('change', apply);
  };
}

export type Theme = 'light' | 'dark';

const KEY = 'parley.panel.theme';

/** The saved choice, else the system's preference. */
export function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage disabled: follow the system.
  }
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme, shouldSave: boolean): void {
  document.documentElement.dataset['theme'] = theme;
  document.documentElement.style.colorScheme = theme;
  if (!shouldSave) return;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered across visits; still applied.
  }
}

/**
 * The widget's stylesheet, scoped by its shadow root. Hosts theme it with CSS
 * custom properties set on the thread element or any ancestor (`--parley-*`).
 */
export const WIDGET_CSS = `
:host {
  all: initial;
  display: block;
  contain: layout;
  --p-font: var(--parley-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  --p-size: var(--parley-font-size, 15px);
  --p-radius: var(--parley-radius, 8px);
  --p-bg: var(--parley-bg, #ffffff);
  --p-surface: var(--parley-surface, #f6f7f9);
  --p-fg: var(--parley-fg, #1f2328);
  --p-muted: var(--parley-muted, #5f6670);
  --p-border: var(--parley-border, #d8dce1);
  --p-accent: var(--parley-accent, #1f5fbf);
  --p-accent-fg: var(--parley-accent-fg, #ffffff);
  --p-danger: var(--parley-danger, #b42318);
  --p-warning-bg: var(--parley-warning-bg, #fff4d6);
  --p-warning-fg: var(--parley-warning-fg, #6b4a00);
  --p-focus: var(--parley-focus, #1f5fbf);
  color-scheme: light;
}
:host([data-parley-theme="dark"]) {
  --p-bg: var(--parley-dark-bg, #16181d);
  --p-surface: var(--parley-dark-surface, #1f232a);
  --p-fg: var(--parley-dark-fg, #e6e8eb);
  --p-muted: var(--parley-dark-muted, #a2a9b3);
  --p-border: var(--parley-dark-border, #353b45);
  --p-accent: var(--parley-dark-accent, #7fb0ff);
  --p-accent-fg: var(--parley-dark-accent-fg, #0d1117);
  --p-danger: var(--parley-dark-danger, #ff8a80);
  --p-warning-bg: var(--parley-dark-warning-bg, #3a2f10);
  --p-warning-fg: var(--parley-dark-warning-fg, #f5d77a);
  --p-focus: var(--parley-dark-focus, #7fb0ff);
  color-scheme: dark;
}
*, *::before, *::after { box-sizing: border-box; }
.parley {
  font-family: var(--p-font);
  font-size: var(--p-size);
  line-height: 1.5;
  color: var(--p-fg);
  background: var(--p-bg);
  border-radius: var(--p-radius);
  padding: 16px;
  min-width: 0;
  overflow-wrap: anywhere;
}
.parley[aria-busy="true"] { min-height: 320px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
button, input, textarea, select { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--p-focus); outline-offset: 2px; }
.bar {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: 8px 16px; padding-bottom: 12px; margin-bottom: 16px; border-bottom: 1px solid var(--p-border);
}
.count { margin: 0; font-size: 1.25em; font-weight: 700; letter-spacing: -0.01em; }
.sort { display: inline-flex; border: 1px solid var(--p-border); border-radius: 999px; padding: 2px; }
.sort button {
  border: 0; background: transparent; padding: 4px 12px; border-radius: 999px; color: var(--p-muted); font-size: 0.9em;
}
.sort button[aria-pressed="true"] { background: var(--p-surface); color: var(--p-fg); font-weight: 600; }
.composer { display: grid; gap: 8px; margin: 0 0 16px; }
.composer label, .field-label { font-size: 0.85em; font-weight: 600; color: var(--p-muted); }
.composer input, .composer textarea, .inline-form textarea, .inline-form select {
  width: 100%; min-width: 0; border: 1px solid var(--p-border); border-radius: calc(var(--p-radius) - 2px);
  background: var(--p-bg); padding: 8px 10px;
}
.composer textarea, .inline-form textarea { min-height: 5.5em; resize: vertical; line-height: 1.45; }
.composer-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; }
.identity { font-size: 0.85em; color: var(--p-muted); }
.primary {
  border: 1px solid var(--p-accent); background: var(--p-accent); color: var(--p-accent-fg);
  border-radius: 999px; padding: 6px 16px; font-weight: 600;
}
.primary[aria-disabled="true"] { opacity: 0.6; cursor: progress; }
.secondary { border: 1px solid var(--p-border); background: transparent; border-radius: 999px; padding: 6px 14px; }
.link {
  border: 0; background: none; padding: 2px 0; color: var(--p-muted); font-size: 0.85em; font-weight: 600;
}
.link:hover { color: var(--p-accent); text-decoration: underline; }
.link.danger:hover { color: var(--p-danger); }
.error { margin: 0; color: var(--p-danger); font-size: 0.9em; }
.notice { margin: 0; color: var(--p-muted); font-size: 0.9em; }
.new-banner {
  display: block; width: 100%; margin: 0 0 12px; padding: 8px 12px; border: 1px solid var(--p-accent);
  border-radius: 999px; background: var(--p-surface); color: var(--p-accent); font-weight: 600;
}
.thread, .replies { list-style: none; margin: 0; padding: 0; }
.thread > li + li { border-top: 1px solid var(--p-border); }
.thread > li { padding: 12px 0; }
.replies { margin-top: 8px; padding-left: 16px; border-left: 2px solid var(--p-border); }
.replies > li { padding: 8px 0 0; }
.comment { min-width: 0; }
.comment-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; font-size: 0.9em; }
.author { font-weight: 700; }
.verified { font-size: 0.8em; color: var(--p-accent); font-weight: 600; }
.meta, .meta time { color: var(--p-muted); }
.badge {
  display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 0.8em; font-weight: 600;
  background: var(--p-warning-bg); color: var(--p-warning-fg);
}
.author-badge {
  display: inline-block; padding: 0 7px; border-radius: 999px; font-size: 0.75em; font-weight: 600;
  border: 1px solid var(--p-border); color: var(--p-muted); max-width: 16em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.author-badge.is-staff { background: var(--p-accent); border-color: var(--p-accent); color: var(--p-accent-fg); }
.featured { margin: 0 0 14px; padding: 10px 12px; border: 1px solid var(--p-border); border-radius: var(--p-radius); background: var(--p-surface); }
.featured-title { margin: 0 0 6px; font-size: 0.95em; }
.featured-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.featured-open {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; width: 100%; text-align: left;
  font: inherit; color: inherit; background: none; border: 0; padding: 4px 0; cursor: pointer;
}
.featured-open:focus-visible { outline: 2px solid var(--p-focus); outline-offset: 2px; }
.featured-excerpt { flex-basis: 100%; overflow-wrap: anywhere; }
.featured-link { font-size: 0.85em; color: var(--p-accent); text-decoration: underline; }
.body { margin: 4px 0 6px; white-space: pre-wrap; }
.body a { color: var(--p-accent); text-decoration: underline; text-underline-offset: 2px; }
.body.formatted { white-space: normal; overflow-wrap: anywhere; }
.formatted p { margin: 0 0 6px; }
.formatted p:last-child { margin-bottom: 0; }
.formatted blockquote { margin: 4px 0 6px; padding-left: 10px; border-left: 3px solid var(--p-border); color: var(--p-muted); }
.formatted ul, .formatted ol { margin: 4px 0 6px; padding-left: 22px; }
.formatted code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; background: var(--p-surface); padding: 0 3px; border-radius: 3px; }
.formatted pre { white-space: pre-wrap; margin: 4px 0 6px; padding: 6px 8px; border-radius: 4px; background: var(--p-surface); }
.formatted pre code { background: none; padding: 0; }
.spoiler { border-radius: 3px; }
.spoiler[role="button"] { cursor: pointer; background: var(--p-fg); color: transparent; }
.spoiler[role="button"] * { color: transparent !important; background: transparent !important; border-color: transparent !important; }
.spoiler[role="button"]:focus-visible { outline: 2px solid var(--p-accent); outline-offset: 1px; }
.spoiler.is-revealed { background: var(--p-surface); }
.format-tabs { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; }
.format-tabs [role="tab"] { padding: 2px 10px; border: 1px solid var(--p-border); border-radius: 999px; background: transparent; color: inherit; font: inherit; font-size: 0.85em; cursor: pointer; }
.format-tabs [role="tab"][aria-selected="true"] { background: var(--p-accent); color: var(--p-accent-fg); border-color: var(--p-accent); }
.format-toolbar { display: flex; flex-wrap: wrap; gap: 2px; margin-left: auto; }
.format-toolbar button { min-width: 28px; padding: 2px 6px; border: 1px solid transparent; border-radius: 4px; background: transparent; color: inherit; font: inherit; font-size: 0.85em; cursor: pointer; }
.format-toolbar button:hover, .format-toolbar button:focus-visible { border-color: var(--p-border); }
.format-preview { min-height: 4.5em; padding: 8px 10px; border: 1px solid var(--p-border); border-radius: var(--p-radius); }
.format-help { margin: 2px 0 0; font-size: 0.78em; color: var(--p-muted); }
.formatting-field textarea { width: 100%; box-sizing: border-box; }
.format-preview .hint { color: var(--p-muted); font-style: italic; margin: 0; }
.tombstone { margin: 4px 0; font-style: italic; color: var(--p-muted); }
.pending-comment .body { opacity: 0.8; }
.actions { display: flex; flex-wrap: wrap; gap: 4px 14px; }
.inline-form { display: grid; gap: 8px; margin: 8px 0 4px; }
.inline-form .composer-row { justify-content: flex-start; }
.more { margin-top: 8px; }
.footer { margin-top: 16px; font-size: 0.8em; color: var(--p-muted); text-align: right; }
.status-line { margin: 0 0 8px; font-size: 0.85em; color: var(--p-muted); }
.back { margin-bottom: 12px; }
@media (max-width: 480px) {
  .parley { padding: 12px 10px; }
  .replies { padding-left: 10px; }
  .sort button { padding: 4px 9px; }
}
.banner {
  margin: 0 0 12px;
  padding: 8px 12px;
  border-radius: var(--p-radius);
  background: var(--p-warning-bg);
  color: var(--p-warning-fg);
}
.own-notice {
  margin: 4px 0;
  font-size: 0.92em;
  color: var(--p-warning-fg);
  background: var(--p-warning-bg);
  border-radius: calc(var(--p-radius) / 2);
  padding: 4px 8px;
}
.own-notice.is-removed { color: var(--p-danger); background: transparent; border: 1px solid var(--p-danger); }
.removed-own-comment .body { opacity: 0.7; }
.badge-ok { background: var(--p-accent); color: var(--p-accent-fg); }
.comment.is-highlighted {
  outline: 2px solid var(--p-accent);
  outline-offset: 4px;
  border-radius: calc(var(--p-radius) / 2);
}
a.link.permalink { text-decoration: none; color: var(--p-muted); }
a.link.permalink:hover, a.link.permalink:focus-visible { color: var(--p-accent); text-decoration: underline; }
.nudge { margin: 4px 0 8px; padding: 8px 12px; border-radius: var(--p-radius); background: var(--p-warning-bg); color: var(--p-warning-fg); }
.nudge p, .nudge ul { margin: 0 0 6px; }
.nudge ul { padding-left: 1.2em; }
.nudge-title { font-weight: 600; }
.notify { display: grid; gap: 6px; }
.composer .check { display: inline-flex; align-items: center; gap: 6px; font-weight: 600; color: var(--p-fg); cursor: pointer; }
.composer .check input { width: auto; margin: 0; }
.mail-outcome { margin: -8px 0 16px; }
.your-data-open { margin-top: 12px; }
.your-data { display: grid; gap: 8px; margin-top: 16px; padding: 10px 12px; border: 1px solid var(--p-border); border-radius: var(--p-radius); background: var(--p-surface); }
.your-data-title { margin: 0; font-weight: 700; }
.your-data .own-notice { margin: 0; }
.danger.primary { border-color: var(--p-danger); background: var(--p-danger); }
.danger.secondary { color: var(--p-danger); border-color: var(--p-danger); }
`;

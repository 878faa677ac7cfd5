/** The demo news page's stylesheet, served as `/demo/demo.css` (the CSP allows no inline script, and we keep styles out of the HTML too). */
export const DEMO_CSS = `
:root {
  --page-bg: #fbfaf7; --page-fg: #1b1b1b; --page-muted: #5d5d5d; --page-rule: #e2ded6; --page-accent: #a1281c;
  --parley-accent: #a1281c; --parley-bg: #fbfaf7; --parley-surface: #f1eee7; --parley-border: #e2ded6;
  --parley-dark-accent: #ff9b8f;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) {
    --page-bg: #121316; --page-fg: #e8e6e1; --page-muted: #a6a39c; --page-rule: #2c2e33; --page-accent: #ff9b8f;
    --parley-dark-bg: #121316;
  }
}
:root[data-theme="dark"] {
  --page-bg: #121316; --page-fg: #e8e6e1; --page-muted: #a6a39c; --page-rule: #2c2e33; --page-accent: #ff9b8f;
  --parley-dark-bg: #121316;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--page-bg); color: var(--page-fg); font: 18px/1.65 Georgia, "Times New Roman", serif; }
a { color: var(--page-accent); }
.masthead { border-bottom: 3px double var(--page-rule); padding: 14px 20px; display: flex; align-items: baseline; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.brand { font: 700 26px/1.1 Georgia, serif; letter-spacing: -0.02em; color: var(--page-fg); text-decoration: none; }
.section-nav { font: 600 13px/1.4 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.08em; display: flex; gap: 14px; flex-wrap: wrap; }
.section-nav a { color: var(--page-muted); text-decoration: none; }
.section-nav a[aria-current="page"] { color: var(--page-accent); }
main { max-width: 720px; margin: 0 auto; padding: 28px 20px 64px; }
.kicker { font: 700 13px/1.3 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.1em; color: var(--page-accent); margin: 0 0 10px; }
h1 { font-size: clamp(28px, 6vw, 42px); line-height: 1.15; letter-spacing: -0.015em; margin: 0 0 14px; }
.standfirst { font-size: 20px; line-height: 1.5; color: var(--page-muted); margin: 0 0 18px; }
.byline { font: 14px/1.5 system-ui, sans-serif; color: var(--page-muted); display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; padding: 10px 0; border-top: 1px solid var(--page-rule); border-bottom: 1px solid var(--page-rule); margin-bottom: 26px; }
.byline strong { color: var(--page-fg); }
.comment-link { font-weight: 600; text-decoration: none; white-space: nowrap; }
.comment-link:hover { text-decoration: underline; }
.article-body p { margin: 0 0 1.1em; }
.dateline { font-weight: 700; letter-spacing: 0.03em; }
.note { font: 14px/1.5 system-ui, sans-serif; color: var(--page-muted); border-top: 1px solid var(--page-rule); padding-top: 12px; margin-top: 28px; }
.comments-section { margin-top: 40px; }
.comments-section > h2 { font: 700 13px/1.3 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.1em; color: var(--page-muted); margin: 0 0 12px; }
footer.site-footer { border-top: 1px solid var(--page-rule); padding: 20px; text-align: center; font: 13px/1.5 system-ui, sans-serif; color: var(--page-muted); }
@media (max-width: 480px) {
  body { font-size: 17px; }
  main { padding: 20px 14px 48px; }
  .masthead { padding: 12px 14px; }
  .standfirst { font-size: 18px; }
}
`;

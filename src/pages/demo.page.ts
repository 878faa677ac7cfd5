export type DemoTheme = 'light' | 'dark';

export interface DemoPageOptions {
  /** Forces a colour scheme on the page and the widget; absent follows the reader's system. */
  theme?: DemoTheme | undefined;
  /**
   * The thread's first page as every reader without an identity sees it (serialised JSON),
   * inlined so the widget shows it without asking for it after its bundle arrives.
   */
  initialThreadJson?: string | undefined;
  /** The widget bundle's hashed path, fetched at once beside the page instead of after embed.js asks for it. */
  widgetScriptPath?: string | undefined;
}

/** The id of the inlined first page; the thread's host names it in `data-initial-page`. */
export const INITIAL_PAGE_ELEMENT_ID = 'parley-initial-page';

/** JSON safe inside a `<script>` element: no `</script>`, `<!--` or line separators can end it early. */
function scriptSafeJson(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The demo thread's keys, also used by the first-start seeding of site `demo`. */
export const DEMO_SITE = 'demo';
export const DEMO_POST = 'istanbul-talks';

const ARTICLE = {
  kicker: 'Europe · Diplomacy',
  headline: 'Russia and Ukraine agree on prisoner swap in Istanbul talks but no truce',
  standfirst:
    'The first direct negotiations between the two sides since 2022 lasted less than two hours and ended with an agreement to exchange 1,000 prisoners each, but no ceasefire.',
  published: '2025-05-16T17:30:00Z',
  publishedLabel: 'May 16, 2025',
  paragraphs: [
    'Russian and Ukrainian delegations agreed on Friday to exchange 1,000 prisoners of war each, the largest such swap of the conflict, at their first face-to-face talks in more than three years, but the meeting in Istanbul ended without an agreement on a ceasefire.',
    "The talks at the Dolmabahçe Palace on the Bosphorus, hosted by Turkish Foreign Minister Hakan Fidan, lasted less than two hours. Ukraine's delegation was led by Defence Minister Rustem Umerov; Russia's by Vladimir Medinsky, an aide to President Vladimir Putin who also headed Moscow's team at the last direct negotiations in the spring of 2022.",
    'Speaking to reporters after the meeting, Umerov said the prisoner exchange would take place in the near future and that the sides had discussed a ceasefire and a possible meeting between the two countries\' leaders. Medinsky said Moscow was satisfied with the outcome and that each side had agreed to set out in detail its vision of a possible future ceasefire before talks continued.',
    'Kyiv and its European allies have pressed for an immediate and unconditional 30-day truce as a first step towards a settlement. Moscow has said the root causes of the conflict must be addressed first and that a ceasefire must not allow Ukraine to rearm. A Ukrainian official familiar with the talks said the Russian delegation had put forward demands that Kyiv considered unacceptable, including territorial ones; the Kremlin did not comment on that account.',
    'The meeting itself was the product of days of uncertainty. Putin had proposed direct talks in Istanbul but did not attend, and President Volodymyr Zelenskiy, who had said he was ready to meet the Russian leader in person, sent a delegation instead. U.S. officials, who have pushed both sides towards a deal, met the delegations separately in the city on the same day.',
    'Prisoner exchanges have been one of the few areas of steady cooperation between the warring sides, often brokered by third countries. Diplomats said the agreed swap offered a humanitarian result and a possible basis for further contacts, while cautioning that the gap between the two sides\' positions on a ceasefire and a lasting settlement remained wide.',
  ],
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The sample news post with the comment widget embedded, as a blog would embed it. */
export function renderDemoPage(options: DemoPageOptions = {}): string {
  const themeAttribute = options.theme ? ` data-theme="${options.theme}"` : '';
  const initialPage =
    options.initialThreadJson === undefined
      ? ''
      : `\n        <script type="application/json" id="${INITIAL_PAGE_ELEMENT_ID}">${scriptSafeJson(options.initialThreadJson)}</script>`;
  const initialAttribute = options.initialThreadJson === undefined ? '' : ` data-initial-page="${INITIAL_PAGE_ELEMENT_ID}"`;
  const paragraphs = ARTICLE.paragraphs
    .map((text, index) =>
      index === 0
        ? `<p><span class="dateline">ISTANBUL, May 16 —</span> ${escapeHtml(text)}</p>`
        : `<p>${escapeHtml(text)}</p>`,
    )
    .join('\n        ');
  return `<!doctype html>
<html lang="en"${themeAttribute}>
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(ARTICLE.headline)} · The Parley Herald</title>
    <meta name="description" content="${escapeHtml(ARTICLE.standfirst)}">
    <link rel="stylesheet" href="/demo/demo.css">${options.widgetScriptPath === undefined ? '' : `\n    <link rel="preload" as="script" href="${escapeHtml(options.widgetScriptPath)}">`}
  </head>
  <body>
    <header class="masthead">
      <a class="brand" href="/demo">The Parley Herald</a>
      <nav class="section-nav" aria-label="Sections">
        <a href="/demo" aria-current="page">World</a>
        <a href="/demo">Europe</a>
        <a href="/demo">Diplomacy</a>
      </nav>
    </header>
    <main>
      <article>
        <p class="kicker">${escapeHtml(ARTICLE.kicker)}</p>
        <h1>${escapeHtml(ARTICLE.headline)}</h1>
        <p class="standfirst">${escapeHtml(ARTICLE.standfirst)}</p>
        <div class="byline">
          <span>By <strong>Parley demo desk</strong></span>
          <time datetime="${ARTICLE.published}">${ARTICLE.publishedLabel}</time>
          <a class="comment-link" href="#comments"><span data-parley-count data-site="${DEMO_SITE}" data-post="${DEMO_POST}">Comments</span></a>
        </div>
        <div class="article-body">
        ${paragraphs}
        </div>
        <p class="note">This is a demonstration page for the Parley comment service. The article is a summary written for the demo; comments below are live.</p>
      </article>
      <section class="comments-section" id="comments" aria-label="Reader comments">
        <h2>Reader comments</h2>
        <div id="parley-thread" data-site="${DEMO_SITE}" data-post="${DEMO_POST}"${themeAttribute}${initialAttribute}></div>${initialPage}
      </section>
    </main>
    <footer class="site-footer">The Parley Herald is a demo site. Comments are moderated.</footer>
    <script src="/embed.js" async></script>
  </body>
</html>
`;
}

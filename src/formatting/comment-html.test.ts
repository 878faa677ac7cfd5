import { COMMENT_HTML_ELEMENTS, COMMENT_HTML_MAX_DEPTH } from '../contracts/formatting';
import { renderCommentHtml, sanitiseCommentHtml } from './comment-html';

const LINK_ATTRIBUTES = 'rel="ugc nofollow noopener" target="_blank"';

/** The deepest element nesting of an HTML fragment of the allow-list (void `br` aside). */
function depthOf(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const match of html.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (match[2] === 'br' || match[3] === '/') continue;
    depth += match[1] === '/' ? -1 : 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

function elementsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/<([a-z]+)/g)].map((match) => match[1] ?? ''));
}

describe('renderCommentHtml: the Markdown subset', () => {
  it('when a comment uses the subset, then each construct renders to its element', () => {
    expect(renderCommentHtml('**strong** *em* _em_ ~~gone~~ `code`')).toBe(
      '<p><strong>strong</strong> <em>em</em> <em>em</em> <s>gone</s> <code>code</code></p>\n',
    );
    expect(renderCommentHtml('> quoted\n> still')).toBe('<blockquote>\n<p>quoted<br />\nstill</p>\n</blockquote>\n');
    expect(renderCommentHtml('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');
    expect(renderCommentHtml('3. three\n4. four')).toBe('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n');
    expect(renderCommentHtml('```js\nconst a = 1;\n```')).toBe('<pre><code>const a = 1;\n</code></pre>\n');
    expect(renderCommentHtml('    indented code')).toBe('<pre><code>indented code\n</code></pre>\n');
    expect(renderCommentHtml('first\nsecond\n\nnext')).toBe('<p>first<br />\nsecond</p>\n<p>next</p>\n');
  });

  it('when a comment hides a spoiler in ||…||, then it renders as span.spoiler, formatting inside kept', () => {
    expect(renderCommentHtml('The end: ||he **wins**|| !')).toBe('<p>The end: <span class="spoiler">he <strong>wins</strong></span> !</p>\n');
    expect(renderCommentHtml('a||b||c')).toBe('<p>a<span class="spoiler">b</span>c</p>\n');
    // Unclosed or empty: text.
    expect(renderCommentHtml('a || b')).toBe('<p>a || b</p>\n');
    expect(renderCommentHtml('a |||| b')).toBe('<p>a |||| b</p>\n');
  });

  it('when a comment has links, then http, https and mailto stay links with rel="ugc nofollow noopener" and target _blank', () => {
    expect(renderCommentHtml('[site](https://example.org/a?b=1)')).toBe(`<p><a href="https://example.org/a?b=1" ${LINK_ATTRIBUTES}>site</a></p>\n`);
    expect(renderCommentHtml('see example.com')).toBe(`<p>see <a href="http://example.com" ${LINK_ATTRIBUTES}>example.com</a></p>\n`);
    expect(renderCommentHtml('<https://example.org>')).toBe(`<p><a href="https://example.org" ${LINK_ATTRIBUTES}>https://example.org</a></p>\n`);
    expect(renderCommentHtml('mail me@example.org')).toBe(`<p>mail <a href="mailto:me@example.org" ${LINK_ATTRIBUTES}>me@example.org</a></p>\n`);
  });

  it('when a link has another scheme, then it stays inert text, never an href', () => {
    for (const hostile of [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD4=)',
      '[x](vbscript:msgbox(1))',
      '[x](//evil.example)',
      '[x](file:///etc/passwd)',
      '<javascript:alert(1)>',
      '[x](java\tscript:alert(1))',
    ]) {
      const html = renderCommentHtml(hostile);
      expect(html).not.toContain('href');
      expect(html.startsWith('<p>')).toBe(true);
    }
    expect(renderCommentHtml('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n');
  });

  it('when a comment holds raw HTML, then it is shown as text', () => {
    expect(renderCommentHtml('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
    expect(renderCommentHtml('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(renderCommentHtml('**<b onclick="x">a</b>**')).toBe('<p><strong>&lt;b onclick="x"&gt;a&lt;/b&gt;</strong></p>\n');
    // Entities stay what was typed: no `f&#117;ck` that reads differently than it is screened.
    expect(renderCommentHtml('&amp; &#117;')).toBe('<p>&amp;amp; &amp;#117;</p>\n');
  });

  it('when a comment uses Markdown outside the subset, then it stays text', () => {
    expect(renderCommentHtml('# Not a heading')).toBe('<p># Not a heading</p>\n');
    expect(renderCommentHtml('![alt](https://example.org/x.png)')).toBe(`<p>!<a href="https://example.org/x.png" ${LINK_ATTRIBUTES}>alt</a></p>\n`);
    expect(renderCommentHtml('a\n\n---\n\nb')).toBe('<p>a</p>\n<p>---</p>\n<p>b</p>\n');
    expect(renderCommentHtml('| a | b |\n|---|---|\n| 1 | 2 |')).not.toContain('<table');
    expect(renderCommentHtml('[ref]: https://example.org\n\n[ref]')).not.toContain('<a href="https://example.org" rel="ugc nofollow noopener" target="_blank">ref</a>');
  });

  it('when nesting is hostile, then output stays within the depth cap and keeps every word', () => {
    const bomb = `${'*_'.repeat(200)}core${'_*'.repeat(200)}`;
    const html = renderCommentHtml(bomb);
    expect(html).toContain('core');
    expect(depthOf(html)).toBeLessThanOrEqual(COMMENT_HTML_MAX_DEPTH);

    const quotes = `${'> '.repeat(40)}deep words`;
    expect(depthOf(renderCommentHtml(quotes))).toBeLessThanOrEqual(COMMENT_HTML_MAX_DEPTH);
    expect(renderCommentHtml(quotes)).toContain('deep words');

    // Deeper than the parser follows: the whole comment as plain text, nothing lost.
    const tower = `${'>'.repeat(500)} top\nline two`;
    expect(renderCommentHtml(tower)).toBe(`<p>${'&gt;'.repeat(500)} top<br />\nline two</p>\n`);

    const lists = `${'- '.repeat(300)}leaf`;
    expect(renderCommentHtml(lists)).toContain('leaf');
    expect(depthOf(renderCommentHtml(lists))).toBeLessThanOrEqual(COMMENT_HTML_MAX_DEPTH);

    const indented = Array.from({ length: 60 }, (_unused, level) => `${'  '.repeat(level)}- item ${level}`).join('\n');
    const listHtml = renderCommentHtml(indented);
    expect(depthOf(listHtml)).toBeLessThanOrEqual(COMMENT_HTML_MAX_DEPTH);
    expect(listHtml).toContain('item 59');
  });

  it('when a list is huge, then every item renders', () => {
    const many = Array.from({ length: 2000 }, (_unused, index) => `- item ${index}`).join('\n');
    const html = renderCommentHtml(many);
    expect(html.match(/<li>/g)).toHaveLength(2000);
  });

  it('when any input renders, then only allow-listed elements come out', () => {
    const inputs = ['**a** _b_ ~~c~~ `d` ||e||', '> q\n\n1. x\n2. y\n\n```\nz\n```', '<div><iframe src="x"></iframe></div>', '[a](https://b.example "title")'];
    for (const input of inputs) {
      for (const element of elementsOf(renderCommentHtml(input))) expect(COMMENT_HTML_ELEMENTS).toContain(element);
    }
    expect(renderCommentHtml('[a](https://b.example "title")')).not.toContain('title=');
  });
});

describe('sanitiseCommentHtml: the allow-list after rendering', () => {
  it('when HTML carries anything else, then elements, attributes and schemes outside the list go', () => {
    expect(sanitiseCommentHtml('<p onclick="x" style="color:red">a<img src=x onerror=alert(1)></p>')).toBe('<p>a</p>');
    expect(sanitiseCommentHtml('<a href="javascript:alert(1)">x</a>')).toBe(`<a ${LINK_ATTRIBUTES}>x</a>`);
    expect(sanitiseCommentHtml('<a href="https://a.example" rel="opener" target="_self">x</a>')).toBe(`<a href="https://a.example" ${LINK_ATTRIBUTES}>x</a>`);
    expect(sanitiseCommentHtml('<span class="spoiler evil">x</span><span class="other">y</span>')).toBe('<span class="spoiler">x</span><span>y</span>');
    expect(sanitiseCommentHtml('<ol start="2; x">' + '<li>a</li></ol>')).toBe('<ol><li>a</li></ol>');
  });
});

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const PER_THREAD = 500;

/**
 * Writes a Disqus export of `comments` comments in threads of 500, newest first,
 * so every reply comes before the comment it answers; Cyrillic text, spam mixed in.
 */
export async function writeDisqusExport(file: string, comments: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n',
  );
  const threads = Math.ceil(comments / PER_THREAD);
  for (let t = 0; t < threads; t += 1) {
    await write(
      `<thread dsq:id="t${t}"><id>post-${t}</id><link>https://bench.example/posts/${t}/</link><title>Post ${t}</title><createdAt>2026-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`,
    );
  }
  for (let i = comments - 1; i >= 0; i -= 1) {
    // Written newest first, so every reply comes before the comment it answers.
    const thread = Math.floor(i / PER_THREAD);
    const inThread = i % PER_THREAD;
    const parent = inThread % 5 === 0 ? null : i - 1;
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    await write(
      `<post dsq:id="${i}"><message><![CDATA[<p>Комментарий ${i}: переговоры, гарантии и зерновой коридор — comment ${i}.</p>]]></message>` +
        `<createdAt>${at}</createdAt><isDeleted>false</isDeleted><isSpam>${i % 97 === 0 ? 'true' : 'false'}</isSpam>` +
        `<author><email>reader${i % 3000}@bench.example</email><name>Reader ${i % 3000}</name><isAnonymous>false</isAnonymous></author>` +
        `<thread dsq:id="t${thread}" />${parent === null ? '' : `<parent dsq:id="${parent}" />`}</post>\n`,
    );
  }
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
}

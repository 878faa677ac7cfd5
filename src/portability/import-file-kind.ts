import type { ImportFileKind } from '../contracts/portability';
import { EXPORT_FORMAT } from './parley-format';

/** How much of a file's start is read to tell what it is. */
export const SNIFF_BYTES = 64 * 1024;

export type RecognisedFile = { kind: ImportFileKind } | { refusal: string };

const WHAT_WE_READ =
  'Parley imports a Disqus XML export, a WordPress WXR export (Tools → Export in WordPress) or a Parley export (.jsonl)';

/**
 * Tells an upload's kind from its first bytes, so a wrong file is refused at once
 * with a sentence saying what it is instead of failing halfway through an import.
 */
export function recogniseImportFile(head: Buffer): RecognisedFile {
  if (head.length === 0) return { refusal: `The file is empty. ${WHAT_WE_READ}.` };
  if (head[0] === 0x1f && head[1] === 0x8b)
    return { refusal: `The file is gzip-compressed: unpack it first (Disqus sends its export as .xml.gz). ${WHAT_WE_READ}.` };
  if (head[0] === 0x50 && head[1] === 0x4b)
    return { refusal: `The file is a zip archive: unpack it and upload the export inside. ${WHAT_WE_READ}.` };
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('> ')) {
    const firstLine = text
      .split(/\r?\n/)
      // `npm run export > file` writes npm's own banner lines first.
      .find((line) => line.trim() !== '' && !line.startsWith('> '));
    try {
      const header = JSON.parse(firstLine ?? '') as { format?: unknown };
      if (header.format === EXPORT_FORMAT) return { kind: 'parley' };
    } catch {
      // Falls through to the refusal below.
    }
    return { refusal: `This is JSON, but its first line is not a Parley export header ("format": "${EXPORT_FORMAT}"). ${WHAT_WE_READ}.` };
  }
  if (text.startsWith('<')) {
    const root = /<(?![?!])([A-Za-z_][\w.:-]*)/.exec(text.replace(/<!--[\s\S]*?-->/g, ''))?.[1];
    if (root === 'disqus') return { kind: 'disqus' };
    if (root === 'rss') {
      if (/xmlns:wp\s*=|wordpress\.org\/export\//.test(text)) return { kind: 'wordpress' };
      return {
        refusal: `This is an RSS feed, not a WordPress WXR export: it has no wp: namespace, so it carries no comments. ${WHAT_WE_READ}.`,
      };
    }
    return {
      refusal: `This XML file's root element is <${root ?? '?'}>, not <disqus> (Disqus) or <rss> with the wp: namespace (WordPress). ${WHAT_WE_READ}.`,
    };
  }
  return { refusal: `This is neither XML nor JSON lines. ${WHAT_WE_READ}.` };
}

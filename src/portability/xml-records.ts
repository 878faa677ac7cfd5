import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';

/** One XML element as a small tree: enough to read an export record. */
export interface XmlNode {
  /** Qualified name as written (`wp:comment`, `dsq:id`…), prefix included. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** The first child named `name`, or undefined. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((entry) => entry.name === name);
}

/** The trimmed text of the first child named `name` ('' when absent). */
export function textOf(node: XmlNode | undefined, name: string): string {
  return child(node, name)?.text.trim() ?? '';
}

export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

/**
 * Streams an XML document and hands over each element whose name is in
 * `recordNames` as a tree, once it is closed: a file of hundreds of MB is read
 * one record at a time, never whole. `onBytes` reports how far the reading got.
 */
export async function readXmlRecords(
  input: Readable,
  recordNames: ReadonlySet<string>,
  onRecord: (record: XmlNode, path: readonly string[]) => Promise<void> | void,
  onBytes?: (bytesRead: number) => void,
): Promise<{ rootName: string | undefined }> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const stack: XmlNode[] = [];
  const path: string[] = [];
  let rootName: string | undefined;
  let capturing = 0;
  const ready: { record: XmlNode; path: string[] }[] = [];
  let failure: Error | undefined;

  parser.on('opentag', (tag) => {
    if (rootName === undefined) rootName = tag.name;
    const isRecord = capturing === 0 && recordNames.has(tag.name);
    if (capturing > 0 || isRecord) {
      const node: XmlNode = {
        name: tag.name,
        attrs: { ...(tag.attributes as Record<string, string>) },
        children: [],
        text: '',
      };
      stack[stack.length - 1]?.children.push(node);
      stack.push(node);
      capturing += 1;
    }
    path.push(tag.name);
  });
  const addText = (text: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    path.pop();
    if (capturing === 0) return;
    capturing -= 1;
    const node = stack.pop();
    if (capturing === 0 && node) ready.push({ record: node, path: [...path] });
  });
  parser.on('error', (error) => {
    failure = new ImportFormatError(`The file is not well-formed XML: ${error.message}`);
  });

  let bytes = 0;
  // A chunk may end inside a multi-byte character (Cyrillic is two bytes in UTF-8).
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buffer.length;
    parser.write(decoder.write(buffer));
    if (failure) throw failure;
    while (ready.length > 0) {
      const next = ready.shift();
      if (next) await onRecord(next.record, next.path);
    }
    onBytes?.(bytes);
  }
  parser.write(decoder.end());
  parser.close();
  if (failure) throw failure;
  for (const next of ready) await onRecord(next.record, next.path);
  return { rootName };
}

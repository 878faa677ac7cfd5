import { recogniseImportFile } from './import-file-kind';

const of = (text: string) => recogniseImportFile(Buffer.from(text, 'utf8'));

describe('recogniseImportFile', () => {
  it('when a file starts as a Disqus, WordPress or Parley export, then it names that kind', () => {
    expect(of('\uFEFF<?xml version="1.0"?>\n<!-- exported --><disqus xmlns="http://disqus.com">')).toEqual({ kind: 'disqus' });
    expect(
      of('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'),
    ).toEqual({ kind: 'wordpress' });
    expect(of('{"format":"parley-export","version":1,"site":"blog"}\n{"type":"site"}')).toEqual({ kind: 'parley' });
    expect(of('> parley@0.1.0 export\n> tsx x\n\n{"format":"parley-export","version":1}\n')).toEqual({ kind: 'parley' });
  });

  it('when a file is something else, then the refusal says what it is', () => {
    const refusal = (text: string | Buffer) =>
      (recogniseImportFile(typeof text === 'string' ? Buffer.from(text) : text) as { refusal: string }).refusal;
    expect(refusal('')).toMatch(/empty/);
    expect(refusal(Buffer.from([0x1f, 0x8b, 8, 0]))).toMatch(/gzip/);
    expect(refusal(Buffer.from('PK\u0003\u0004'))).toMatch(/zip/);
    expect(refusal('<rss version="2.0"><channel>')).toMatch(/RSS feed, not a WordPress WXR/);
    expect(refusal('<?xml version="1.0"?><html><body>')).toMatch(/root element is <html>/);
    expect(refusal('{"comments": []}')).toMatch(/not a Parley export header/);
    expect(refusal('id,author,text\n1,Ann,hi')).toMatch(/neither XML nor JSON/);
  });
});

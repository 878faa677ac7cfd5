import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostBlog {
  /** `http://127.0.0.1:<port>`: an origin of its own, as a real blog would have. */
  url: string;
  close(): Promise<void>;
}

/**
 * A blog on its own origin for embedding tests: `render` turns a request URL
 * into the HTML of a host page, or undefined for a 404.
 */
export async function startHostBlog(render: (requested: URL) => string | undefined): Promise<HostBlog> {
  const blogServer = http.createServer((req, res) => {
    const html = render(new URL(req.url ?? '/', 'http://blog'));
    if (html === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => blogServer.listen(0, '127.0.0.1', resolve));
  const { port } = blogServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => blogServer.close(() => resolve())),
  };
}

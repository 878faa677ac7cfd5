import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import http, { type IncomingHttpHeaders } from 'node:http';
import { defaultBuildDir } from '../../src/pages/asset-paths';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Asset delivery: precompressed bundles chosen by Accept-Encoding, year-long caching of hashed names, a short-cached embed.js with an ETag. */

let server: TestServer;
let manifest: Record<string, { js: string; css?: string }>;

beforeAll(async () => {
  server = await startTestServer();
  manifest = JSON.parse(readFileSync(path.join(defaultBuildDir(), 'manifest.json'), 'utf8')) as typeof manifest;
});

afterAll(async () => {
  await server.close();
});

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raw bytes over node:http, never decoded, so the test sees what went over the wire. */
function fetchRaw(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(url, server.url), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function fetchOk(url: string, headers: Record<string, string>, status = 200): Promise<RawResponse> {
  const res = await fetchRaw(url, headers);
  expect({ url, status: res.status }).toEqual({ url, status });
  return res;
}

function assetUrls(): { name: string; url: string; type: RegExp }[] {
  const widget = manifest['widget'];
  const panel = manifest['panel'];
  if (!widget || !panel) throw new Error('assets are not built: run npm run build:assets');
  const urls = [
    { name: 'embed.js', url: '/embed.js', type: /javascript/ },
    { name: 'widget', url: `/build/${widget.js}`, type: /javascript/ },
    { name: 'panel', url: `/moderate/assets/${panel.js}`, type: /javascript/ },
  ];
  if (panel.css) urls.push({ name: 'panel css', url: `/moderate/assets/${panel.css}`, type: /css/ });
  return urls;
}

describe('asset delivery', () => {
  it('when a browser accepts brotli, then every bundle comes brotli-compressed from the build, decoding to the same bytes as uncompressed', async () => {
    for (const asset of assetUrls()) {
      const plain = await fetchOk(asset.url, { 'Accept-Encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      const br = await fetchOk(asset.url, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(asset.type);
      expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
      const body = br.body;
      expect(body.length).toBeLessThan(plain.body.length / 2);
      expect(brotliDecompressSync(body).equals(plain.body)).toBe(true);
    }
  });

  it('when a browser accepts only gzip, then it gets the gzip file', async () => {
    for (const asset of assetUrls()) {
      const plain = await fetchOk(asset.url, { 'Accept-Encoding': 'identity' });
      const gz = await fetchOk(asset.url, { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['content-type']).toMatch(asset.type);
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    }
  });

  it('when a hashed bundle is fetched, then it is cached publicly for a year as immutable', async () => {
    for (const asset of assetUrls().filter((candidate) => candidate.name !== 'embed.js')) {
      expect(asset.url).toMatch(/\.[A-Z0-9]{8,}\.(js|css)$/);
      const res = await fetchOk(asset.url, { 'Accept-Encoding': 'br' });
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('when embed.js is fetched again with its ETag, then the answer is 304 without a body, and its cache stays short', async () => {
    const first = await fetchOk('/embed.js', { 'Accept-Encoding': 'br' });
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const etag = first.headers['etag'];
    expect(typeof etag).toBe('string');
    const again = await fetchOk('/embed.js', { 'Accept-Encoding': 'br', 'If-None-Match': String(etag) }, 304);
    expect(again.body.length).toBe(0);
    // Another encoding is another representation: its own ETag.
    const gz = await fetchOk('/embed.js', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['etag']).not.toBe(etag);
  });
});

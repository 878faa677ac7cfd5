import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

/** What the fake classifier received. */
export interface ReceivedCall {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  json: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: string;
  /** Sign the answer with this secret (the contract's response signature); unsigned when absent. */
  signWith?: string;
  /** Override the signature header. */
  signature?: string;
  delayMs?: number;
}

/** Signs like the contract says: t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">. Written out here so the test checks Parley, not itself. */
export function contractSignature(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * A local HTTP server that plays an external classifier or Perspective:
 * records each call and answers with whatever the test queued.
 */
export async function startClassifierServer(): Promise<{
  url: string;
  calls: ReceivedCall[];
  answerWith(handler: (call: ReceivedCall) => FakeAnswer): void;
  close(): Promise<void>;
}> {
  const calls: ReceivedCall[] = [];
  let handler: (call: ReceivedCall) => FakeAnswer = () => ({ status: 204 });
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://localhost');
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        json = undefined;
      }
      const call: ReceivedCall = { path: url.pathname, query: url.searchParams, headers: req.headers, rawBody, json };
      calls.push(call);
      const answer = handler(call);
      const send = (): void => {
        const body = answer.body ?? '';
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (answer.signature !== undefined) headers['x-parley-signature'] = answer.signature;
        else if (answer.signWith !== undefined) headers['x-parley-signature'] = contractSignature(answer.signWith, body);
        res.writeHead(answer.status, headers);
        res.end(answer.status === 204 ? undefined : body);
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send();
        }, answer.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    answerWith(next) {
      handler = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  calls: ReceivedCall[];
  /** Answer the next `count` calls with `status` (then 200 again). */
  failNext(count: number, status?: number): void;
  /** Answer every call with `status` from now on. */
  failAlways(status?: number): void;
  close(): Promise<void>;
}

/** A real HTTP server standing in for a site's webhook endpoint. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  let failures = 0;
  let failStatus = 500;
  let isAlwaysFailing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      calls.push({
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as ReceivedCall['body'],
        receivedAt: Date.now(),
      });
      if (isAlwaysFailing || failures > 0) {
        failures = Math.max(0, failures - 1);
        res.writeHead(failStatus).end('nope');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/parley`,
    calls,
    failNext(count, status = 500) {
      failures = count;
      failStatus = status;
    },
    failAlways(status = 500) {
      isAlwaysFailing = true;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A receiver's check of `X-Parley-Signature`, written from the documented scheme. */
export function verifyParleySignature(
  header: string | undefined,
  secret: string,
  raw: string,
  toleranceSeconds = 300,
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const [, t, v1] = match as unknown as [string, string, string];
  if (Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** Polls until `condition` holds (deliveries are asynchronous). */
export async function eventually<T>(
  read: () => T | Promise<T>,
  isDone: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProblemCode } from '../contracts/problem-codes';
import { AppError } from './errors';
import { statusForCode, toProblem } from './http';

/**
 * What happens at the HTTP server itself, below Express: draining on shutdown
 * and the errors Node answers before any middleware runs.
 */
export interface HttpEdge {
  /** The server's request listener: hands requests to `app` unless draining. */
  readonly listener: http.RequestListener;
  /** From now on new requests get 503 with `Connection: close`; in-flight ones finish and close their connection. */
  startDraining(): void;
  /** Requests still being answered. */
  readonly inFlight: number;
}

const REASONS: Partial<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

function problemBody(code: ProblemCode, message: string): string {
  return JSON.stringify(toProblem(new AppError(code, message, code === 'SERVICE_UNAVAILABLE' ? { retryAfterSeconds: 1 } : {}), undefined));
}

export function createHttpEdge(app: http.RequestListener): HttpEdge {
  const active = new Set<http.ServerResponse>();
  let isDraining = false;

  const listener: http.RequestListener = (req, res) => {
    if (isDraining) {
      res.shouldKeepAlive = false;
      res.writeHead(503, { 'Content-Type': 'application/problem+json', Connection: 'close', 'Retry-After': '1' });
      res.end(problemBody('SERVICE_UNAVAILABLE', 'The server is shutting down; try again in a moment'));
      return;
    }
    active.add(res);
    res.once('close', () => active.delete(res));
    app(req, res);
  };

  return {
    listener,
    startDraining() {
      isDraining = true;
      // Responses not yet started say `Connection: close`, so clients stop reusing the connection.
      for (const res of active) {
        if (!res.headersSent) {
          res.shouldKeepAlive = false;
          res.setHeader('Connection', 'close');
        }
      }
    },
    get inFlight() {
      return active.size;
    },
  };
}

/**
 * Node answers malformed requests (431 headers too large, 400 bad framing) on
 * its own with an empty body; these answer problem+json like every other error.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [code, message]: [ProblemCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'The request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'The request took too long to arrive']
        : ['MALFORMED_REQUEST', 'The request is not valid HTTP'];
  const status = statusForCode(code);
  const body = problemBody(code, message);
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

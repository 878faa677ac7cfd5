import net from 'node:net';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Sends raw bytes and collects everything the server answers until it closes the connection. */
function rawExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(payload);
  });
}

function parse(answer: string): { status: number; headers: string; body: Record<string, unknown> } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body: JSON.parse(body) as Record<string, unknown> };
}

describe('errors Node answers before Express', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('when the request headers are too large, then 431 comes back as problem+json with a code', async () => {
    const answer = await rawExchange(server.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const { status, headers, body } = parse(answer);
    expect(status).toBe(431);
    expect(headers).toMatch(/Content-Type: application\/problem\+json/i);
    expect(body).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('when the request is not valid HTTP framing, then 400 comes back as problem+json with a code', async () => {
    const answer = await rawExchange(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    const { status, headers, body } = parse(answer);
    expect(status).toBe(400);
    expect(headers).toMatch(/Content-Type: application\/problem\+json/i);
    expect(body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });

  it('when the request line is garbage, then 400 problem+json', async () => {
    const { status, body } = parse(await rawExchange(server.port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(status).toBe(400);
    expect(body['code']).toBe('MALFORMED_REQUEST');
  });
});

/** The largest answer Parley reads from a classifier. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** Why a call produced no usable answer, in words a moderator can read. */
export class ClassifierCallError extends Error {}

/**
 * POSTs a JSON body and reads the whole answer within `timeoutMs` (connect,
 * headers and body together), refusing redirects and answers over 64 kB.
 */
export async function postJson(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), input.timeoutMs);
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...input.headers },
      body: input.body,
      redirect: 'error',
      signal: controller.signal,
    });
    const body = await readLimited(response);
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    if (controller.signal.aborted) throw new ClassifierCallError(`no answer within ${input.timeoutMs} ms`);
    if (error instanceof ClassifierCallError) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    throw new ClassifierCallError(`the request failed (${cause ?? (error instanceof Error ? error.message : 'unknown error')})`);
  } finally {
    clearTimeout(timer);
  }
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new ClassifierCallError(`an answer larger than ${MAX_ANSWER_BYTES / 1024} kB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

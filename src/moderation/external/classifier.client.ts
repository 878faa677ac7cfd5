import { z } from 'zod';
import type { ClassifierSettings } from '../../contracts/moderation';
import type { ClassifierAnswer, ExternalOpinion } from '../pipeline-types';
import { ClassifierCallError, postJson } from './signed-post';
import { SIGNATURE_HEADER, signPayload, verifySignature } from './signature';

/** What Parley sends every classifier (README, "External classifiers"). */
export interface ClassifierRequest {
  comment: {
    id?: string;
    body: string;
    site: string;
    post: string;
    parentId?: string;
    author: { id: string; name: string };
  };
  languages: string[];
}

const answerSchema = z.object({
  action: z.enum(['publish', 'hold', 'reject']).optional(),
  findings: z
    .array(
      z.object({
        rule: z.string().trim().min(1).max(100),
        detail: z.string().trim().min(1).max(1000),
        category: z
          .string()
          .regex(/^[a-z][a-z-]{0,39}$/, 'must be a lower-case category name')
          .optional(),
        span: z.tuple([z.number().int().min(0), z.number().int().min(0)]).optional(),
        score: z.number().min(0).max(1).optional(),
      }),
    )
    .max(50),
});

/**
 * Asks one classifier about a comment. Never throws: a timeout, an error
 * status, an unsigned or badly signed answer, or a body outside the contract
 * becomes a `failed` opinion carrying the classifier's fail mode.
 */
export async function askClassifier(
  classifier: ClassifierSettings,
  request: ClassifierRequest,
  clock: { now(): Date },
): Promise<ExternalOpinion> {
  const failed = (reason: string): ExternalOpinion => ({
    source: classifier.name,
    kind: 'failed',
    failMode: classifier.failMode,
    reason,
  });
  const body = JSON.stringify(request);
  let answer;
  try {
    answer = await postJson({
      url: classifier.url,
      body,
      headers: { [SIGNATURE_HEADER]: signPayload(classifier.secret, body, clock.now()) },
      timeoutMs: classifier.timeoutMs,
    });
  } catch (error) {
    return failed(error instanceof ClassifierCallError ? error.message : 'the request failed');
  }
  if (answer.status !== 200 && answer.status !== 204) return failed(`HTTP ${answer.status}`);
  const signature = verifySignature(answer.headers.get(SIGNATURE_HEADER), classifier.secret, answer.body, clock.now());
  if (!signature.isValid) return failed(`an answer with ${signature.reason}`);
  if (answer.status === 204) return { source: classifier.name, kind: 'no-opinion' };
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return failed('an answer that is not JSON');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return failed(`an answer outside the contract (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`);
  }
  const checked: ClassifierAnswer = {
    ...(parsed.data.action ? { action: parsed.data.action } : {}),
    findings: parsed.data.findings.map((finding) => ({
      rule: finding.rule,
      detail: finding.detail,
      ...(finding.category ? { category: finding.category } : {}),
      ...(finding.span && finding.span[0] < finding.span[1] && finding.span[1] <= request.comment.body.length
        ? { span: finding.span }
        : {}),
      ...(finding.score !== undefined ? { score: finding.score } : {}),
    })),
  };
  return { source: classifier.name, kind: 'classifier', answer: checked };
}

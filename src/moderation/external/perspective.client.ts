import { z } from 'zod';
import type { PerspectiveSettings } from '../../contracts/moderation';
import type { ExternalOpinion, PerspectiveSpan } from '../pipeline-types';
import { ClassifierCallError, postJson } from './signed-post';

/** Google's `comments:analyze` endpoint. */
export const PERSPECTIVE_ENDPOINT = 'https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze';

const scoreSchema = z.object({ value: z.number().min(0).max(1), type: z.string().optional() });
const analyzeResponseSchema = z.object({
  attributeScores: z.record(
    z.string(),
    z.object({
      summaryScore: scoreSchema,
      spanScores: z
        .array(z.object({ begin: z.number().int().min(0), end: z.number().int().min(0), score: scoreSchema }))
        .optional(),
    }),
  ),
  languages: z.array(z.string()).optional(),
});
const errorSchema = z.object({ error: z.object({ message: z.string().optional(), status: z.string().optional() }) });

/** The `comments:analyze` request body, as Google documents it. */
export function buildAnalyzeRequest(text: string, attribute: string, languages: readonly string[]): Record<string, unknown> {
  return {
    comment: { text, type: 'PLAIN_TEXT' },
    requestedAttributes: { [attribute]: {} },
    ...(languages.length > 0 ? { languages: [...languages] } : {}),
    spanAnnotations: true,
    doNotStore: true,
  };
}

/** Perspective counts characters in code points; spans here are UTF-16 offsets. */
function toUtf16Span(text: string, begin: number, end: number): [number, number] | undefined {
  const points = Array.from(text);
  if (begin >= end || end > points.length) return undefined;
  const start = points.slice(0, begin).join('').length;
  return [start, start + points.slice(begin, end).join('').length];
}

/** Asks Perspective for one attribute's score. Never throws; off (undefined) without an API key. */
export async function askPerspective(
  settings: PerspectiveSettings,
  input: { text: string; languages: readonly string[] },
): Promise<ExternalOpinion | undefined> {
  if (settings.apiKey === null || settings.apiKey === '') return undefined;
  const failed = (reason: string): ExternalOpinion => ({
    source: 'perspective',
    kind: 'failed',
    failMode: settings.failMode,
    reason,
  });
  const url = new URL(settings.endpoint ?? PERSPECTIVE_ENDPOINT);
  url.searchParams.set('key', settings.apiKey);
  let answer;
  try {
    answer = await postJson({
      url: url.toString(),
      body: JSON.stringify(buildAnalyzeRequest(input.text, settings.attribute, input.languages)),
      headers: {},
      timeoutMs: settings.timeoutMs,
    });
  } catch (error) {
    return failed(error instanceof ClassifierCallError ? error.message : 'the request failed');
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return failed(`HTTP ${answer.status} with an answer that is not JSON`);
  }
  if (answer.status !== 200) {
    const problem = errorSchema.safeParse(json);
    const message = problem.success ? (problem.data.error.message ?? problem.data.error.status) : undefined;
    return failed(`HTTP ${answer.status}${message ? `: ${message.slice(0, 200)}` : ''}`);
  }
  const parsed = analyzeResponseSchema.safeParse(json);
  const scores = parsed.success ? parsed.data.attributeScores[settings.attribute] : undefined;
  if (!scores) return failed(`an answer without a ${settings.attribute} score`);
  const spans: PerspectiveSpan[] = [];
  for (const spanScore of scores.spanScores ?? []) {
    const span = toUtf16Span(input.text, spanScore.begin, spanScore.end);
    if (span) spans.push({ span, score: spanScore.score.value });
  }
  return {
    source: 'perspective',
    kind: 'perspective',
    attribute: settings.attribute,
    score: scores.summaryScore.value,
    threshold: settings.threshold,
    spans,
  };
}

import type { Finding } from '../contracts/moderation';

export interface TextSegment {
  text: string;
  /** The rules whose spans cover this segment; empty for plain text. */
  rules: string[];
}

/**
 * Cuts `text` into consecutive segments at every finding's span boundary, so
 * overlapping spans still mark each character once with all of its rules.
 * Spans are UTF-16 offsets; out-of-range or empty spans are clamped or dropped.
 */
export function splitBySpans(text: string, findings: readonly Finding[]): TextSegment[] {
  const spans: { start: number; end: number; rule: string }[] = [];
  for (const finding of findings) {
    if (!finding.span) continue;
    const start = Math.max(0, Math.min(text.length, Math.floor(finding.span[0])));
    const end = Math.max(0, Math.min(text.length, Math.floor(finding.span[1])));
    if (end > start) spans.push({ start, end, rule: finding.rule });
  }
  if (spans.length === 0) return text === '' ? [] : [{ text, rules: [] }];

  const cuts = new Set<number>([0, text.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: TextSegment[] = [];
  for (let index = 0; index < points.length - 1; index += 1) {
    const start = points[index] ?? 0;
    const end = points[index + 1] ?? text.length;
    if (end <= start) continue;
    const rules = [...new Set(spans.filter((span) => span.start <= start && span.end >= end).map((span) => span.rule))];
    const previous = segments[segments.length - 1];
    if (previous && previous.rules.join() === rules.join()) previous.text += text.slice(start, end);
    else segments.push({ text: text.slice(start, end), rules });
  }
  return segments;
}

/** The colour of a mark: the strongest action among the rules covering it. */
export function severityOf(rules: readonly string[], findings: readonly Finding[]): 'reject' | 'hold' | 'info' {
  const actions = findings.filter((finding) => rules.includes(finding.rule)).map((finding) => finding.action);
  if (actions.includes('reject') || rules.some((rule) => rule.endsWith('.banned'))) return 'reject';
  if (actions.includes('hold') || rules.some((rule) => rule.endsWith('.suspect'))) return 'hold';
  return 'info';
}

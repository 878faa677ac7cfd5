import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api-client';
import type { WidgetMessageKey } from '../i18n';
import { useWidget } from './widget-context';

/** Categories the service nudges about, each with its own sentence for the author. */
const NUDGE_CATEGORIES = ['insult', 'dehumanising', 'slur', 'violence', 'threat', 'self-harm', 'profanity'] as const;
type NudgeCategory = (typeof NUDGE_CATEGORIES)[number];

/** What the service found, as the author is shown it: the kind of problem and the words it quoted. */
export interface NudgeFinding {
  category: NudgeCategory | null;
  excerpt: string | null;
}

const MAX_EXCERPT = 80;

function isNudgeCategory(value: unknown): value is NudgeCategory {
  return typeof value === 'string' && (NUDGE_CATEGORIES as readonly string[]).includes(value);
}

/**
 * The findings of a `409 COMMENT_NUDGED`, one per category and quote (the
 * service may report a word twice), or undefined for any other failure.
 */
export function nudgeFindings(error: unknown): NudgeFinding[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 'COMMENT_NUDGED') return undefined;
  const raw = error.context['findings'];
  const found: NudgeFinding[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(raw) ? (raw as unknown[]) : []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const category = isNudgeCategory(record['category']) ? record['category'] : null;
    const quoted = typeof record['excerpt'] === 'string' ? record['excerpt'].trim() : '';
    const excerpt = quoted === '' ? null : quoted.length > MAX_EXCERPT ? `${quoted.slice(0, MAX_EXCERPT)}…` : quoted;
    const key = `${category ?? ''}\u0000${excerpt ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ category, excerpt });
  }
  return found;
}

function sentenceKey(finding: NudgeFinding): WidgetMessageKey {
  const category = finding.category ?? 'other';
  return `nudge.${category}${finding.excerpt === null ? '' : '.quoted'}` as WidgetMessageKey;
}

interface NudgeNoticeProps {
  findings: readonly NudgeFinding[];
  isSending: boolean;
  onEdit: () => void;
  onPostAnyway: () => void;
}

/**
 * Shown instead of posting when the comment would be held for hostility: what
 * was found, quoted, and the author's two choices.
 */
export function NudgeNotice({ findings, isSending, onEdit, onPostAnyway }: NudgeNoticeProps) {
  const { t } = useWidget();
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => editButton.current?.focus(), []);
  const shown = findings.length > 0 ? findings.slice(0, 3) : [{ category: null, excerpt: null }];
  return (
    <div class="nudge" role="alert" data-testid="nudge">
      <p class="nudge-title">{t('nudge.title')}</p>
      <ul class="nudge-findings">
        {shown.map((finding, index) => (
          <li key={index} data-category={finding.category ?? undefined}>
            {t(sentenceKey(finding), { excerpt: finding.excerpt ?? '' })}
          </li>
        ))}
      </ul>
      <p class="nudge-hint">{t('nudge.hint')}</p>
      <div class="composer-row">
        <button type="button" class="primary" ref={editButton} onClick={onEdit}>
          {t('nudge.edit')}
        </button>
        <button type="button" class="secondary" aria-disabled={isSending ? 'true' : 'false'} onClick={onPostAnyway}>
          {isSending ? t('composer.posting') : t('nudge.postAnyway')}
        </button>
      </div>
    </div>
  );
}

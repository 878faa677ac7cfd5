import type { Finding } from '../../contracts/moderation';
import { severityOf, splitBySpans } from '../highlight-spans';
import { t } from '../i18n';

interface HighlightedTextProps {
  text: string;
  findings: readonly Finding[];
}

/**
 * The comment body with each finding's span wrapped in `<mark>`. Everything is
 * rendered as text nodes: user text never goes through innerHTML.
 */
export function HighlightedText({ text, findings }: HighlightedTextProps) {
  const segments = splitBySpans(text, findings);
  return (
    <>
      {segments.map((segment, index) =>
        segment.rules.length === 0 ? (
          segment.text
        ) : (
          <mark
            key={index}
            class={`mark mark-${severityOf(segment.rules, findings)}`}
            data-rules={segment.rules.join(' ')}
            title={segment.rules.join(', ')}
          >
            {segment.text}
          </mark>
        ),
      )}
    </>
  );
}

interface FindingListProps {
  findings: readonly Finding[];
  text: string;
}

/** Which rules fired, why, and on which words. */
export function FindingList({ findings, text }: FindingListProps) {
  if (findings.length === 0) return <p class="muted">{t('findings.none')}</p>;
  return (
    <ul class="findings" aria-label={t('findings.label')}>
      {findings.map((finding, index) => (
        <li key={index} class="finding">
          <code class="rule">{finding.rule}</code>
          {finding.action ? (
            <span class={`pill pill-${finding.action}`}>{t(`findingAction.${finding.action}`)}</span>
          ) : null}
          <span class="finding-detail">{finding.detail}</span>
          {finding.span ? <q class="finding-match">{text.slice(finding.span[0], finding.span[1])}</q> : null}
        </li>
      ))}
    </ul>
  );
}

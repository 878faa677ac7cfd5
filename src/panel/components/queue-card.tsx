import type { ModerationItemDto, ReportReason } from '../../contracts/comments';
import type { QueueName } from '../../contracts/socket-events';
import type { AuthorAction } from '../api-client';
import { formatAge, formatDateTime, plural } from '../format';
import { FindingList, HighlightedText } from './highlighted-text';

const STANDING_LABEL: Record<ModerationItemDto['author']['standing'], string> = {
  active: 'In good standing',
  banned: 'Banned',
  suspended: 'Suspended',
  premoderated: 'Pre-moderated',
};

const VERDICT_LABEL = { publish: 'Would publish', hold: 'Held', reject: 'Rejected' } as const;

interface QueueCardProps {
  item: ModerationItemDto;
  queue: QueueName;
  isSelected: boolean;
  isChecked: boolean;
  myId: string;
  onSelect: () => void;
  onToggleChecked: () => void;
  onApprove: () => void;
  onReject: () => void;
  onRestore: () => void;
  onAuthorAction: (action: AuthorAction) => void;
  onFilterPost: () => void;
}

function ReportSummary({ reports }: { reports: ModerationItemDto['reports'] }) {
  if (reports.count === 0) return null;
  const reasons = Object.entries(reports.reasons) as [ReportReason, number][];
  return (
    <div class="reports" aria-label="Reports">
      <strong>{plural(reports.count, 'report', 'reports')}</strong>
      {reasons.map(([reason, count]) => (
        <span key={reason} class="chip">
          {reason} × {count}
        </span>
      ))}
    </div>
  );
}

export function QueueCard(props: QueueCardProps) {
  const { item, queue, isSelected, isChecked, myId } = props;
  const { comment, verdict, author, post, parent, claim } = item;
  const findings = verdict?.findings ?? [];
  const isClaimedByOther = claim !== null && claim.moderatorId !== myId;
  const headingId = `item-${comment.id}-author`;

  return (
    <article
      id={`item-${comment.id}`}
      class={`queue-card card${isSelected ? ' is-selected' : ''}${isChecked ? ' is-checked' : ''}${isClaimedByOther ? ' is-claimed' : ''}`}
      data-comment-id={comment.id}
      aria-labelledby={headingId}
      aria-current={isSelected ? 'true' : undefined}
      tabIndex={isSelected ? 0 : -1}
      onFocus={(event) => {
        if (event.target === event.currentTarget && !isSelected) props.onSelect();
      }}
      onClick={(event) => {
        if (!isSelected && !(event.target as HTMLElement).closest('button, input, select, a')) props.onSelect();
      }}
    >
      <header class="card-head">
        <input
          type="checkbox"
          class="card-check"
          checked={isChecked}
          aria-label={`Select comment by ${author.name}`}
          onChange={props.onToggleChecked}
        />
        <div class="card-who">
          <h3 id={headingId} class="author-name">
            {author.name}
            {author.isVerified ? (
              <span class="verified" title="Signed in through the site">
                ✓<span class="visually-hidden"> verified</span>
              </span>
            ) : null}
          </h3>
          <span class={`standing standing-${author.standing}`} data-testid="author-standing">
            {STANDING_LABEL[author.standing]}
            {author.standing === 'suspended' && author.suspendedUntil ? ` until ${formatDateTime(author.suspendedUntil)}` : ''}
          </span>
          <span class="history muted" aria-label="Author history">
            {author.history.published} published · {author.history.rejected} rejected · {author.history.pending} pending
          </span>
        </div>
        <div class="card-meta">
          {claim ? (
            <span class={`claim${isClaimedByOther ? ' claim-other' : ' claim-mine'}`} data-testid="claim">
              {isClaimedByOther ? `Claimed by ${claim.moderatorName}` : 'You are reviewing'}
            </span>
          ) : null}
          <time dateTime={item.queuedAt} title={formatDateTime(item.queuedAt)} class="muted">
            {formatAge(item.queuedAt)}
          </time>
        </div>
      </header>

      <p class="post-line">
        <span class="muted">{comment.site} ·</span>{' '}
        <button type="button" class="link-button" onClick={props.onFilterPost} title="Show only this post">
          {post.title ?? post.key}
        </button>
        {post.heat !== 'normal' ? <span class={`pill pill-heat-${post.heat}`}>{post.heat === 'heated' ? 'Heated' : 'Lockdown'}</span> : null}
        {post.closed ? <span class="pill">Closed</span> : null}
        {post.url ? (
          <a class="muted external" href={post.url} target="_blank" rel="noopener noreferrer">
            open ↗
          </a>
        ) : null}
      </p>

      {parent ? (
        <blockquote class="parent" aria-label="In reply to">
          <span class="muted">
            {parent.status === 'deleted' ? 'In reply to a deleted comment' : `In reply to ${parent.author?.name ?? 'a comment'}`}:
          </span> {parent.body.length > 280 ? `${parent.body.slice(0, 280)}…` : parent.body}
        </blockquote>
      ) : null}

      <p class="comment-body" data-testid="comment-body">
        <HighlightedText text={comment.body} findings={findings} />
      </p>
      <p class="muted small">
        Revision {comment.revision}
        {comment.editedAt ? ` · edited ${formatAge(comment.editedAt)}` : ''} · posted {formatAge(comment.createdAt)}
      </p>

      {verdict ? (
        <details class="verdict" open={isSelected}>
          <summary>
            <span class={`pill pill-${verdict.action}`}>{VERDICT_LABEL[verdict.action]}</span>{' '}
            {plural(findings.length, 'rule', 'rules')} fired
          </summary>
          <FindingList findings={findings} text={comment.body} />
        </details>
      ) : null}

      <ReportSummary reports={item.reports} />

      <footer class="card-actions">
        {queue === 'pending' || queue === 'reported' ? (
          <button type="button" class="button button-primary" onClick={props.onApprove} aria-keyshortcuts="a">
            {queue === 'reported' ? 'Keep, dismiss reports' : 'Approve'} <kbd>a</kbd>
          </button>
        ) : null}
        {queue === 'rejected' ? (
          <button type="button" class="button button-primary" onClick={props.onRestore} aria-keyshortcuts="a">
            Restore <kbd>a</kbd>
          </button>
        ) : (
          <button type="button" class="button button-danger" onClick={props.onReject} aria-keyshortcuts="r">
            Reject <kbd>r</kbd>
          </button>
        )}
        <span class="spacer" />
        <label class="author-actions">
          <span class="visually-hidden">Author action for {author.name}</span>
          <select
            aria-label={`Author action for ${author.name}`}
            value=""
            onChange={(event) => {
              const value = event.currentTarget.value as AuthorAction | '';
              event.currentTarget.value = '';
              if (value) props.onAuthorAction(value);
            }}
          >
            <option value="">Author…</option>
            <option value="suspend">Suspend until…</option>
            <option value="premoderate">Pre-moderate</option>
            <option value="ban">Ban</option>
            <option value="reinstate" disabled={author.standing === 'active'}>
              Reinstate
            </option>
          </select>
        </label>
      </footer>
    </article>
  );
}

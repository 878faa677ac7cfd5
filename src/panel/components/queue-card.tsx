import type { ModerationItemDto, ReportReason } from '../../contracts/comments';
import type { QueueName } from '../../contracts/socket-events';
import type { AuthorAction } from '../api-client';
import { formatAge, formatDateTime } from '../format';
import { panelTranslator, t } from '../i18n';
import { languageName } from '../languages';
import { AuthorInsights } from './author-insights';
import { CommentText } from './comment-text';
import { FindingList } from './highlighted-text';
import { StaffActions } from './staff-actions';

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
    <div class="reports" aria-label={t('card.reportsLabel')}>
      <strong>{t('card.reports', { count: reports.count })}</strong>
      {reasons.map(([reason, count]) => (
        <span key={reason} class="chip">
          {t(`reportReason.${reason}`)} × {count}
        </span>
      ))}
    </div>
  );
}

/** Who put the comment in this queue, when, and why. */
function DecisionSummary({ decision, queue }: { decision: NonNullable<ModerationItemDto['decision']>; queue: QueueName }) {
  const verb = queue === 'rejected' ? 'Rejected' : 'Approved';
  const who = decision.kind === 'system' ? 'the filter' : (decision.moderatorName ?? 'a moderator');
  return (
    <p class="decision" data-testid="decision">
      <strong>
        {verb} by {who}
      </strong>{' '}
      <time dateTime={decision.at} title={formatDateTime(decision.at)}>
        {formatAge(decision.at)}
      </time>
      {decision.reason ? (
        <>
          {' · reason '}
          <span class="chip" data-testid="decision-reason">
            {decision.reason}
          </span>
        </>
      ) : null}
      {decision.note ? <span data-testid="decision-note"> · “{decision.note}”</span> : null}
    </p>
  );
}

export function QueueCard(props: QueueCardProps) {
  const { item, queue, isSelected, isChecked, myId } = props;
  const { comment, verdict, author, post, parent, claim } = item;
  const findings = verdict?.findings ?? [];
  const languages = verdict?.languages ?? [];
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
          aria-label={t('card.select', { name: author.name })}
          onChange={props.onToggleChecked}
        />
        <div class="card-who">
          <h3 id={headingId} class="author-name">
            {author.name}
            {author.isVerified ? (
              <span class="verified" title={t('card.verifiedTitle')}>
                ✓<span class="visually-hidden"> {t('card.verified')}</span>
              </span>
            ) : null}
          </h3>
          <span class={`standing standing-${author.standing}`} data-testid="author-standing">
            {t(`standing.${author.standing}`)}
            {author.standing === 'suspended' && author.suspendedUntil ? t('card.until', { date: formatDateTime(author.suspendedUntil) }) : ''}
          </span>
          <span class="history muted" aria-label={t('card.historyLabel')}>
            {t('card.history', { published: author.history.published, rejected: author.history.rejected, pending: author.history.pending })}
          </span>
        </div>
        <div class="card-meta">
          {claim ? (
            <span class={`claim${isClaimedByOther ? ' claim-other' : ' claim-mine'}`} data-testid="claim">
              {isClaimedByOther ? t('card.claimedBy', { name: claim.moderatorName }) : t('card.reviewing')}
            </span>
          ) : null}
          <time dateTime={item.queuedAt} title={formatDateTime(item.queuedAt)} class="muted">
            {formatAge(item.queuedAt)}
          </time>
        </div>
      </header>

      <p class="post-line">
        <span class="muted">{comment.site} ·</span>{' '}
        <button type="button" class="link-button" onClick={props.onFilterPost} title={t('card.onlyThisPost')}>
          {post.title ?? post.key}
        </button>
        {post.heat !== 'normal' ? <span class={`pill pill-heat-${post.heat}`}>{t(`heat.${post.heat}`)}</span> : null}
        {post.closed ? <span class="pill">{t('card.closed')}</span> : null}
        {post.url ? (
          <a class="muted external" href={post.url} target="_blank" rel="noopener noreferrer">
            {t('card.open')}
          </a>
        ) : null}
      </p>

      {parent ? (
        <blockquote class="parent" aria-label={t('card.inReplyToLabel')}>
          <span class="muted">
            {parent.status === 'deleted' ? t('card.inReplyToDeleted') : parent.author ? t('card.inReplyTo', { name: parent.author.name }) : t('card.inReplyToComment')}:
          </span> {parent.body.length > 280 ? `${parent.body.slice(0, 280)}…` : parent.body}
        </blockquote>
      ) : null}

      <CommentText comment={comment} findings={findings} />
      <p class="muted small">
        {t('card.revision', { revision: comment.revision })}
        {comment.editedAt ? t('card.edited', { age: formatAge(comment.editedAt) }) : ''}
        {t('card.posted', { age: formatAge(comment.createdAt) })}
        {languages.length > 0 ? (
          <>
            {' · '}
            <span class="comment-languages" data-testid="comment-languages" title={t('card.languages')}>
              <span class="visually-hidden">{t('card.languages')}: </span>
              {languages.map((code) => (
                <span key={code} class="chip" lang={code}>
                  {languageName(code, panelTranslator.lang)}
                </span>
              ))}
            </span>
          </>
        ) : null}
      </p>

      {verdict ? (
        <details class="verdict" open={isSelected}>
          <summary>
            <span class={`pill pill-${verdict.action}`}>{t(`verdict.${verdict.action}`)}</span>{' '}
            {t('card.rulesFired', { count: findings.length })}
          </summary>
          <FindingList findings={findings} text={comment.body} />
        </details>
      ) : null}

      {item.decision && (queue === 'rejected' || queue === 'approved') ? <DecisionSummary decision={item.decision} queue={queue} /> : null}

      <ReportSummary reports={item.reports} />

      {isSelected ? <AuthorInsights authorId={author.id} authorName={author.name} site={comment.site} /> : null}

      <footer class="card-actions">
        {queue === 'pending' || queue === 'reported' ? (
          <button type="button" class="button button-primary" onClick={props.onApprove} aria-keyshortcuts="a">
            {queue === 'reported' ? t('card.keep') : t('card.approve')} <kbd>a</kbd>
          </button>
        ) : null}
        {queue === 'rejected' ? (
          <button type="button" class="button button-primary" onClick={props.onRestore} aria-keyshortcuts="a">
            {t('card.restore')} <kbd>a</kbd>
          </button>
        ) : (
          <button type="button" class="button button-danger" onClick={props.onReject} aria-keyshortcuts="r">
            {t('card.reject')} <kbd>r</kbd>
          </button>
        )}
        <StaffActions comment={comment} />
        <span class="spacer" />
        <label class="author-actions">
          <span class="visually-hidden">{t('card.authorAction', { name: author.name })}</span>
          <select
            aria-label={t('card.authorAction', { name: author.name })}
            value=""
            onChange={(event) => {
              const value = event.currentTarget.value as AuthorAction | '';
              event.currentTarget.value = '';
              if (value) props.onAuthorAction(value);
            }}
          >
            <option value="">{t('card.authorMenu')}</option>
            <option value="suspend">{t('card.suspendUntil')}</option>
            <option value="premoderate">{t('card.premoderate')}</option>
            <option value="ban">{t('card.ban')}</option>
            <option value="reinstate" disabled={author.standing === 'active'}>
              {t('card.reinstate')}
            </option>
          </select>
        </label>
      </footer>
    </article>
  );
}

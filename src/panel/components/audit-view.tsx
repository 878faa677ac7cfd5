import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AuditEntryDto } from '../../contracts/moderation-api';
import type { AuditQuery } from '../api-client';
import { formatDateTime } from '../format';
import { usePanel } from './panel-context';
import { t } from '../i18n';

type FilterKey = 'moderator' | 'author' | 'comment';

function describeActor(entry: AuditEntryDto): string {
  return entry.actor.kind === 'system' ? t('audit.system') : entry.actor.name;
}

/** A short reading of an entry's detail: the rules that fired, or what changed. */
function describeDetail(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  const findings = detail['findings'];
  if (Array.isArray(findings)) {
    const rules = findings
      .map((finding) => (typeof finding === 'object' && finding !== null ? (finding as { rule?: unknown }).rule : undefined))
      .filter((rule): rule is string => typeof rule === 'string');
    if (rules.length > 0) parts.push(rules.join(', '));
  }
  const from = detail['from'];
  const to = detail['to'];
  if (typeof from === 'string' && typeof to === 'string') parts.push(`${from} → ${to}`);
  else if (typeof from === 'string') parts.push(t('audit.was', { from }));
  const until = detail['until'];
  if (typeof until === 'string') parts.push(t('audit.until', { date: formatDateTime(until) }));
  if (detail['isEdit'] === true) parts.push(t('audit.afterEdit'));
  return parts.join(' · ');
}

/** The audit log, newest first, filterable by moderator, author and comment. */
export function AuditView() {
  const { api, site, notify } = usePanel();
  const [filters, setFilters] = useState<Record<FilterKey, string>>({ moderator: '', author: '', comment: '' });
  const [draft, setDraft] = useState(filters);
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);

  const load = useCallback(
    (cursor?: string) => {
      const query: AuditQuery = {};
      if (site) query.site = site;
      if (filters.moderator) query.moderator = filters.moderator;
      if (filters.author) query.author = filters.author;
      if (filters.comment) query.comment = filters.comment;
      if (cursor) query.cursor = cursor;
      api.audit(query).then(
        (page) => {
          setEntries((current) => (cursor ? [...(current ?? []), ...page.entries] : page.entries));
          setNextCursor(page.nextCursor);
        },
        (error: unknown) => {
          setEntries((current) => current ?? []);
          notify(t('audit.loadFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error');
        },
      );
    },
    [api, site, filters, notify],
  );
  useEffect(() => load(), [load]);

  const filterBy = (key: FilterKey, value: string | null) => {
    if (!value) return;
    const next = { ...filters, [key]: value };
    setDraft(next);
    setFilters(next);
  };

  return (
    <section class="view" aria-labelledby="audit-title">
      <div class="view-head">
        <h1 id="audit-title">{t('nav.audit')}</h1>
      </div>
      <form
        class="filters card"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ moderator: draft.moderator.trim(), author: draft.author.trim(), comment: draft.comment.trim() });
        }}
      >
        {(['moderator', 'author', 'comment'] as const).map((key) => (
          <label key={key} class="field field-inline">
            <span>{t(`audit.filter.${key}`)}</span>
            <input
              type="text"
              name={key}
              value={draft[key]}
              onInput={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
            />
          </label>
        ))}
        <button type="submit" class="button button-primary">
          {t('audit.filter')}
        </button>
        <button
          type="button"
          class="button button-ghost"
          onClick={() => {
            const empty = { moderator: '', author: '', comment: '' };
            setDraft(empty);
            setFilters(empty);
          }}
        >
          {t('queue.clear')}
        </button>
      </form>

      {entries === null ? <p class="muted">{t('common.loading')}</p> : null}
      {entries?.length === 0 ? <p class="empty">{t('audit.empty')}</p> : null}
      {entries && entries.length > 0 ? (
        <div class="table-wrap">
          <table class="audit-table">
            <caption class="visually-hidden">{t('audit.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.comment')}</th>
                <th scope="col">{t('audit.author')}</th>
                <th scope="col">{t('audit.why')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                  </td>
                  <td>
                    {entry.actor.kind === 'moderator' ? (
                      <button type="button" class="link-button" onClick={() => filterBy('moderator', entry.actor.kind === 'moderator' ? entry.actor.id : null)}>
                        {describeActor(entry)}
                      </button>
                    ) : (
                      <span class="muted">{describeActor(entry)}</span>
                    )}
                  </td>
                  <td>
                    <code>{entry.action}</code>
                    <span class="muted small"> · {entry.site}</span>
                  </td>
                  <td>
                    {entry.commentId ? (
                      <button type="button" class="link-button mono" onClick={() => filterBy('comment', entry.commentId)}>
                        {entry.commentId.slice(-8)}
                      </button>
                    ) : null}
                    {entry.revision !== null ? <span class="muted small"> {t('audit.revision', { revision: entry.revision })}</span> : null}
                  </td>
                  <td>
                    {entry.authorId ? (
                      <button type="button" class="link-button mono" onClick={() => filterBy('author', entry.authorId)}>
                        {entry.authorId.slice(-8)}
                      </button>
                    ) : null}
                  </td>
                  <td>
                    {entry.reason ? <span class="chip">{entry.reason}</span> : null}
                    {entry.note ? <span> {entry.note}</span> : null}
                    <span class="muted small"> {describeDetail(entry.detail)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {nextCursor ? (
        <button type="button" class="button load-more" onClick={() => load(nextCursor)}>
          {t('queue.loadMore')}
        </button>
      ) : null}
    </section>
  );
}

import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AuditEntryDto } from '../../contracts/moderation-api';
import type { AuditQuery } from '../api-client';
import { formatDateTime } from '../format';
import { usePanel } from './panel-context';

function describeActor(entry: AuditEntryDto): string {
  return entry.actor.kind === 'system' ? 'System' : entry.actor.name;
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
  else if (typeof from === 'string') parts.push(`was ${from}`);
  const until = detail['until'];
  if (typeof until === 'string') parts.push(`until ${formatDateTime(until)}`);
  if (detail['isEdit'] === true) parts.push('after an edit');
  return parts.join(' · ');
}

const ACTIONS: { value: string; label: string }[] = [
  { value: '', label: 'Any action' },
  { value: 'comment.approve', label: 'Approved' },
  { value: 'comment.reject', label: 'Rejected' },
  { value: 'comment.restore', label: 'Restored' },
  { value: 'comment.feature', label: 'Featured' },
  { value: 'comment.unfeature', label: 'Unfeatured' },
  { value: 'comment.staff-reply', label: 'Answered as staff' },
  { value: 'pipeline.hold', label: 'Held by the filter' },
  { value: 'pipeline.reject', label: 'Rejected by the filter' },
  { value: 'pipeline.publish', label: 'Published by the filter' },
  { value: 'author.ban', label: 'Author banned' },
  { value: 'author.suspend', label: 'Author suspended' },
  { value: 'author.premoderate', label: 'Author pre-moderated' },
  { value: 'author.reinstate', label: 'Author reinstated' },
  { value: 'post.heat', label: 'Post heat changed' },
  { value: 'post.auto-heat', label: 'Post heated automatically' },
  { value: 'post.close', label: 'Post closed' },
  { value: 'post.open', label: 'Post opened' },
];

interface Filters {
  moderator: string;
  action: string;
  from: string;
  to: string;
  author: string;
  comment: string;
}

const NO_FILTERS: Filters = { moderator: '', action: '', from: '', to: '', author: '', comment: '' };

/** A date input (local calendar day) as the start of that day, or of the next one, in ISO time. */
function dayToIso(day: string, isEnd: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (isEnd) date.setDate(date.getDate() + 1);
  return date.toISOString();
}

/** The audit log, newest first, filterable by moderator, action, site (the site picker) and date. */
export function AuditView() {
  const { api, site, moderator: me, notify } = usePanel();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [moderators, setModerators] = useState<{ id: string; name: string }[]>([]);

  useEffect(() => {
    if (me.role !== 'admin') {
      setModerators([{ id: me.id, name: `${me.name} (you)` }]);
      return;
    }
    api.moderators().then(
      (list) => setModerators(list.map((entry) => ({ id: entry.id, name: entry.name }))),
      () => setModerators([{ id: me.id, name: `${me.name} (you)` }]),
    );
  }, [api, me]);

  const load = useCallback(
    (cursor?: string) => {
      const query: AuditQuery = {};
      if (site) query.site = site;
      if (filters.moderator) query.moderator = filters.moderator;
      if (filters.action) query.action = filters.action;
      if (filters.author) query.author = filters.author;
      if (filters.comment) query.comment = filters.comment;
      const after = dayToIso(filters.from, false);
      const before = dayToIso(filters.to, true);
      if (after) query.after = after;
      if (before) query.before = before;
      if (cursor) query.cursor = cursor;
      api.audit(query).then(
        (page) => {
          setEntries((current) => (cursor ? [...(current ?? []), ...page.entries] : page.entries));
          setNextCursor(page.nextCursor);
        },
        (error: unknown) => {
          setEntries((current) => current ?? []);
          notify(`Could not load the audit log: ${error instanceof Error ? error.message : String(error)}`, 'error');
        },
      );
    },
    [api, site, filters, notify],
  );
  useEffect(() => load(), [load]);

  const change = (key: keyof Filters, value: string) => setFilters((current) => ({ ...current, [key]: value }));
  const commentLink = (entry: AuditEntryDto): string | null =>
    entry.post?.url && entry.commentId ? `${entry.post.url.split('#')[0] ?? ''}#parley-${entry.commentId}` : null;

  return (
    <section class="view" aria-labelledby="audit-title">
      <div class="view-head">
        <h1 id="audit-title">Audit log</h1>
      </div>
      <form class="filters card audit-filters" role="search" aria-label="Filter the audit log" onSubmit={(event) => event.preventDefault()}>
        <label class="field field-inline">
          <span>Moderator</span>
          <select name="moderator" value={filters.moderator} onChange={(event) => change('moderator', event.currentTarget.value)}>
            <option value="">Anyone</option>
            {moderators.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span>Action</span>
          <select name="action" value={filters.action} onChange={(event) => change('action', event.currentTarget.value)}>
            {ACTIONS.map((entry) => (
              <option key={entry.value} value={entry.value}>
                {entry.label}
              </option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span>From</span>
          <input type="date" name="from" value={filters.from} onInput={(event) => change('from', event.currentTarget.value)} />
        </label>
        <label class="field field-inline">
          <span>To</span>
          <input type="date" name="to" value={filters.to} onInput={(event) => change('to', event.currentTarget.value)} />
        </label>
        {filters.author || filters.comment ? (
          <span class="filter-chip">
            {filters.author ? 'One author' : 'One comment'}
            <button type="button" class="link-button" aria-label="Clear the author or comment filter" onClick={() => setFilters({ ...filters, author: '', comment: '' })}>
              ✕
            </button>
          </span>
        ) : null}
        <button type="button" class="button button-ghost" onClick={() => setFilters(NO_FILTERS)}>
          Clear
        </button>
        <span class="muted small">Site: {site || 'all my sites'} (the picker above)</span>
      </form>

      {entries === null ? <p class="muted">Loading…</p> : null}
      {entries?.length === 0 ? <p class="empty">No entries.</p> : null}
      {entries && entries.length > 0 ? (
        <div class="table-wrap">
          <table class="audit-table">
            <caption class="visually-hidden">Moderation actions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Comment</th>
                <th scope="col">Author</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const link = commentLink(entry);
                return (
                  <tr key={entry.id} data-testid="audit-row">
                    <td>
                      <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                    </td>
                    <td>
                      {entry.actor.kind === 'moderator' ? (
                        <button type="button" class="link-button" onClick={() => change('moderator', entry.actor.kind === 'moderator' ? entry.actor.id : '')}>
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
                    <td class="audit-comment">
                      {entry.commentExcerpt ? <q data-testid="audit-excerpt">{entry.commentExcerpt}</q> : null}
                      {entry.revision !== null ? <span class="muted small"> rev {entry.revision}</span> : null}
                      <span class="audit-links">
                        {entry.post ? (
                          entry.post.url ? (
                            <a href={entry.post.url} target="_blank" rel="noopener" data-testid="audit-post-link">
                              {entry.post.title ?? entry.post.key}
                            </a>
                          ) : (
                            <span>{entry.post.title ?? entry.post.key}</span>
                          )
                        ) : null}
                        {link ? (
                          <a href={link} target="_blank" rel="noopener" data-testid="audit-comment-link">
                            comment
                          </a>
                        ) : null}
                        {entry.commentId ? (
                          <button type="button" class="link-button" onClick={() => change('comment', entry.commentId ?? '')}>
                            history
                          </button>
                        ) : null}
                      </span>
                    </td>
                    <td>
                      {entry.authorId ? (
                        <button type="button" class="link-button" onClick={() => change('author', entry.authorId ?? '')}>
                          {entry.authorName ?? 'unknown author'}
                        </button>
                      ) : null}
                    </td>
                    <td>
                      {entry.reason ? <span class="chip">{entry.reason}</span> : null}
                      {entry.note ? <span> {entry.note}</span> : null}
                      <span class="muted small"> {describeDetail(entry.detail)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {nextCursor ? (
        <button type="button" class="button load-more" onClick={() => load(nextCursor)}>
          Load more
        </button>
      ) : null}
    </section>
  );
}

import type { ScreeningDraft } from '../../comments';
import { assertCanModerate, type AuthorDirectory, type ModeratorPrincipal } from '../../identity';
import { AppError, NotFoundError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { AuditRepository } from '../audit/audit.repository';
import type { CommentsPort } from '../moderation.ports';
import type { AuthorHistorySummary } from '../pipeline-types';
import { loadRecentComments, summariseHistory } from './author-history';
import type { AuthorNoteRecord, AuthorNoteRepository } from './author-note.repository';

/** The window `GET /mod/authors/:id` reports on. */
export const HISTORY_VIEW_DAYS = 30;
const NOTES_SHOWN = 50;

type Actor = Pick<ModeratorPrincipal, 'id' | 'name' | 'role' | 'sites'>;

import type { AuthorHistoryDto, AuthorNoteDto } from '../../contracts/moderation-insights';

export type { AuthorHistoryDto, AuthorNoteDto } from '../../contracts/moderation-insights';

/** The note to edit is not one of this author's. */
export class AuthorNoteNotFoundError extends AppError {
  constructor(noteId: string) {
    super('AUTHOR_NOTE_NOT_FOUND', `note ${JSON.stringify(noteId)} was not found on this author`, { id: noteId });
  }
}

function toNoteDto(note: AuthorNoteRecord): AuthorNoteDto {
  return {
    id: note.id,
    text: note.text,
    at: note.at.toISOString(),
    moderator: note.moderator,
    ...(note.editedAt ? { editedAt: note.editedAt.toISOString() } : {}),
  };
}

export function createAuthorInsights(deps: {
  comments: Pick<CommentsPort, 'listComments'>;
  authors: Pick<AuthorDirectory, 'getAuthor'>;
  audit: AuditRepository;
  notes: AuthorNoteRepository;
  clock: Clock;
}) {
  const { comments, authors, audit, notes, clock } = deps;

  async function requireAuthor(moderator: Actor, authorId: string) {
    const author = await authors.getAuthor(authorId);
    if (!author) throw new NotFoundError('AUTHOR', authorId);
    assertCanModerate(moderator, author.site);
    return author;
  }

  async function lastRejection(authorId: string): Promise<AuthorHistoryDto['history']['lastRejection']> {
    const [byModerator, byPipeline] = await Promise.all([
      audit.query({ sites: null, authorId, action: 'comment.reject', limit: 1 }),
      audit.query({ sites: null, authorId, action: 'pipeline.reject', limit: 1 }),
    ]);
    const moderatorEntry = byModerator[0];
    const pipelineEntry = byPipeline[0];
    const latest = [moderatorEntry, pipelineEntry]
      .filter((entry) => entry !== undefined)
      .sort((a, b) => (a.at < b.at ? 1 : -1))[0];
    if (!latest) return null;
    if (latest.action === 'comment.reject') {
      return { at: latest.at, by: 'moderator', reason: latest.reason, note: latest.note, commentId: latest.commentId };
    }
    const findings = Array.isArray(latest.detail['findings']) ? (latest.detail['findings'] as { detail?: unknown; action?: unknown }[]) : [];
    const decisive = findings.find((finding) => finding.action === 'reject') ?? findings[0];
    return {
      at: latest.at,
      by: 'pipeline',
      reason: typeof decisive?.detail === 'string' ? decisive.detail : null,
      note: null,
      commentId: latest.commentId,
    };
  }

  return {
    /** For the history phase: only gathered when the site has the phase on. */
    async summaryForDraft(draft: ScreeningDraft, now: Date): Promise<AuthorHistorySummary | undefined> {
      const settings = draft.site.settings.history;
      if (!settings.enabled) return undefined;
      if (draft.isNewAuthor === true) return summariseHistory([], settings.windowDays);
      const recent = await loadRecentComments(comments, {
        authorId: draft.author.id,
        site: draft.site.id,
        now,
        windowDays: settings.windowDays,
      });
      return summariseHistory(
        recent.filter((comment) => comment.id !== draft.commentId),
        settings.windowDays,
      );
    },

    async getAuthorHistory(moderator: Actor, authorId: string): Promise<AuthorHistoryDto> {
      const author = await requireAuthor(moderator, authorId);
      const [recent, rejection, authorNotes] = await Promise.all([
        loadRecentComments(comments, { authorId, site: author.site, now: clock.now(), windowDays: HISTORY_VIEW_DAYS }),
        lastRejection(authorId),
        notes.listFor(authorId, NOTES_SHOWN),
      ]);
      return {
        author: {
          id: author.id,
          site: author.site,
          name: author.name,
          standing: author.standing,
          suspendedUntil: author.suspendedUntil ? author.suspendedUntil.toISOString() : null,
          isVerified: author.kind === 'sso',
          counts: author.counts,
        },
        history: { ...summariseHistory(recent, HISTORY_VIEW_DAYS), lastRejection: rejection },
        notes: authorNotes.map(toNoteDto),
      };
    },

    async addNote(moderator: Actor, authorId: string, text: string): Promise<AuthorNoteDto> {
      const author = await requireAuthor(moderator, authorId);
      const now = clock.now();
      const note = await notes.add({ authorId, site: author.site, text, moderator: { id: moderator.id, name: moderator.name }, at: now });
      await audit.append(
        {
          actor: { kind: 'moderator', id: moderator.id, name: moderator.name },
          action: 'author.note',
          site: author.site,
          authorId,
          note: text,
          detail: { noteId: note.id },
        },
        now,
      );
      return toNoteDto(note);
    },

    async editNote(moderator: Actor, authorId: string, noteId: string, text: string): Promise<AuthorNoteDto> {
      const author = await requireAuthor(moderator, authorId);
      const now = clock.now();
      const note = await notes.edit(authorId, noteId, text, now);
      if (!note) throw new AuthorNoteNotFoundError(noteId);
      await audit.append(
        {
          actor: { kind: 'moderator', id: moderator.id, name: moderator.name },
          action: 'author.note-edit',
          site: author.site,
          authorId,
          note: text,
          detail: { noteId },
        },
        now,
      );
      return toNoteDto(note);
    },
  };
}

export type AuthorInsights = ReturnType<typeof createAuthorInsights>;

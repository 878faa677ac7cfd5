/** `GET /me?site=`: a reader's standing GDPR requests on one site. */
export interface ReaderPrivacyDto {
  author: { id: string; kind: string; name: string };
  /** A scheduled erasure, while it can still be withdrawn. */
  deletion: { scheduledFor: string; requestedBy: 'author' | 'moderator' } | null;
  /** Hours between asking for erasure and the erasure (0: at once). */
  deletionGraceHours: number;
}

/** `DELETE /me` and `DELETE /mod/authors/:id`: 200 when erased at once, 202 when scheduled. */
export interface DeletionResultDto {
  scheduledFor: string;
  isDone: boolean;
}

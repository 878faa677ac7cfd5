import type { CommentDto, CreatedCommentDto, ReportReason, ThreadPageDto, ThreadSort } from '../contracts/comments';
import type { MailLanguageCode, SubscriptionStateDto } from '../contracts/notifications';
import type { DeletionResultDto, ReaderPrivacyDto } from '../contracts/privacy';
import { ApiClient, ApiError, type PageIdentity } from './api-client';
import { loadGuest, nameFromSsoToken, saveGuest, type GuestIdentity } from './author-store';
import { connectLive, type LiveConnection } from './live-connection';
import type { ParleyGlobal } from './runtime';
import { ThreadStore } from './thread-store';

/** What asking for reply notifications did, for the widget to say. */
export type MailOutcome =
  | { kind: 'confirmation-sent' | 'already-active'; email: string }
  | { kind: 'failed'; error: unknown };

export interface WidgetControllerOptions {
  base: string;
  site: string;
  post: string;
  /** The post's URL and title as the host page gives them. */
  page: PageIdentity;
  /** From `data-sso-token`. */
  initialSsoToken: string | null;
  parley: ParleyGlobal | undefined;
  /** The first page inlined by the host page (`data-initial-page`), as a reader without an identity gets it. */
  initialPage?: ThreadPageDto | undefined;
}

/** Everything the widget does besides rendering: API calls, identity, the live room. */
export class WidgetController {
  readonly store = new ThreadStore();
  readonly site: string;
  readonly post: string;
  private readonly page: PageIdentity;
  private readonly api: ApiClient;
  private readonly parley: ParleyGlobal | undefined;
  private readonly base: string;
  /** Where the service is (for the blog owner's setup hints). */
  get baseUrl(): string {
    return this.base;
  }
  private live: LiveConnection | undefined;
  private guest: GuestIdentity;
  private ssoToken: string | null;
  private stopAuthListener: (() => void) | undefined;
  isConnected = false;
  /** The comment a permalink (`#parley-<id>`) pointed at: highlighted in the thread. */
  highlightedId: string | null = null;
  /** Told when a moderator features or unfeatures a comment live (the widget announces it). */
  onFeatured: ((isFeatured: boolean) => void) | undefined;
  /** Comments this browser reacted to (anonymous readers have no other memory of it). */
  private readonly reacted: Set<string>;
  /** Whether the site mails replies and what the reader asked for; null until the service answered. */
  mailState: SubscriptionStateDto | null = null;
  /** The last "Notify me of replies" request's outcome (shown under the composer). */
  mailOutcome: MailOutcome | null = null;
  /** The reader's data was erased in this page view (the widget keeps saying so). */
  isErased = false;

  constructor(options: WidgetControllerOptions) {
    this.base = options.base;
    this.site = options.site;
    this.post = options.post;
    this.page = options.page;
    this.parley = options.parley;
    this.guest = loadGuest(options.site);
    this.reacted = loadReacted(options.site);
    this.ssoToken = options.parley?._ssoToken !== undefined ? options.parley._ssoToken : options.initialSsoToken;
    this.api = new ApiClient({ base: options.base, getBearer: () => this.bearer() });
    this.initialPage = options.initialPage;
  }

  /** Used once, by the first load, and only by a reader it was made for (no identity). */
  private initialPage: ThreadPageDto | undefined;

  /** Signed-in readers use the host's SSO token; guests their author token once they have one. */
  bearer(): string | null {
    return this.ssoToken ?? this.guest.token;
  }

  get isSignedIn(): boolean {
    return this.ssoToken !== null;
  }

  get signedInName(): string | undefined {
    return this.ssoToken ? nameFromSsoToken(this.ssoToken) : undefined;
  }

  get guestName(): string {
    return this.guest.name;
  }

  async start(): Promise<void> {
    this.stopAuthListener = this.parley?._onAuthChange((token) => {
      this.ssoToken = token;
      this.live?.rejoin();
      void this.reload();
      void this.loadMailState();
    });
    void this.loadMailState();
    await this.load(this.store.sort);
    this.live = connectLive({
      base: this.base,
      site: this.site,
      post: this.post,
      store: this.store,
      getAuthorToken: () => this.bearer(),
      onCount: (count) => this.setCount(count),
      onConnectionChange: (isConnected) => {
        this.isConnected = isConnected;
        this.store.changed();
      },
      onFeatured: (isFeatured) => this.onFeatured?.(isFeatured),
    });
  }

  /**
   * Opens the thread at a comment: loads thread pages until its top-level
   * ancestor is there, then reply pages down its chain, and highlights it.
   * Returns the id of the ancestor to show on its own when the comment sits
   * deeper than the widget indents (null: it is in the main thread), or
   * undefined when the comment is not reachable.
   */
  async openComment(commentId: string, maxIndentLevels: number): Promise<string | null | undefined> {
    let target: CommentDto;
    try {
      target = await this.api.getComment(commentId);
    } catch {
      return undefined;
    }
    if (target.site !== this.site || target.post !== this.post) return undefined;
    const chain = [...target.ancestorIds, target.id];
    const [rootId] = chain;
    const MAX_PAGES = 50;
    for (let pages = 0; rootId && !this.store.get(rootId) && this.store.nextCursor && pages < MAX_PAGES; pages += 1) {
      await this.loadMore();
    }
    for (let index = 1; index < chain.length; index += 1) {
      const parentId = chain[index - 1];
      const childId = chain[index];
      if (!parentId || !childId) break;
      for (let pages = 0; !this.store.get(childId) && pages < MAX_PAGES; pages += 1) {
        const parent = this.store.get(parentId);
        if (!parent || parent.repliesCursor === null) break;
        await this.loadReplies(parentId);
      }
    }
    if (!this.store.get(commentId)) return undefined;
    this.highlightedId = commentId;
    this.store.changed();
    const focusIndex = chain.length - maxIndentLevels;
    return focusIndex > 0 ? (chain[focusIndex] ?? null) : null;
  }

  stop(): void {
    this.stopAuthListener?.();
    this.live?.close();
  }

  async load(sort: ThreadSort): Promise<void> {
    this.store.state = 'loading';
    this.store.sort = sort;
    this.store.changed();
    try {
      // The Featured block comes beside the first page; without it the thread still shows.
      const featured = this.api.getFeatured(this.site, this.post).catch(() => null);
      const inlined = this.initialPage;
      this.initialPage = undefined;
      // The inlined page is the public one: a reader with an identity reads their own (pending comments, reactions).
      const page = inlined?.sort === sort && this.bearer() === null ? inlined : await this.api.getThread(this.site, this.post, { sort, page: this.page });
      this.store.applyPage(page, 'replace');
      const pinned = await featured;
      if (pinned) this.store.setFeatured(pinned);
      this.parley?._setCount(this.site, this.post, this.store.count);
    } catch (error) {
      this.store.state = 'failed';
      this.store.changed();
      throw error;
    }
  }

  reload(): Promise<void> {
    return this.load(this.store.sort).catch(() => undefined);
  }

  async loadMore(): Promise<void> {
    const cursor = this.store.nextCursor;
    if (!cursor) return;
    const page = await this.api.getThread(this.site, this.post, { sort: this.store.sort, cursor });
    this.store.applyPage(page, 'append');
  }

  async loadReplies(commentId: string): Promise<void> {
    const node = this.store.get(commentId);
    if (!node) return;
    const page = await this.api.getReplies(commentId, node.repliesCursor ?? null);
    this.store.applyReplies(page);
  }

  /**
   * Posts a comment; `confirmNudge` posts it anyway after the service nudged
   * the author (409 COMMENT_NUDGED, which then rejects with that ApiError).
   */
  async createComment(input: { body: string; parentId?: string; authorName?: string; confirmNudge?: boolean }): Promise<CreatedCommentDto> {
    const name = input.authorName?.trim();
    const request = {
      ...this.page,
      body: input.body,
      ...(input.parentId ? { parentId: input.parentId } : {}),
      ...(!this.isSignedIn && name ? { authorName: name } : {}),
      ...(input.confirmNudge ? { confirmNudge: true } : {}),
    };
    let created: CreatedCommentDto;
    try {
      created = await this.api.createComment(this.site, this.post, request);
    } catch (error) {
      // A nudged new guest gets an identity already: the revision or "post anyway" must be theirs, so the service can count it.
      const token = error instanceof ApiError && error.code === 'COMMENT_NUDGED' ? error.context['authorToken'] : undefined;
      if (typeof token === 'string') this.rememberGuest(token, name);
      throw error;
    }
    if (created.authorToken || (name && name !== this.guest.name)) this.rememberGuest(created.authorToken, name);
    this.store.addOwn({ ...created.comment, isOwn: true });
    return created;
  }

  /** Reads whether mail is on and the reader's subscription; without an answer the widget offers no mail. */
  async loadMailState(): Promise<void> {
    try {
      this.mailState = await this.api.getSubscriptionState(this.site);
    } catch {
      this.mailState = null;
    }
    this.store.changed();
  }

  /**
   * Asks for reply notifications (the service mails a confirmation link first);
   * `email` may be left out by an SSO reader whose sign-in carries one.
   */
  async subscribeToReplies(email: string | undefined, lang: MailLanguageCode): Promise<MailOutcome> {
    let outcome: MailOutcome;
    try {
      const result = await this.api.subscribe(this.site, { ...(email ? { email } : {}), lang });
      if (this.mailState) this.mailState = { ...this.mailState, subscription: result.subscription };
      outcome = { kind: result.isConfirmationSent ? 'confirmation-sent' : 'already-active', email: result.subscription.email };
    } catch (error) {
      outcome = { kind: 'failed', error };
    }
    this.mailOutcome = outcome;
    this.store.changed();
    return outcome;
  }

  /** Whether the reader is someone here (a guest who posted, or signed in): only they have data to see. */
  get hasIdentity(): boolean {
    return this.bearer() !== null;
  }

  privacyStatus(): Promise<ReaderPrivacyDto> {
    return this.api.getPrivacy(this.site);
  }

  /** The JSON text of everything the service stores about the reader. */
  downloadMyData(): Promise<string> {
    return this.api.downloadData(this.site);
  }

  /**
   * Asks for erasure. Done at once: this browser forgets the guest identity
   * (its name and token are personal data too) and the thread shows the tombstones.
   */
  async eraseMyData(): Promise<DeletionResultDto> {
    const result = await this.api.requestErasure(this.site);
    if (result.isDone) {
      if (!this.isSignedIn) {
        this.guest = { token: null, name: '' };
        saveGuest(this.site, this.guest);
        this.live?.rejoin();
      }
      this.mailOutcome = null;
      this.isErased = true;
      await Promise.all([this.reload(), this.loadMailState()]);
    }
    return result;
  }

  cancelErasure(): Promise<boolean> {
    return this.api.cancelErasure(this.site);
  }

  private rememberGuest(token: string | undefined, name: string | undefined): void {
    if (this.isSignedIn) return;
    this.guest = { token: token ?? this.guest.token, name: name || this.guest.name };
    saveGuest(this.site, this.guest);
    // The room must know the new token so our own pending comments reach us.
    if (token) this.live?.rejoin();
  }

  /** The draft as the service will render it (the composer's Preview tab). */
  async previewComment(body: string): Promise<string> {
    return (await this.api.previewComment(this.site, body)).html;
  }

  async editComment(comment: CommentDto, body: string): Promise<void> {
    const updated = await this.api.editComment(comment, body);
    this.store.applyUpdated({ ...updated, isOwn: true });
  }

  async deleteComment(comment: CommentDto): Promise<void> {
    const answered = await this.api.deleteComment(comment.id);
    // A comment with replies stays as a tombstone so the replies keep their place.
    const tombstone = answered?.status === 'deleted' ? answered : { ...comment, status: 'deleted' as const, body: '', author: null };
    this.store.remove(comment.id, tombstone);
  }

  /** Reacts or takes the reaction back; the count shown is the service's answer. */
  async toggleReaction(comment: CommentDto): Promise<void> {
    const isReacting = !this.hasReacted(comment);
    const result = await this.api.setReaction(comment.id, isReacting);
    this.rememberReaction(comment.id, result.reacted);
    this.store.setReactions(comment.id, result.reactions, result.reacted);
  }

  /** The service says so for identified readers; anonymous readers' own browser remembers. */
  hasReacted(comment: CommentDto): boolean {
    return comment.viewerReacted === true || this.reacted.has(comment.id);
  }

  private rememberReaction(commentId: string, isReacted: boolean): void {
    if (isReacted) this.reacted.add(commentId);
    else this.reacted.delete(commentId);
    try {
      localStorage.setItem(`parley:reacted:${this.site}`, JSON.stringify([...this.reacted].slice(-500)));
    } catch {
      // Private mode: the reaction still counts; this page view remembers it.
    }
  }

  reportComment(comment: CommentDto, reason: ReportReason): Promise<void> {
    return this.api.reportComment(comment.id, reason);
  }

  /** Whether the reader may still edit or delete a comment (their own, inside the edit window). */
  canChange(comment: CommentDto, now: Date): boolean {
    if (!this.store.isOwn(comment) || comment.status === 'deleted') return false;
    if (!comment.editableUntil) return false;
    return new Date(comment.editableUntil).getTime() > now.getTime();
  }

  private setCount(count: number): void {
    this.store.setCount(count);
    this.parley?._setCount(this.site, this.post, count);
  }
}

function loadReacted(site: string): Set<string> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(`parley:reacted:${site}`) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

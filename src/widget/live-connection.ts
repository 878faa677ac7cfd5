import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, JoinResult, ServerToClientEvents } from '../contracts/socket-events';
import type { ThreadStore } from './thread-store';

export interface LiveConnection {
  /** Joins again with a new identity (after login/logout). */
  rejoin(): void;
  close(): void;
}

export interface LiveConnectionOptions {
  base: string;
  site: string;
  post: string;
  store: ThreadStore;
  getAuthorToken: () => string | null;
  onCount: (count: number) => void;
  onConnectionChange: (isConnected: boolean) => void;
  /** A moderator featured (true) or unfeatured a comment while the page is open. */
  onFeatured?: (isFeatured: boolean) => void;
}

/**
 * The post's live room. Every (re)connect joins with `since` = the highest
 * sequence seen, so events missed while offline replay in order, silently.
 */
export function connectLive(options: LiveConnectionOptions): LiveConnection {
  const { site, post, store } = options;
  const baseUrl = new URL(options.base);
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl.origin, {
    path: `${baseUrl.pathname.replace(/\/$/, '')}/socket.io`,
    transports: ['websocket'],
    reconnectionDelayMax: 10_000,
  });
  const isOurs = (event: { site: string; post: string }): boolean => event.site === site && event.post === post;

  const join = (): void => {
    const token = options.getAuthorToken();
    socket.emit(
      'post:join',
      { site, post, ...(store.seq > 0 ? { since: store.seq } : {}), ...(token ? { authorToken: token } : {}) },
      (result) => {
        if (!result.ok) return;
        const joined: JoinResult = result.data;
        store.seeSeq(joined.seq);
        options.onCount(joined.count);
      },
    );
  };

  socket.on('connect', () => {
    options.onConnectionChange(true);
    join();
  });
  socket.on('disconnect', () => options.onConnectionChange(false));
  socket.on('comment:created', (event) => {
    if (!isOurs(event)) return;
    store.seeSeq(event.seq);
    store.applyCreated(event.comment);
  });
  socket.on('comment:updated', (event) => {
    if (!isOurs(event)) return;
    store.seeSeq(event.seq);
    store.applyUpdated(event.comment);
  });
  socket.on('comment:removed', (event) => {
    if (!isOurs(event)) return;
    store.seeSeq(event.seq);
    store.remove(event.id, event.tombstone, { reason: event.reason, notice: event.notice });
  });
  socket.on('post:updated', (event) => {
    if (!isOurs(event)) return;
    store.seeSeq(event.seq);
    store.applyPostState(event.state);
  });
  socket.on('comment:featured', (event) => {
    if (!isOurs(event)) return;
    store.seeSeq(event.seq);
    store.applyFeatured(event);
    options.onFeatured?.(event.featured);
  });
  socket.on('reactions:updated', (event) => {
    if (isOurs(event)) store.setReactions(event.commentId, event.reactions);
  });
  socket.on('count:updated', (event) => {
    if (isOurs(event)) options.onCount(event.count);
  });

  return {
    rejoin() {
      if (socket.connected) join();
    },
    close() {
      socket.close();
    },
  };
}

import { io, type Socket } from 'socket.io-client';
import type { ModerationClientToServerEvents, ModerationServerToClientEvents } from '../contracts/socket-events';

export type ModerationSocket = Socket<ModerationServerToClientEvents, ModerationClientToServerEvents>;
export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveConnectionOptions {
  /** The session token; without it the handshake relies on the session cookie. */
  token: string | null;
  onStatus: (status: LiveStatus) => void;
  /** The server refused the handshake because the session is gone. */
  onSessionLost: () => void;
}

const SESSION_LOST = /SESSION_EXPIRED|UNAUTHENTICATED/;

/** Opens the `/moderation` namespace over a websocket; Socket.IO reconnects on its own. */
export function connectLive(options: LiveConnectionOptions): ModerationSocket {
  const socket: ModerationSocket = io('/moderation', {
    transports: ['websocket'],
    withCredentials: true,
    auth: options.token ? { token: options.token } : {},
    reconnectionDelayMax: 10_000,
  });
  options.onStatus('connecting');
  socket.on('connect', () => options.onStatus('live'));
  socket.on('disconnect', () => options.onStatus('offline'));
  socket.on('connect_error', (error: Error & { data?: unknown }) => {
    const data = error.data as { code?: unknown } | undefined;
    const code = typeof data?.code === 'string' ? data.code : error.message;
    if (SESSION_LOST.test(code)) {
      socket.disconnect();
      options.onSessionLost();
      return;
    }
    options.onStatus('offline');
  });
  return socket;
}

import type { Logger } from 'pino';
import type { ConnectErrorData } from '../contracts/socket-events';
import { AppError, isAppError, parseInput, type DomainEvents, type EventBus } from '../shared';
import type { Clock } from '../shared/clock';
import type { ModerationNamespace, ModeratorSocket, RealtimeDeps, RealtimeLimits, RealtimeModerator, Timers } from './realtime.types';
import { adminSiteRoom, ALL_SITES_ROOM, moderatorSiteRoom } from './rooms';
import { moderatorAuthSchema, readAck, toAckError, watchPayloadSchema } from './socket.schemas';
import { createTokenBucket } from './token-bucket';

export interface ModerationHandlerDeps {
  nsp: ModerationNamespace;
  bus: EventBus<DomainEvents>;
  logger: Logger;
  clock: Clock;
  timers: Timers;
  limits: RealtimeLimits;
  authenticateModerator: RealtimeDeps['authenticateModerator'];
  onModeratorGone?: RealtimeDeps['onModeratorGone'];
  /** Name of the panel's HTTP-only session cookie. */
  sessionCookie: string;
  /** The panel's own origin (PUBLIC_URL): cookie handshakes from other origins are refused. */
  panelOrigin: string | undefined;
  /** How often a connected moderator's session is checked again (logout, expiry). */
  sessionRecheckMs: number;
}

type HandshakeError = Error & { data: ConnectErrorData };

function toHandshakeError(error: unknown): HandshakeError {
  const known = isAppError(error) ? error : new AppError('INTERNAL', 'Something went wrong on our side');
  return Object.assign(new Error(known.message), { data: { code: known.code } });
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    return value.length > 0 && value.length <= 200 && /^[A-Za-z0-9._~+/=%-]+$/.test(value) ? value : undefined;
  }
  return undefined;
}

function canModerate(moderator: RealtimeModerator, site: string): boolean {
  return moderator.role === 'admin' || moderator.sites.includes(site);
}

function assertInScope(moderator: RealtimeModerator, sites: string[]): void {
  const outside = sites.filter((site) => !canModerate(moderator, site));
  if (outside.length > 0) {
    throw new AppError('OUT_OF_SCOPE', `You do not moderate ${outside.map((site) => JSON.stringify(site)).join(', ')}`, {
      sites: outside,
    });
  }
}

function roomsFor(moderator: RealtimeModerator, watching: string[] | null): string[] {
  if (watching !== null)
    return moderator.role === 'admin' ? watching.flatMap((site) => [moderatorSiteRoom(site), adminSiteRoom(site)]) : watching.map(moderatorSiteRoom);
  return moderator.role === 'admin' ? [ALL_SITES_ROOM] : moderator.sites.map(moderatorSiteRoom);
}

/**
 * The `/moderation` namespace: the handshake proves a moderator session
 * (`auth: { token }` or the panel's cookie), the socket joins one room per
 * site in its scope (admins: every site), and `moderation.*` bus events reach
 * only the moderators of the event's site. Returns the bus unsubscriber.
 */
export function registerModerationHandlers(deps: ModerationHandlerDeps): () => void {
  const { nsp, bus, logger, clock, timers, limits } = deps;

  /** The session behind each socket, checked again periodically. */
  const socketTokens = new Map<string, { token: string; via: 'bearer' | 'cookie' }>();
  const recheckTimers = new Map<string, NodeJS.Timeout>();
  /** Open sockets per moderator id: claims end when the last one closes. */
  const socketsPerModerator = new Map<string, number>();

  const isSameOrigin = (socket: ModeratorSocket): boolean => {
    const origin = socket.handshake.headers.origin;
    if (typeof origin !== 'string') return true; // not a browser: no ambient-cookie attack to fear
    if (deps.panelOrigin !== undefined && origin === deps.panelOrigin) return true;
    try {
      return new URL(origin).host === socket.handshake.headers.host;
    } catch {
      return false;
    }
  };

  nsp.use((socket, next) => {
    const authenticate = async (): Promise<void> => {
      const auth = parseInput(moderatorAuthSchema, socket.handshake.auth, 'handshake auth');
      const cookie = auth.token ? undefined : readCookie(socket.handshake.headers.cookie, deps.sessionCookie);
      const token = auth.token ?? cookie;
      if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
      if (cookie && !isSameOrigin(socket)) throw new AppError('FORBIDDEN', 'The session cookie only works from the panel');
      const moderator = await deps.authenticateModerator(token, cookie ? 'cookie' : 'bearer');
      if (auth.sites) assertInScope(moderator, auth.sites);
      if (moderator.role !== 'admin' && moderator.sites.length === 0) {
        throw new AppError('OUT_OF_SCOPE', 'You do not moderate any site yet');
      }
      socket.data.moderator = { id: moderator.id, name: moderator.name, role: moderator.role, sites: [...moderator.sites] };
      socket.data.watching = auth.sites && auth.sites.length > 0 ? [...new Set(auth.sites)] : null;
      socketTokens.set(socket.id, { token, via: cookie ? 'cookie' : 'bearer' });
    };
    authenticate().then(
      () => next(),
      (error: unknown) => {
        if (!isAppError(error)) logger.error({ err: error }, 'moderator handshake failed');
        next(toHandshakeError(error));
      },
    );
  });

  const scheduleRecheck = (socket: ModeratorSocket): void => {
    const timer = timers.setTimeout(() => {
      const session = socketTokens.get(socket.id);
      if (!session) return;
      deps.authenticateModerator(session.token, session.via).then(
        (moderator) => {
          // Scope may have shrunk since the handshake: follow it.
          socket.data.moderator = { id: moderator.id, name: moderator.name, role: moderator.role, sites: [...moderator.sites] };
          const watching = socket.data.watching?.filter((site) => canModerate(moderator, site)) ?? null;
          socket.data.watching = watching !== null && watching.length === 0 ? null : watching;
          for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
          void socket.join(roomsFor(socket.data.moderator, socket.data.watching));
          scheduleRecheck(socket);
        },
        () => socket.disconnect(true),
      );
    }, deps.sessionRecheckMs);
    timer.unref();
    recheckTimers.set(socket.id, timer);
  };

  nsp.on('connection', (socket) => {
    const moderatorId = socket.data.moderator.id;
    socketsPerModerator.set(moderatorId, (socketsPerModerator.get(moderatorId) ?? 0) + 1);
    void socket.join(roomsFor(socket.data.moderator, socket.data.watching));
    scheduleRecheck(socket);
    const events = createTokenBucket({ capacity: limits.eventBurst, perSecond: limits.eventsPerSecond, clock });
    socket.use((_packet, next) => {
      if (events.take()) {
        next();
        return;
      }
      logger.warn({ socketId: socket.id, moderatorId: socket.data.moderator.id }, 'moderator socket flooded us: disconnecting it');
      socket.disconnect(true);
    });

    socket.on('sites:watch', (payload: unknown, ackCandidate: unknown) => {
      const ack = readAck<{ sites: string[] }>(ackCandidate);
      try {
        const { sites } = parseInput(watchPayloadSchema, payload, 'sites:watch payload');
        assertInScope(socket.data.moderator, sites);
        const watching = sites.length > 0 ? [...new Set(sites)] : null;
        for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
        void socket.join(roomsFor(socket.data.moderator, watching));
        socket.data.watching = watching;
        ack({ ok: true, data: { sites: watching ?? socket.data.moderator.sites } });
      } catch (error) {
        ack(toAckError(error));
      }
    });

    socket.on('disconnect', () => {
      socketTokens.delete(socket.id);
      const timer = recheckTimers.get(socket.id);
      if (timer) timers.clearTimeout(timer);
      recheckTimers.delete(socket.id);
      const left = (socketsPerModerator.get(moderatorId) ?? 1) - 1;
      if (left > 0) {
        socketsPerModerator.set(moderatorId, left);
        return;
      }
      socketsPerModerator.delete(moderatorId);
      deps.onModeratorGone?.(moderatorId).catch((error: unknown) =>
        logger.error({ err: error, moderatorId }, 'could not end the claims of a moderator who left'),
      );
    });
  });

  const toSite = (site: string) => nsp.to([moderatorSiteRoom(site), ALL_SITES_ROOM]);
  const toAdminsOf = (site: string) => nsp.to([adminSiteRoom(site), ALL_SITES_ROOM]);
  const unsubscribers = [
    bus.subscribe('moderation.queue-added', (event) => toSite(event.site).emit('queue:added', event)),
    bus.subscribe('moderation.queue-removed', (event) => toSite(event.site).emit('queue:removed', event)),
    bus.subscribe('moderation.claimed', (event) => toSite(event.site).emit('comment:claimed', event)),
    bus.subscribe('moderation.released', (event) => toSite(event.site).emit('comment:released', event)),
    bus.subscribe('moderation.stats', (event) => toSite(event.site).emit('stats:updated', event)),
    bus.subscribe('portability.import-updated', (event) => toAdminsOf(event.site).emit('import:updated', event)),
    bus.subscribe('webhooks.delivery', (event) => toSite(event.site).emit('webhook:delivery', event)),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
    for (const timer of recheckTimers.values()) timers.clearTimeout(timer);
    recheckTimers.clear();
  };
}

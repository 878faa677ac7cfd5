import { randomBytes } from 'node:crypto';
import { Types, type Model } from 'mongoose';
import type { Logger } from 'pino';
import type { ModeratorDto, ModeratorRole, SessionDto } from '../contracts/moderation-api';
import { AppError } from '../shared/errors';
import type { Clock } from '../shared/clock';
import type { ModeratorDoc, SessionDoc } from './identity.models';
import type { ModeratorPrincipal } from './identity.types';
import { hashPassword, verifyPassword } from './password';
import { createOpaqueToken, hashToken } from './tokens';
import type { LoginThrottle } from './login-throttle';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface ModeratorServiceDeps {
  Moderator: Model<ModeratorDoc>;
  Session: Model<SessionDoc>;
  clock: Clock;
  logger: Logger;
  throttle: LoginThrottle;
  /** Told after a moderator was created or changed (cached moderator names). */
  onModeratorsChanged?: (() => void) | undefined;
}

export interface CreateModeratorInput {
  email: string;
  name: string;
  password: string;
  role: ModeratorRole;
  sites: string[];
}

export interface ModeratorService {
  /** `source` is the client (its IP key) that sign-in attempts are counted against. */
  login(input: { email: string; password: string }, meta: { ip: string | null; source: string }): Promise<SessionDto>;
  logout(token: string): Promise<void>;
  authenticate(token: string, via: ModeratorPrincipal['via']): Promise<ModeratorPrincipal & { csrfToken: string; expiresAt: Date }>;
  createModerator(input: CreateModeratorInput): Promise<ModeratorDto>;
  listModerators(): Promise<ModeratorDto[]>;
  updateModerator(id: string, patch: Partial<Pick<CreateModeratorInput, 'name' | 'role' | 'sites' | 'password'>>): Promise<ModeratorDto>;
  findModerator(id: string): Promise<ModeratorDto | undefined>;
  /** First start: the admin from the environment, or a generated one on an embedded database. */
  ensureFirstAdmin(options: { admin: { email: string; password: string } | undefined; mayGenerate: boolean }): Promise<void>;
}

function toDto(doc: ModeratorDoc): ModeratorDto {
  return { id: doc._id.toHexString(), email: doc.email, name: doc.name, role: doc.role, sites: doc.sites };
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

export function createModeratorService(deps: ModeratorServiceDeps): ModeratorService {
  const { Moderator, Session, clock, logger, throttle } = deps;
  // Compared against when the e-mail is unknown, so timing doesn't reveal which accounts exist.
  const decoyHash = hashPassword(randomBytes(16).toString('hex'));

  async function createModerator(input: CreateModeratorInput): Promise<ModeratorDto> {
    try {
      const doc = await Moderator.create({
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        sites: [...new Set(input.sites)],
        passwordHash: await hashPassword(input.password),
      });
      deps.onModeratorsChanged?.();
      return toDto(doc.toObject<ModeratorDoc>());
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppError('MODERATOR_EXISTS', `A moderator with e-mail ${input.email} exists`);
      throw error;
    }
  }

  return {
    async login({ email, password }, meta) {
      const now = clock.now();
      const account = email.trim().toLowerCase();
      // Counted by e-mail, known or not, so lockouts answer the same for both (no account oracle).
      await throttle.reserveAttempt(account, meta.source);
      const moderator = await Moderator.findOne({ email: account }).lean<ModeratorDoc>();
      // An unknown e-mail costs the same hash as a known one.
      const isRight = await verifyPassword(password, moderator ? moderator.passwordHash : await decoyHash);
      if (!moderator || !isRight) {
        await throttle.recordFailure(account);
        throw new AppError('INVALID_CREDENTIALS', 'E-mail or password is wrong');
      }
      await throttle.recordSuccess(account, meta.source);
      const token = createOpaqueToken();
      const csrfToken = createOpaqueToken();
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      await Session.create({ tokenHash: hashToken(token), moderatorId: moderator._id, csrfToken, expiresAt, ip: meta.ip });
      return { token, csrfToken, expiresAt: expiresAt.toISOString(), moderator: toDto(moderator) };
    },
    async logout(token) {
      await Session.deleteOne({ tokenHash: hashToken(token) });
    },
    async authenticate(token, via) {
      const session = await Session.findOne({ tokenHash: hashToken(token) }).lean<SessionDoc>();
      if (!session) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
      if (session.expiresAt <= clock.now()) {
        await Session.deleteOne({ _id: session._id });
        throw new AppError('SESSION_EXPIRED', 'Your session has expired; sign in again');
      }
      const moderator = await Moderator.findById(session.moderatorId).lean<ModeratorDoc>();
      if (!moderator) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
      return {
        ...toDto(moderator),
        sessionId: session._id.toHexString(),
        via,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
      };
    },
    createModerator,
    async listModerators() {
      const docs = await Moderator.find().sort({ createdAt: 1 }).lean<ModeratorDoc[]>();
      return docs.map(toDto);
    },
    async findModerator(id) {
      if (!Types.ObjectId.isValid(id)) return undefined;
      const doc = await Moderator.findById(id).lean<ModeratorDoc>();
      return doc ? toDto(doc) : undefined;
    },
    async updateModerator(id, patch) {
      const set: Record<string, unknown> = {};
      if (patch.name !== undefined) set['name'] = patch.name;
      if (patch.role !== undefined) set['role'] = patch.role;
      if (patch.sites !== undefined) set['sites'] = [...new Set(patch.sites)];
      if (patch.password !== undefined) set['passwordHash'] = await hashPassword(patch.password);
      const doc = await Moderator.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean<ModeratorDoc>();
      if (!doc) throw new AppError('NOT_FOUND', `moderator ${JSON.stringify(id)} was not found`);
      deps.onModeratorsChanged?.();
      if (patch.password !== undefined) await Session.deleteMany({ moderatorId: doc._id });
      return toDto(doc);
    },
    async ensureFirstAdmin({ admin, mayGenerate }) {
      if ((await Moderator.estimatedDocumentCount()) > 0) return;
      if (admin) {
        try {
          await createModerator({ email: admin.email, password: admin.password, name: 'Admin', role: 'admin', sites: [] });
        } catch (error) {
          // Another instance starting at the same moment created it.
          if (error instanceof AppError && error.code === 'MODERATOR_EXISTS') return;
          throw error;
        }
        logger.info({ email: admin.email }, 'created the first admin from ADMIN_EMAIL');
        return;
      }
      if (!mayGenerate) {
        logger.warn('no moderator exists and ADMIN_EMAIL/ADMIN_PASSWORD are not set: nobody can sign in to /moderate');
        return;
      }
      const email = 'admin@parley.local';
      const generated = randomBytes(12).toString('base64url');
      await createModerator({ email, password: generated, name: 'Admin', role: 'admin', sites: [] });
      // Printed once, on purpose: this is the only way to learn the generated password.
      logger.warn(`created the first admin: sign in at /moderate as ${email} with password ${generated}`);
    },
  };
}

import { Schema, type Connection, type Model } from 'mongoose';
import { DEFAULT_MODERATION_SETTINGS, type ModerationSettings } from '../contracts/moderation';
import type { SiteRecord } from './site.types';

interface SiteDoc {
  _id: string;
  name: string;
  origins: string[];
  ssoSecret: string | null;
  settings: ModerationSettings;
  settingsRevision: number;
  createdAt: Date;
  updatedAt: Date;
}

const siteSchema = new Schema<SiteDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    origins: { type: [String], default: [] },
    ssoSecret: { type: String, default: null },
    settings: { type: Schema.Types.Mixed, required: true },
    settingsRevision: { type: Number, default: 1 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'sites', versionKey: false, minimize: false },
);
siteSchema.index({ origins: 1 });

export interface SiteRepository {
  insert(site: SiteRecord): Promise<'inserted' | 'exists'>;
  findById(id: string): Promise<SiteRecord | undefined>;
  findAll(): Promise<SiteRecord[]>;
  count(): Promise<number>;
  /** Applies `$set` paths atomically and bumps the settings revision when asked; undefined when missing. */
  update(id: string, set: Record<string, unknown>, options: { bumpSettingsRevision: boolean }): Promise<SiteRecord | undefined>;
}

function mergeSettings(stored: Partial<ModerationSettings> | undefined): ModerationSettings {
  const value = stored ?? {};
  return {
    ...DEFAULT_MODERATION_SETTINGS,
    ...value,
    categories: { ...DEFAULT_MODERATION_SETTINGS.categories, ...(value.categories ?? {}) },
    autoHeat: { ...DEFAULT_MODERATION_SETTINGS.autoHeat, ...(value.autoHeat ?? {}) },
    brigading: { ...DEFAULT_MODERATION_SETTINGS.brigading, ...(value.brigading ?? {}) },
    history: { ...DEFAULT_MODERATION_SETTINGS.history, ...(value.history ?? {}) },
  };
}

function toRecord(doc: SiteDoc): SiteRecord {
  return {
    id: doc._id,
    name: doc.name,
    origins: [...doc.origins],
    ssoSecret: doc.ssoSecret ?? null,
    settings: mergeSettings(doc.settings),
    settingsRevision: doc.settingsRevision ?? 1,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

export function createSiteRepository(connection: Connection): SiteRepository {
  const Site: Model<SiteDoc> = (connection.models['Site'] as Model<SiteDoc> | undefined) ?? connection.model<SiteDoc>('Site', siteSchema);
  return {
    async insert(site) {
      try {
        await Site.create({
          _id: site.id,
          name: site.name,
          origins: site.origins,
          ssoSecret: site.ssoSecret,
          settings: site.settings,
          settingsRevision: site.settingsRevision,
          createdAt: site.createdAt,
          updatedAt: site.updatedAt,
        });
        return 'inserted';
      } catch (error) {
        if (isDuplicateKey(error)) return 'exists';
        throw error;
      }
    },
    async findById(id) {
      const doc = await Site.findById(id).lean<SiteDoc>().exec();
      return doc ? toRecord(doc) : undefined;
    },
    async findAll() {
      const docs = await Site.find({}).sort({ _id: 1 }).lean<SiteDoc[]>().exec();
      return docs.map(toRecord);
    },
    count() {
      return Site.countDocuments({}).exec();
    },
    async update(id, set, options) {
      const update: Record<string, unknown> = { $set: set };
      if (options.bumpSettingsRevision) update['$inc'] = { settingsRevision: 1 };
      const doc = await Site.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<SiteDoc>().exec();
      return doc ? toRecord(doc) : undefined;
    },
  };
}

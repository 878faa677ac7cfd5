import type { ModerationSettings } from '../contracts/moderation';

/** A site as the rest of Parley sees it (internal: carries the SSO secret). */
export interface SiteRecord {
  id: string;
  name: string;
  /** Normalised `scheme://host[:port]` origins allowed to embed the widget and call the public API. */
  origins: string[];
  /** HS256 secret for the host site's SSO tokens; never sent to clients. */
  ssoSecret: string | null;
  /** Always complete: stored merged over DEFAULT_MODERATION_SETTINGS. */
  settings: ModerationSettings;
  /** +1 on every settings change, so caches (word filters) know when to rebuild. */
  settingsRevision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateSiteInput {
  id: string;
  name: string;
  origins: string[];
  ssoSecret?: string | undefined;
  settings?: SettingsPatch | undefined;
}

/** Settings groups a patch may change field by field. */
export type NestedSettingsKey = 'autoHeat' | 'brigading' | 'history' | 'categories';

/** A partial settings change; `autoHeat`, `brigading`, `history` and `categories` may themselves be partial. */
export type SettingsPatch = {
  [K in Exclude<keyof ModerationSettings, NestedSettingsKey>]?: ModerationSettings[K] | undefined;
} & {
  [K in NestedSettingsKey]?: { [F in keyof ModerationSettings[K]]?: ModerationSettings[K][F] | undefined } | undefined;
};

export interface SitePatch {
  name?: string | undefined;
  origins?: string[] | undefined;
  /** `null` removes the secret. */
  ssoSecret?: string | null | undefined;
  settings?: SettingsPatch | undefined;
}

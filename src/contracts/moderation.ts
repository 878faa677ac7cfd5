/** What the moderation pipeline decided about one revision of a comment. */
export type VerdictAction = 'publish' | 'hold' | 'reject';

export interface Finding {
  /** Stable rule id, e.g. `words.banned`, `spam.shouting`, `policy.premoderation`. */
  rule: string;
  /** Human explanation a moderator reads. */
  detail: string;
  /** UTF-16 offsets into the comment body that the rule matched: `[start, end)`. */
  span?: [number, number];
  /** What the phase would have decided on its own. */
  action?: VerdictAction;
}

export interface Verdict {
  action: VerdictAction;
  findings: Finding[];
}

export type PostHeat = 'normal' | 'heated' | 'lockdown';
export type AuthorStanding = 'active' | 'banned' | 'suspended' | 'premoderated';
export type PremoderationMode = 'none' | 'all' | 'new-authors';

/** A site's moderation settings; every field has a default. */
export interface ModerationSettings {
  /** Hold every comment (`all`), only new authors' (`new-authors`), or none. */
  premoderation: PremoderationMode;
  maxLength: number;
  maxLinks: number;
  /** Minimum seconds between two comments of one author on a site (0: off). */
  slowModeSeconds: number;
  /** Slow mode applied on heated posts. */
  heatedSlowModeSeconds: number;
  /** An author with fewer approved comments than this is "new". */
  newAuthorThreshold: number;
  editWindowSeconds: number;
  /** Domains whose links never count as spam signals. */
  trustedDomains: string[];
  bannedWords: string[];
  suspectWords: string[];
  /** Automatic heating: share of reported / held comments among a post's last comments. */
  autoHeat: { enabled: boolean; reportRate: number; holdRate: number; window: number };
}

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = {
  premoderation: 'none',
  maxLength: 5000,
  maxLinks: 3,
  slowModeSeconds: 0,
  heatedSlowModeSeconds: 30,
  newAuthorThreshold: 3,
  editWindowSeconds: 300,
  trustedDomains: [],
  bannedWords: [],
  suspectWords: [],
  autoHeat: { enabled: true, reportRate: 0.3, holdRate: 0.5, window: 20 },
};

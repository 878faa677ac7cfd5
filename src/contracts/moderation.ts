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
  /** What kind of harm the rule looks for (`insult`, `spam`, `brigading`, `history`, `external`, …). */
  category?: string;
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
  /** HTTP classifiers asked about every comment (the `external` phase); none by default. */
  classifiers: ClassifierSettings[];
  /** The Perspective API adapter; off unless an `apiKey` is set. */
  perspective: PerspectiveSettings | null;
  /** Near-duplicates from different authors and bursts of first-time authors (the `brigading` phase). */
  brigading: BrigadingSettings;
  /** Holding authors whose recent comments were mostly rejected (the `history` phase). */
  history: HistorySettings;
}

/** What happens to a comment when a classifier cannot give an answer in time. */
export type ClassifierFailMode = 'open' | 'closed';

/** One external HTTP classifier (see README, "External classifiers"). */
export interface ClassifierSettings {
  name: string;
  url: string;
  /** Shared secret for `X-Parley-Signature` both ways; masked in every response. */
  secret: string;
  timeoutMs: number;
  /** `open`: publish path continues with a finding; `closed`: hold for review. */
  failMode: ClassifierFailMode;
}

export interface PerspectiveSettings {
  /** Without a key the adapter is off and nothing is sent. Masked in every response. */
  apiKey: string | null;
  /** A Perspective attribute such as `TOXICITY`, `INSULT`, `THREAT`, `IDENTITY_ATTACK`. */
  attribute: string;
  /** Summary score (0–1) at or above which the comment is held. */
  threshold: number;
  /** `comments:analyze` URL; Google's by default. */
  endpoint?: string | undefined;
  timeoutMs: number;
  failMode: ClassifierFailMode;
}

export interface BrigadingSettings {
  enabled: boolean;
  /** How far back near-duplicates and first-time authors are looked for. */
  windowMinutes: number;
  /** Near-duplicates from this many different authors (this one included) form a cluster. */
  minClusterSize: number;
  /** First-time authors on one post within the window that make a burst (0: off). */
  firstTimeBurst: number;
}

export interface HistorySettings {
  enabled: boolean;
  /** Share of the author's recent comments that were rejected, at or above which new ones are held. */
  rejectionRate: number;
  /** Fewer recent comments than this say nothing about an author. */
  minSample: number;
  windowDays: number;
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
  classifiers: [],
  perspective: null,
  brigading: { enabled: true, windowMinutes: 60, minClusterSize: 3, firstTimeBurst: 0 },
  history: { enabled: true, rejectionRate: 0.6, minSample: 5, windowDays: 30 },
};

/** Sent instead of a classifier secret or API key; sending it back keeps the stored one. */
export const SECRET_MASK = '********';

/** Finding categories an author is nudged about before posting (hostility, not spam or policy). */
export const NUDGE_CATEGORIES: readonly string[] = [
  'insult',
  'dehumanising',
  'slur',
  'violence',
  'threat',
  'self-harm',
  'profanity',
];

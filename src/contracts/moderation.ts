/** What the moderation pipeline decided about one revision of a comment. */
export type VerdictAction = 'publish' | 'hold' | 'reject';

/**
 * What kind of problem a finding is about. Content categories have a per-site
 * setting (`ModerationSettings.categories`); `site-words` follows the site's own
 * banned/suspect lists and `policy` the site's and post's rules.
 */
export const FINDING_CATEGORIES = [
  'profanity',
  'slur',
  'dehumanising',
  'violence',
  'threat',
  'insult',
  'self-harm',
  'spam',
  'promotion',
  'evasion',
  'brigading',
  'history',
  'external',
  'sexual',
  'site-words',
  'policy',
] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

/** Whether a string from outside (a classifier's answer) names one of our categories. */
export function isFindingCategory(value: string): value is FindingCategory {
  return (FINDING_CATEGORIES as readonly string[]).includes(value);
}

/** The categories a site can set to reject, hold or off. */
export const CONFIGURABLE_CATEGORIES = [
  'profanity',
  'slur',
  'dehumanising',
  'violence',
  'threat',
  'insult',
  'self-harm',
  'spam',
  'promotion',
  'evasion',
  'brigading',
  'history',
  'external',
] as const satisfies readonly FindingCategory[];
export type ConfigurableCategory = (typeof CONFIGURABLE_CATEGORIES)[number];

/** What a site does with a category's findings: `off` records nothing and decides nothing. */
export type CategoryAction = 'reject' | 'hold' | 'off';
export const CATEGORY_ACTIONS = ['reject', 'hold', 'off'] as const satisfies readonly CategoryAction[];

/**
 * Defaults: calls for violence, slurs, profanity (as before) and self-harm
 * incitement reject; threats, dehumanising language, insults, spam signals,
 * promotion, mixed-script evasions and the signals about authors hold for a
 * moderator. A rule that is unsure of its reading holds even when its category rejects.
 */
export const DEFAULT_CATEGORY_ACTIONS: Readonly<Record<ConfigurableCategory, CategoryAction>> = Object.freeze({
  profanity: 'reject',
  slur: 'reject',
  dehumanising: 'hold',
  violence: 'reject',
  threat: 'hold',
  insult: 'hold',
  'self-harm': 'reject',
  spam: 'hold',
  promotion: 'hold',
  evasion: 'hold',
  brigading: 'hold',
  history: 'hold',
  external: 'hold',
});

export interface Finding {
  /** Stable rule id, e.g. `words.banned`, `spam.shouting`, `policy.premoderation`. */
  rule: string;
  /** What kind of problem this is; the site's `categories` setting decides what it does. */
  category: FindingCategory;
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
  /** BCP 47 codes of the languages the comment is written in, most used first (e.g. `["ru"]`); empty when no words. */
  languages: string[];
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
  /**
   * Posts close for new comments this many days after Parley first saw them
   * (their first comment or first read from the site); 0: never. A post a
   * moderator opens again stays open.
   */
  closeAfterDays: number;
  /** Domains whose links never count as spam signals. */
  trustedDomains: string[];
  bannedWords: string[];
  suspectWords: string[];
  /** Per category: reject, hold or off. Always complete (missing keys take the defaults). */
  categories: Record<ConfigurableCategory, CategoryAction>;
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
  /** The reaction button's word ("Respect", "Like"); null: the widget's own word in the reader's language. */
  reactionLabel: string | null;
  /** Lets readers downvote; downvotes only feed `sort=best` and are never shown. Off by default. */
  downvotes: boolean;
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
  closeAfterDays: 0,
  trustedDomains: [],
  bannedWords: [],
  suspectWords: [],
  categories: { ...DEFAULT_CATEGORY_ACTIONS },
  autoHeat: { enabled: true, reportRate: 0.3, holdRate: 0.5, window: 20 },
  classifiers: [],
  perspective: null,
  brigading: { enabled: true, windowMinutes: 60, minClusterSize: 3, firstTimeBurst: 0 },
  history: { enabled: true, rejectionRate: 0.6, minSample: 5, windowDays: 30 },
  reactionLabel: null,
  downvotes: false,
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

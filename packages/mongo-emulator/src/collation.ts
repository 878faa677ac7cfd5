import type { Document } from 'bson';
import { MongoCommandError, badValue, typeMismatch } from './command-error';

/**
 * A MongoDB collation (locale-aware string comparison) carried out by `Intl.Collator`
 * (ICU, as in mongod). Strength 1 compares base letters only, 2 adds accents, 3 (the
 * default) adds case; `caseLevel`, `caseFirst`, `numericOrdering` and `alternate:
 * "shifted"` map onto the collator's options. `{ locale: "simple" }` is no collation:
 * binary comparison, which the emulator does without one.
 */
export interface Collation {
  /** Every field filled in, as MongoDB reports a collation in listIndexes and listCollections. */
  readonly spec: Document;
  /** Equal for two collations exactly when they compare strings alike (for matching an index to a query). */
  readonly key: string;
  readonly compareStrings: (a: string, b: string) => number;
}

const FIELDS = new Set([
  'locale',
  'caseLevel',
  'caseFirst',
  'strength',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
]);

/** The ICU version MongoDB 7.0 reports in a collation spec. */
const ICU_VERSION = '57.1';

function notImplemented(what: string): MongoCommandError {
  return new MongoCommandError(238, 'NotImplemented', `${what} is not supported by the Parley MongoDB emulator`);
}

function isPlainObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('_bsontype' in value);
}

/** MongoDB spells locales ICU's way (`en_US`, `de@collation=phonebook`); Intl wants BCP 47. */
function toLanguageTag(locale: string): string {
  const [base = '', keywords = ''] = locale.split('@');
  const tag = base.replace(/_/g, '-');
  const collationType = /(?:^|;)collation=([a-z]+)/i.exec(keywords)?.[1];
  if (collationType === undefined) return tag;
  const shortened: Record<string, string> = { phonebook: 'phonebk', traditional: 'trad', dictionary: 'dict' };
  return `${tag}-u-co-${shortened[collationType] ?? collationType}`;
}

function booleanField(spec: Document, field: string, fallback: boolean): boolean {
  const value: unknown = spec[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw typeMismatch(`BSON field 'collation.${field}' is the wrong type '${typeof value}', expected type 'bool'`);
  return value;
}

function stringField<T extends string>(spec: Document, field: string, allowed: readonly T[], fallback: T): T {
  const value: unknown = spec[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw badValue(`Field '${field}' must be one of ${allowed.map((v) => `'${v}'`).join(', ')}`);
  return value as T;
}

const collatorCache = new Map<string, Collation>();

/**
 * Parses a `collation` option. Returns undefined for none and for `{ locale: "simple" }`;
 * throws MongoDB's errors for a malformed one, and 238 NotImplemented for the options
 * Intl.Collator cannot honour (`backwards: true`, `maxVariable: "space"` with `shifted`).
 */
export function parseCollation(value: unknown): Collation | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    throw typeMismatch(`BSON field 'collation' is the wrong type '${typeof value}', expected type 'object'`);
  for (const field of Object.keys(value)) {
    if (!FIELDS.has(field))
      throw new MongoCommandError(40415, 'Location40415', `BSON field 'collation.${field}' is an unknown field.`);
  }
  const locale: unknown = value['locale'];
  if (locale === undefined)
    throw new MongoCommandError(40414, 'Location40414', "BSON field 'collation.locale' is missing but a required field");
  if (typeof locale !== 'string')
    throw typeMismatch(`BSON field 'collation.locale' is the wrong type '${typeof locale}', expected type 'string'`);
  if (locale === 'simple') {
    if (Object.keys(value).length > 1) throw badValue('Collation options are not allowed with the simple locale');
    return undefined;
  }
  const tag = toLanguageTag(locale);
  let isKnownLocale: boolean;
  try {
    isKnownLocale = tag !== '' && Intl.Collator.supportedLocalesOf(tag).length > 0;
  } catch {
    isKnownLocale = false;
  }
  if (!isKnownLocale) throw badValue(`Field 'locale' is invalid in: { locale: ${JSON.stringify(locale)} }`);
  const rawStrength: unknown = value['strength'] ?? 3;
  const strength = typeof rawStrength === 'number' ? rawStrength : Number(rawStrength);
  if (!Number.isInteger(strength) || strength < 1 || strength > 5)
    throw badValue(`Field 'strength' must be an integer 1 through 5. Got: ${String(rawStrength)}`);
  const caseLevel = booleanField(value, 'caseLevel', false);
  const caseFirst = stringField(value, 'caseFirst', ['upper', 'lower', 'off'], 'off');
  const numericOrdering = booleanField(value, 'numericOrdering', false);
  const alternate = stringField(value, 'alternate', ['non-ignorable', 'shifted'], 'non-ignorable');
  const maxVariable = stringField(value, 'maxVariable', ['punct', 'space'], 'punct');
  const normalization = booleanField(value, 'normalization', false);
  const backwards = booleanField(value, 'backwards', false);
  if (backwards) throw notImplemented('collation backwards: true (French secondary ordering)');
  if (alternate === 'shifted' && maxVariable === 'space')
    throw notImplemented('collation alternate: "shifted" with maxVariable: "space"');
  const spec: Document = {
    locale,
    caseLevel,
    caseFirst,
    strength,
    numericOrdering,
    alternate,
    maxVariable,
    normalization,
    backwards,
    version: ICU_VERSION,
  };
  const key = JSON.stringify({ ...spec, locale: tag, normalization: false });
  const cached = collatorCache.get(key);
  if (cached !== undefined) return cached;
  const sensitivity: Intl.CollatorOptions['sensitivity'] =
    strength === 1 ? (caseLevel ? 'case' : 'base') : strength === 2 ? (caseLevel ? 'variant' : 'accent') : 'variant';
  const collator = new Intl.Collator(tag, {
    usage: 'sort',
    sensitivity,
    numeric: numericOrdering,
    caseFirst: caseFirst === 'off' ? 'false' : caseFirst,
    ignorePunctuation: alternate === 'shifted',
  });
  // Strength 5 (identical) breaks the collator's ties by code points.
  const compareStrings =
    strength === 5
      ? (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)
      : (a: string, b: string): number => collator.compare(a, b);
  const collation: Collation = { spec, key, compareStrings };
  collatorCache.set(key, collation);
  return collation;
}

/** The key of "no collation" (binary), for comparing an index's collation to a query's. */
export const SIMPLE_COLLATION_KEY = 'simple';

export function collationKeyOf(collation: Collation | undefined): string {
  return collation?.key ?? SIMPLE_COLLATION_KEY;
}

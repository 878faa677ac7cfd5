import { AppError } from '../shared/errors';
import { areConfusable, confusableSkeletons } from './confusables';

const MAX_NAME_LENGTH = 50;
/** Names a guest may not take, compared after folding case, accents, leet and separators. */
const RESERVED = ['moderator', 'admin', 'administrator', 'staff', 'parley', 'editor', 'mod', 'sysop', 'official'];
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

/** Each reserved word's skeletons, in its lower and its upper case (the mapping is case-sensitive). */
const RESERVED_SKELETONS = RESERVED.map(
  (word) => new Set([...confusableSkeletons(word), ...confusableSkeletons(word.toUpperCase())]),
);

/** A name shorter than this (as a skeleton) is too common to be anyone's alone: "Al", "Jo". */
const MIN_PROTECTED_SKELETON = 3;

/** True when the name, or one of its words, looks like a reserved word (UTS #39 skeletons). */
function imitatesReservedWord(name: string): boolean {
  const whole = confusableSkeletons(name);
  const words = name.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean).flatMap(confusableSkeletons);
  return RESERVED.some((word, index) => {
    const skeletons = RESERVED_SKELETONS[index] ?? new Set<string>();
    if (words.some((skeleton) => skeletons.has(skeleton)) || whole.some((skeleton) => skeletons.has(skeleton))) return true;
    if (word.length < 5) return false;
    return whole.some((candidate) => [...skeletons].some((skeleton) => candidate.startsWith(skeleton) || candidate.endsWith(skeleton)));
  });
}

function fold(name: string): string {
  let folded = '';
  for (const char of name.normalize('NFKD').toLowerCase()) {
    const mapped = LEET[char] ?? char;
    if (/[a-z]/.test(mapped)) folded += mapped;
  }
  return folded;
}

export interface DisplayNameOptions {
  /** Names no one else may take or imitate: the site's moderators'. */
  protectedNames?: readonly string[] | undefined;
}

/**
 * Validates a guest's display name: NFC, 1–50 characters, no control or
 * invisible format characters, at least one letter or digit, and no claim to
 * be staff ("Moderator", "adm1n", "The Admin Team"…), also not in look-alike
 * letters of another script ("Аdmin" with a Cyrillic А, "Αdmin" with a Greek
 * Alpha): names are compared by their UTS #39 confusable skeletons. With
 * `protectedNames`, a name that looks like one of them is refused too.
 */
export function validateDisplayName(raw: string, options: DisplayNameOptions = {}): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new AppError('AUTHOR_NAME_INVALID', `Display names are 1 to ${MAX_NAME_LENGTH} characters`, {
      rule: 'length',
      maxLength: MAX_NAME_LENGTH,
    });
  }
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(name)) {
    throw new AppError('AUTHOR_NAME_INVALID', 'Display names cannot contain control or invisible characters', { rule: 'invisible' });
  }
  if (!/[\p{L}\p{N}]/u.test(name)) {
    throw new AppError('AUTHOR_NAME_INVALID', 'Display names need at least one letter or digit', { rule: 'no-letter' });
  }
  const folded = fold(name);
  const words = name
    .normalize('NFKD')
    .toLowerCase()
    .split(/[^\p{L}\p{N}@$!]+/u)
    .map(fold);
  const isReserved = RESERVED.some(
    (word) =>
      words.includes(word) ||
      folded === word ||
      (word.length >= 5 && (folded.startsWith(word) || folded.endsWith(word))),
  );
  if (isReserved || imitatesReservedWord(name)) {
    throw new AppError('AUTHOR_NAME_INVALID', 'Display names cannot claim to be a moderator or administrator', { rule: 'staff' });
  }
  const imitated = options.protectedNames?.find(
    (other) => confusableSkeletons(other).some((skeleton) => skeleton.length >= MIN_PROTECTED_SKELETON) && areConfusable(name, other),
  );
  if (imitated !== undefined) {
    throw new AppError('AUTHOR_NAME_INVALID', "Display names cannot look like the name of one of this site's moderators", {
      rule: 'imitates-moderator',
    });
  }
  return name;
}

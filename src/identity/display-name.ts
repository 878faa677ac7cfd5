import { AppError } from '../shared/errors';

const MAX_NAME_LENGTH = 50;
/** Names a guest may not take, compared after folding case, accents, leet and separators. */
const RESERVED = ['moderator', 'admin', 'administrator', 'staff', 'parley', 'editor', 'mod', 'sysop', 'official'];
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

function fold(name: string): string {
  let folded = '';
  for (const char of name.normalize('NFKD').toLowerCase()) {
    const mapped = LEET[char] ?? char;
    if (/[a-z]/.test(mapped)) folded += mapped;
  }
  return folded;
}

/**
 * Validates a guest's display name: NFC, 1–50 characters, no control or
 * invisible format characters, at least one letter or digit, and no claim to
 * be staff ("Moderator", "adm1n", "The Admin Team"…).
 */
export function validateDisplayName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new AppError('AUTHOR_NAME_INVALID', `Display names are 1 to ${MAX_NAME_LENGTH} characters`, {
      maxLength: MAX_NAME_LENGTH,
    });
  }
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(name)) {
    throw new AppError('AUTHOR_NAME_INVALID', 'Display names cannot contain control or invisible characters');
  }
  if (!/[\p{L}\p{N}]/u.test(name)) {
    throw new AppError('AUTHOR_NAME_INVALID', 'Display names need at least one letter or digit');
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
  if (isReserved) {
    throw new AppError('AUTHOR_NAME_INVALID', 'Display names cannot claim to be a moderator or administrator');
  }
  return name;
}

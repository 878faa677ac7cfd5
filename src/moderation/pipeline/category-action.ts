import type { CategoryAction, FindingCategory, ModerationSettings } from '../../contracts/moderation';

/**
 * What a finding of `category` does on this site: the site's setting, capped
 * at `hold` when the rule is unsure of its reading; undefined when the site
 * turned the category off. Categories without a setting hold.
 */
export function actionFor(
  settings: Pick<ModerationSettings, 'categories'>,
  category: FindingCategory,
  isUnsure: boolean,
): 'reject' | 'hold' | undefined {
  const setting: CategoryAction =
    (settings.categories as Partial<Record<FindingCategory, CategoryAction>>)[category] ?? 'hold';
  if (setting === 'off') return undefined;
  return setting === 'reject' && !isUnsure ? 'reject' : 'hold';
}

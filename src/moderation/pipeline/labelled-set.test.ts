import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { makeContext } from '../../../tests/fixtures/moderation/screening-context';
import type { FindingCategory } from '../../contracts/moderation';
import { screenComment } from './index';

interface LabelledText {
  text: string;
  language: string;
  /** The categories the text should trigger; empty for texts that must publish. */
  categories: FindingCategory[];
  /** A hard negative: war news, history, quotes, idioms, criticism of public figures, talk about slurs. */
  hard?: boolean;
}

interface LegacyLabelled {
  text: string;
  label: 'clean' | 'abusive';
  /** Set where the text is hostile without profanity (the word-filter test reads `label` only). */
  categories?: FindingCategory[];
}

const fixtures = join(__dirname, '../../../tests/fixtures/moderation');
const hostility = JSON.parse(
  readFileSync(join(fixtures, 'labelled-hostility.json'), 'utf8'),
) as LabelledText[];
const legacy = (
  JSON.parse(readFileSync(join(fixtures, 'labelled-comments.json'), 'utf8')) as LegacyLabelled[]
).map((comment): LabelledText => ({
  text: comment.text,
  language: 'en',
  categories: comment.categories ?? (comment.label === 'abusive' ? ['profanity'] : []),
}));
const labelled = [...legacy, ...hostility];

/**
 * Categories about what a text says (not spam signals such as shouting or an e-mail
 * address, nor the author, the post or the site's own lists).
 */
const CONTENT: ReadonlySet<string> = new Set([
  'profanity',
  'slur',
  'dehumanising',
  'violence',
  'threat',
  'insult',
  'self-harm',
  'promotion',
  'evasion',
]);

describe('labelled set (en, ru, uk) through the default pipeline', () => {
  it('when the set is loaded, then it has ≥ 600 texts, ≥ 200 in Russian or Ukrainian and ≥ 250 hard negatives', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(600);
    expect(
      labelled.filter((item) => item.language === 'ru' || item.language === 'uk').length,
    ).toBeGreaterThanOrEqual(200);
    expect(labelled.filter((item) => item.hard === true).length).toBeGreaterThanOrEqual(250);
    expect(new Set(hostility.map((item) => item.text)).size).toBe(hostility.length);
  });

  it('when every text is screened, then precision ≥ 0.95 and recall ≥ 0.90, and each category is reported', () => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const mistakes: string[] = [];
    const perCategory = new Map<string, { expected: number; found: number }>();
    for (const item of labelled) {
      const outcome = screenComment(makeContext({ text: item.text }));
      const found = new Set(
        outcome.findings.map((finding) => finding.category).filter((c) => CONTENT.has(c)),
      );
      const isFlagged = outcome.action !== 'publish' && found.size > 0;
      const isPositive = item.categories.length > 0;
      if (isFlagged && isPositive) truePositives++;
      if (isFlagged && !isPositive) {
        falsePositives++;
        mistakes.push(`false positive [${[...found].join(',')}]: ${item.text}`);
      }
      if (!isFlagged && isPositive) {
        falseNegatives++;
        mistakes.push(`missed [${item.categories.join(',')}]: ${item.text}`);
      }
      for (const category of item.categories) {
        const counts = perCategory.get(category) ?? { expected: 0, found: 0 };
        counts.expected++;
        if (found.has(category)) counts.found++;
        perCategory.set(category, counts);
      }
    }
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    const categories = [...perCategory]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(
        ([category, counts]) =>
          `${category} ${(counts.found / counts.expected).toFixed(2)} (${counts.found}/${counts.expected})`,
      );
    console.log(
      `labelled set: ${labelled.length} texts, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}\n` +
        `  recall by category: ${categories.join(', ')}` +
        (mistakes.length > 0 ? `\n  ${mistakes.join('\n  ')}` : ''),
    );
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});

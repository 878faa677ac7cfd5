import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createWordFilter, DEFAULT_BANNED_WORDS } from './index';

interface LabelledComment {
  text: string;
  label: 'clean' | 'abusive';
  trick?: string;
}

const fixture = join(__dirname, '../../../tests/fixtures/moderation/labelled-comments.json');
const comments = JSON.parse(readFileSync(fixture, 'utf8')) as LabelledComment[];

describe('labelled comment set', () => {
  it('when the default list screens the labelled set, then precision ≥ 0.97 and recall ≥ 0.95', () => {
    const filter = createWordFilter({ banned: DEFAULT_BANNED_WORDS, suspect: [] });
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const mistakes: string[] = [];
    for (const comment of comments) {
      const isFlagged = filter.scan(comment.text).some((match) => match.list === 'banned');
      const isAbusive = comment.label === 'abusive';
      if (isFlagged && isAbusive) truePositives++;
      if (isFlagged && !isAbusive) {
        falsePositives++;
        mistakes.push(`false positive (${comment.trick ?? 'plain'}): ${comment.text}`);
      }
      if (!isFlagged && isAbusive) {
        falseNegatives++;
        mistakes.push(`missed (${comment.trick ?? 'plain'}): ${comment.text}`);
      }
    }
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    console.log(
      `labelled set: ${comments.length} comments, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}` +
        (mistakes.length > 0 ? `\n  ${mistakes.join('\n  ')}` : ''),
    );
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('when the set is loaded, then it is large, balanced and covers every trick', () => {
    expect(comments.length).toBeGreaterThanOrEqual(240);
    const abusive = comments.filter((comment) => comment.label === 'abusive').length;
    expect(abusive / comments.length).toBeGreaterThan(0.4);
    expect(abusive / comments.length).toBeLessThan(0.6);
    const tricks = new Set(comments.map((comment) => comment.trick));
    for (const trick of [
      'leet',
      'separators',
      'repeats',
      'accents',
      'lookalike',
      'case',
      'plain',
      'innocent-lookalike',
    ]) {
      expect(tricks).toContain(trick);
    }
  });
});

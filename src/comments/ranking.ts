/**
 * `sort=best`: the lower bound of the Wilson score interval (95 %) of positive
 * reactions among the reactions a comment got, with one imagined "no reaction"
 * standing for the readers who passed by. Without it a comment with one reaction
 * would tie with one with a hundred (both 100 % positive); with it, more
 * reactions mean more confidence, and downvotes (when a site enables them) pull
 * the score down without ever being shown.
 */
const Z = 1.959964;

export function wilsonLowerBound(up: number, down: number): number {
  const n = up + down + 1;
  const p = up / n;
  const z2 = Z * Z;
  return (p + z2 / (2 * n) - Z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
}

import unhomoglyph from 'unhomoglyph';

/**
 * UTS #39 confusable skeletons, for telling whether two names *look* the same:
 * `skeleton(X) = NFD(map(NFD(X)))` with Unicode's confusables.txt mapping (the
 * `unhomoglyph` package ships it), then case, marks and separators dropped, since a
 * reader sees "Аdmin", "A d m i n" and "ádmin" as the same word.
 *
 * The mapping is case-sensitive (`I` → `l` but `i` stays `i`; Greek `Μ` → `M` but `μ`
 * has no Latin twin), so a name gets two skeletons: one of its lower case (catches
 * "ADMIN" written in Latin capitals) and one of the lower case of its mapped form
 * (catches "ΑDΜΙΝ" in Greek capitals). Two names are confusable when any skeleton of
 * one equals any skeleton of the other. The result is for comparing, never for display
 * ("m" becomes "rn").
 */
function skeletonOf(text: string): string {
  return unhomoglyph(text.normalize('NFD'))
    .normalize('NFD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The skeletons of a text, as described above (one or two distinct strings). */
export function confusableSkeletons(text: string): string[] {
  const lower = skeletonOf(text.toLowerCase());
  const mappedFirst = skeletonOf(unhomoglyph(text.normalize('NFD')).toLowerCase());
  return lower === mappedFirst ? [lower] : [lower, mappedFirst];
}

/** True when the two texts share a confusable skeleton (they look alike to a reader). */
export function areConfusable(a: string, b: string): boolean {
  const theirs = new Set(confusableSkeletons(b));
  return confusableSkeletons(a).some((skeleton) => skeleton.length > 0 && theirs.has(skeleton));
}

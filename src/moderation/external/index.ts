/**
 * External opinions on a comment: the site's own HTTP classifiers (signed
 * both ways) and the Perspective adapter. Nothing is sent unless a site
 * configures a classifier or a Perspective key.
 */
import type { ModerationSettings } from '../../contracts/moderation';
import type { ExternalOpinion } from '../pipeline-types';
import { askClassifier, type ClassifierRequest } from './classifier.client';
import { askPerspective } from './perspective.client';

export { askClassifier } from './classifier.client';
export type { ClassifierRequest } from './classifier.client';
export { askPerspective, buildAnalyzeRequest, PERSPECTIVE_ENDPOINT } from './perspective.client';
export { signPayload, verifySignature, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS } from './signature';

/** Whether a site sends comments anywhere for an opinion. */
export function hasExternalClassifiers(settings: Pick<ModerationSettings, 'classifiers' | 'perspective'>): boolean {
  return settings.classifiers.length > 0 || (settings.perspective?.apiKey ?? null) !== null;
}

/** Asks every configured classifier at once; each answer (or failure) is one opinion. */
export async function gatherExternalOpinions(
  settings: Pick<ModerationSettings, 'classifiers' | 'perspective'>,
  request: ClassifierRequest,
  clock: { now(): Date },
): Promise<ExternalOpinion[]> {
  const asks: Promise<ExternalOpinion | undefined>[] = settings.classifiers.map((classifier) =>
    askClassifier(classifier, request, clock),
  );
  if (settings.perspective) {
    asks.push(askPerspective(settings.perspective, { text: request.comment.body, languages: request.languages }));
  }
  const opinions = await Promise.all(asks);
  return opinions.filter((opinion): opinion is ExternalOpinion => opinion !== undefined);
}

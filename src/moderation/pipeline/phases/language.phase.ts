import type { Phase } from '../../pipeline-types';
import { readText } from '../../text';

/** Records the comment's languages on the verdict; decides nothing. */
export const languagePhase: Phase = ({ text }) => ({ findings: [], languages: readText(text).languages });

/**
 * Comment formatting: the Markdown subset a comment body is written in,
 * rendered to the allow-listed HTML readers see (`contracts/formatting.ts`),
 * and read back as the text readers see, for the moderation pipeline.
 */
export { COMMENT_HTML_VERSION, plainTextAsHtml, renderCommentHtml, sanitiseCommentHtml } from './comment-html';
export { readerTextOf, toSourceSpan } from './reader-text';
export type { ReaderText } from './reader-text';

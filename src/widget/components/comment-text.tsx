import { linkify } from '../linkify';

/** Plain text with its URLs as anchors: segments become text nodes and `<a>` elements, never markup. */
export function CommentText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} rel="ugc nofollow noopener" target="_blank">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

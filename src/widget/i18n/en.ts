import type { Catalogue } from '../../i18n';

/**
 * English, the reference catalogue: every other language has exactly these keys
 * (the type says so, and `tests/i18n/catalogues.test.ts` checks plural forms and
 * placeholders). The loader's few strings are a catalogue of their own, kept
 * apart (no spread) so `/embed.js` bundles only them and stays tiny.
 */
export const enLoader = {
  'count.comments': { one: '{count} Comment', other: '{count} Comments' },
  'loader.loading': 'Loading comments…',
  'loader.failed': 'Comments could not be loaded. Check your connection and reload the page.',
} as const satisfies Catalogue<string>;

export const en = {
  'setup.missingAttributes': 'Comments are not set up: the thread element needs data-site and data-post.',

  'thread.sortLabel': 'Sort comments',
  'thread.sort.newest': 'Newest',
  'thread.sort.oldest': 'Oldest',
  'thread.sort.top': 'Top',
  'thread.closed': 'Comments are closed on this article.',
  'thread.reconnecting': 'Reconnecting… new comments will appear when the connection is back.',
  'thread.showNew': { one: 'Show {count} new comment', other: 'Show {count} new comments' },
  'thread.newAnnouncement': {
    one: '{count} new comment. Use the button above the thread to show them.',
    other: '{count} new comments. Use the button above the thread to show them.',
  },
  'thread.loadFailed': 'Comments could not be loaded.',
  'thread.tryAgain': 'Try again',
  'thread.loading': 'Loading comments…',
  'thread.back': '← Back to all comments',
  'thread.empty': 'No comments.',
  'thread.emptyOpen': 'No comments yet. Start the conversation.',
  'thread.listLabel': 'Comments',
  'thread.loadingMore': 'Loading…',
  'thread.loadMore': 'Load more comments',
  'thread.footer': 'Comments powered by Parley',

  'comment.guest': 'Guest',
  'comment.deletedLabel': 'Deleted comment',
  'comment.byLabel': 'Comment by {name}',
  'comment.deleted': 'This comment was deleted.',
  'comment.verified': 'Verified',
  'comment.edited': ' · edited',
  'comment.awaitingModeration': 'Awaiting moderation',
  'comment.reply': 'Reply',
  'comment.edit': 'Edit',
  'comment.delete': 'Delete',
  'comment.report': 'Report',
  'comment.continueThread': 'Continue this thread →',
  'comment.repliesLabel': 'Replies to {name}',
  'comment.moreRepliesLoaded': 'More replies loaded.',
  'comment.showHiddenReplies': { one: 'Show {count} more reply', other: 'Show {count} more replies' },
  'comment.showMoreReplies': 'Show more replies',

  'composer.writeSomething': 'Write something before posting.',
  'composer.nameNeeded': 'Enter a display name to comment.',
  'composer.sentForModeration': 'Your comment was sent and is awaiting moderation.',
  'composer.replyPosted': 'Your reply was posted.',
  'composer.commentPosted': 'Your comment was posted.',
  'composer.commentingAs': 'Commenting as {name}',
  'composer.commentingSignedIn': 'Commenting as a signed-in reader',
  'composer.nameLabel': 'Your name',
  'composer.replyTo': 'Reply to {name}',
  'composer.replyToComment': 'Reply to this comment',
  'composer.joinLabel': 'Join the discussion',
  'composer.replyPlaceholder': 'Write a reply…',
  'composer.placeholder': 'Share your thoughts…',
  'composer.beKind': 'Be kind. Comments are moderated.',
  'composer.cancel': 'Cancel',
  'composer.posting': 'Posting…',
  'composer.postReply': 'Post reply',
  'composer.postComment': 'Post comment',

  'edit.writeSomething': 'Write something before saving.',
  'edit.updated': 'Your comment was updated.',
  'edit.label': 'Edit your comment',
  'edit.save': 'Save',
  'delete.done': 'Your comment was deleted.',
  'delete.label': 'Delete comment',
  'delete.confirm': "Delete this comment? This can't be undone.",
  'report.thanksAnnouncement': 'Thanks for your report. A moderator will review the comment.',
  'report.thanks': 'Thanks for your report. A moderator will review this comment.',
  'report.label': 'Why are you reporting this comment?',
  'report.reason.spam': 'Spam',
  'report.reason.abuse': 'Abuse or harassment',
  'report.reason.hate': 'Hate speech',
  'report.reason.misinformation': 'Misinformation',
  'report.reason.off-topic': 'Off-topic',
  'report.reason.other': 'Something else',

  'time.justNow': 'just now',

  'error.generic': 'Something went wrong. Please try again.',
  'error.offline': 'You seem to be offline. Check your connection and try again.',
  'error.wait.moment': 'Please wait a moment and try again.',
  'error.wait.seconds': { one: 'Please try again in a second.', other: 'Please try again in {count} seconds.' },
  'error.wait.minutes': { one: 'Please try again in {count} minute.', other: 'Please try again in {count} minutes.' },
  'error.wait.later': 'Please try again later.',
  'error.rateLimited': "You're doing that too often. {wait}",
  'error.slowMode': 'This conversation is in slow mode. {wait}',
  'error.tooLongMax': {
    one: 'Your comment is too long: keep it to {count} character or fewer.',
    other: 'Your comment is too long: keep it to {count} characters or fewer.',
  },
  'error.tooLong': 'Your comment is too long.',
  'error.empty': 'Write something before posting.',
  'error.tooManyLinksMax': { one: 'Comments may contain at most {count} link.', other: 'Comments may contain at most {count} links.' },
  'error.tooManyLinks': 'Your comment has too many links.',
  'error.postClosed': 'Comments are closed on this article.',
  'error.banned': 'You can no longer comment on this site.',
  'error.suspendedUntil': "You can't comment until {date}.",
  'error.suspended': "You can't comment right now: your account is suspended.",
  'error.duplicate': "You've already posted this comment.",
  'error.nameRequired': 'Enter a display name to comment.',
  'error.nameInvalidBecause': 'Choose a different display name. {reason}',
  'error.nameInvalid': 'Choose a different display name (1 to 50 characters, with at least one letter or digit).',
  'error.guestExpired': 'Your guest session has expired. Enter your name and post again.',
  'error.ssoExpired': 'Your sign-in has expired. Sign in again to comment.',
  'error.ssoInvalid': "Your sign-in isn't valid on this site. Sign in again to comment.",
  'error.ssoNotConfigured': "This site doesn't support signing in to comment.",
  'error.editWindowClosed': 'The time to edit or delete this comment has passed.',
  'error.notAuthor': 'Only the author can change this comment.',
  'error.notEditable': "This comment can't be changed any more.",
  'error.alreadyReported': "You've already reported this comment. Thank you.",
  'error.commentGone': 'That comment is no longer available.',
  'error.notSetUp': "Comments aren't set up for this page.",
  'error.unavailable': 'Comments are temporarily unavailable. Please try again shortly.',
} as const satisfies Catalogue<string>;

export type LoaderMessageKey = keyof typeof enLoader;
/** The widget says the loader's strings too (its own count heading). */
export type WidgetMessageKey = keyof typeof en | LoaderMessageKey;
/** What every other language must provide: the same keys, each language's own words. */
export type WidgetCatalogue = Catalogue<Exclude<WidgetMessageKey, LoaderMessageKey>>;
export type LoaderCatalogue = Catalogue<LoaderMessageKey>;

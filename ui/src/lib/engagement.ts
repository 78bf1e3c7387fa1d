// The "Comments and mentions" card: how each comment and mention reads, which post page it
// leads to, and what the card says when there is nothing yet. Times are relative to the
// answer's `as_of`, the clock of the Meta the app talks to (the demo keeps its own time).
import type { CommentItem, EngagementView, MentionItem } from "./bindings";
import { formatAgo, formatCountOf, formatDateTime } from "./format";

export interface EngagementRow {
  key: string;
  /** "@bake872", or "Someone" when Instagram did not say who. */
  who: string;
  /** What they wrote. */
  text: string;
  /** "on “Family recipe…”", "mentioned you in a post". */
  context: string;
  /** "5 h ago", or "" when Instagram gave no time. */
  ago: string;
  /** The full date and time for the hover, or null. */
  when: string | null;
  /** The post whose page the row opens; null when there is none to open. */
  postId: string | null;
}

export interface EngagementCard {
  comments: EngagementRow[];
  mentions: EngagementRow[];
  /** "141 comments and 2 mentions in your history", or null when there are none. */
  totals: string | null;
  /** The sentence shown instead of the lists when there is nothing at all, else null. */
  empty: string | null;
}

export const NOTHING_YET =
  "No comments or mentions yet. Insightdesk looks for new ones on your recent posts after each sync, and they appear here.";

function who(username: string | null): string {
  return username ? `@${username}` : "Someone";
}

function times(at: string | null, asOf: string, timeZone: string): Pick<EngagementRow, "ago" | "when"> {
  if (!at) return { ago: "", when: null };
  return { ago: formatAgo(new Date(at), new Date(asOf)), when: formatDateTime(at, timeZone) };
}

function commentRow(comment: CommentItem, asOf: string, timeZone: string): EngagementRow {
  const where = !comment.post_in_history
    ? "a post not in your history"
    : comment.post_caption
      ? `“${comment.post_caption}”`
      : "a post without a caption";
  return {
    key: `comment-${comment.id}`,
    who: who(comment.username),
    text: comment.text,
    context: `${comment.is_reply ? "replied on" : "on"} ${where}`,
    ...times(comment.commented_at, asOf, timeZone),
    postId: comment.post_in_history ? comment.post_id : null,
  };
}

function mentionRow(mention: MentionItem, asOf: string, timeZone: string): EngagementRow {
  return {
    key: `mention-${mention.media_id}-${mention.in_comment ? "comment" : "caption"}-${mention.mentioned_at ?? ""}`,
    who: who(mention.username),
    text: mention.text ?? "",
    context: mention.in_comment ? "mentioned you in a comment" : "mentioned you in a post",
    ...times(mention.mentioned_at, asOf, timeZone),
    // Their post is not one of yours: there is no page of it in Insightdesk.
    postId: null,
  };
}

/** The card's content: the newest `limit` of each, newest first as Rust sends them. */
export function engagementCard(view: EngagementView, timeZone: string, limit = 5): EngagementCard {
  const comments = view.comments.slice(0, limit).map((c) => commentRow(c, view.as_of, timeZone));
  const mentions = view.mentions.slice(0, limit).map((m) => mentionRow(m, view.as_of, timeZone));
  const nothing = view.comments_total === 0 && view.mentions_total === 0;
  return {
    comments,
    mentions,
    totals: nothing
      ? null
      : `${formatCountOf(view.comments_total, "comment")} and ${formatCountOf(view.mentions_total, "mention")} in your history`,
    empty: nothing ? NOTHING_YET : null,
  };
}

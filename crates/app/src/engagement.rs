//! The "Comments and mentions" card: the newest comments on the creator's posts and the newest
//! posts and comments of others that mention them. The sync's follow-ups poll both into the
//! store; this reads them back from the store only, so the card opens at once and offline.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use insightdesk_store::{AccountId, Comment, Mention, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::accounts::with_store;
use crate::error::AppError;
use crate::syncing::account_row;

/// How many of each the card asks for when it does not say.
const DEFAULT_LIMIT: u32 = 10;
/// More than this is no longer a card but a list nobody scrolls.
const MAX_LIMIT: u32 = 100;
/// Characters of a caption or mention shown before "…".
const EXCERPT_CHARS: usize = 120;

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct EngagementArgs {
    /// The account; the one on screen when absent.
    #[serde(default)]
    pub account: Option<String>,
    /// At most this many comments and this many mentions (10 when absent, at most 100).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// A comment someone left on one of the creator's posts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CommentItem {
    pub id: String,
    pub username: Option<String>,
    pub text: String,
    /// RFC 3339; null when Instagram gave no time.
    pub commented_at: Option<String>,
    /// A reply to another comment rather than a comment on the post itself.
    pub is_reply: bool,
    /// The post's Instagram id: the UI opens its page with it.
    pub post_id: String,
    /// The start of the post's caption, or null when it has none (or is not in the history).
    pub post_caption: Option<String>,
    /// Whether the post is in the history, so that its page can be opened.
    pub post_in_history: bool,
}

/// A post or comment of someone else that mentions the creator.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MentionItem {
    /// The Instagram id of the post that mentions the creator (someone else's post).
    pub media_id: String,
    /// True when the mention is in a comment, false when it is in a caption.
    pub in_comment: bool,
    pub username: Option<String>,
    /// The start of the caption or comment that mentions the creator.
    pub text: Option<String>,
    /// RFC 3339; null when Instagram gave no time.
    pub mentioned_at: Option<String>,
}

/// The newest comments and mentions of an account, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EngagementView {
    pub comments: Vec<CommentItem>,
    pub mentions: Vec<MentionItem>,
    /// How many comments and mentions the history holds in all.
    pub comments_total: u32,
    pub mentions_total: u32,
    /// Now, by the clock of the Meta the app talks to (RFC 3339), for "5 min ago": the demo's
    /// simulated Meta keeps its own time.
    pub as_of: String,
}

impl App {
    /// The newest comments on the account's posts and the newest mentions of it, from the
    /// store. The creator's own replies are left out: they are not news to them.
    pub async fn engagement(&self, args: EngagementArgs) -> Result<EngagementView, AppError> {
        let session = self.session().await?;
        let ig_user_id = match args.account {
            Some(account) => account,
            None => self.active_account().await?,
        };
        let limit = args.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
        let as_of = session.meta.now().to_rfc3339();
        with_store(&session, move |store| {
            let account = account_row(store, &ig_user_id)?;
            let own_username = store.account(account)?.map(|a| a.profile.username);
            let comments: Vec<Comment> = store
                .comments(account, None)?
                .into_iter()
                .filter(|c| own_username.is_none() || c.username != own_username)
                .collect();
            let mentions = store.mentions(account)?;
            Ok(EngagementView {
                comments_total: u32::try_from(comments.len()).unwrap_or(u32::MAX),
                mentions_total: u32::try_from(mentions.len()).unwrap_or(u32::MAX),
                comments: newest_comments(store, account, comments, limit)?,
                mentions: newest_mentions(mentions, limit),
                as_of,
            })
        })
        .await
    }
}

pub async fn engagement(app: &App, args: EngagementArgs) -> Result<EngagementView, AppError> {
    app.engagement(args).await
}

/// Newest first; those without a time (Instagram did not say) after all dated ones.
fn newest_first<T>(items: &mut [T], when: impl Fn(&T) -> Option<DateTime<Utc>>) {
    items.sort_by(|a, b| match (when(a), when(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

fn newest_comments(
    store: &Store,
    account: AccountId,
    mut comments: Vec<Comment>,
    limit: usize,
) -> Result<Vec<CommentItem>, AppError> {
    // The store lists oldest first with ties in id order; reversing keeps ties newest-id first
    // before the stable sort puts the dated ones in order.
    comments.reverse();
    newest_first(&mut comments, |c| c.commented_at);
    comments.truncate(limit);
    // Several comments often share a post: look each post up once.
    let mut captions: HashMap<String, Option<Option<String>>> = HashMap::new();
    let mut items = Vec::with_capacity(comments.len());
    for comment in comments {
        if !captions.contains_key(&comment.ig_media_id) {
            let post = store
                .media_by_ig_id(&comment.ig_media_id)?
                .filter(|media| media.account_id == account)
                .map(|media| media.item.caption);
            captions.insert(comment.ig_media_id.clone(), post);
        }
        let post = captions.get(&comment.ig_media_id).cloned().flatten();
        items.push(CommentItem {
            id: comment.ig_comment_id,
            username: comment.username,
            text: comment.text,
            commented_at: comment.commented_at.map(|t| t.to_rfc3339()),
            is_reply: comment.parent_ig_comment_id.is_some(),
            post_id: comment.ig_media_id,
            post_in_history: post.is_some(),
            post_caption: post.flatten().as_deref().and_then(excerpt),
        });
    }
    Ok(items)
}

fn newest_mentions(mut mentions: Vec<Mention>, limit: usize) -> Vec<MentionItem> {
    mentions.reverse();
    newest_first(&mut mentions, |m| m.mentioned_at);
    mentions.truncate(limit);
    mentions
        .into_iter()
        .map(|mention| MentionItem {
            media_id: mention.ig_media_id,
            in_comment: mention.ig_comment_id.is_some(),
            username: mention.username,
            text: mention.text.as_deref().and_then(excerpt),
            mentioned_at: mention.mentioned_at.map(|t| t.to_rfc3339()),
        })
        .collect()
}

/// The first line of `text`, cut at a whole character with "…" when long; None when empty.
fn excerpt(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    match line.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => Some(format!("{}…", line[..cut].trim_end())),
        None => Some(line.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn an_excerpt_is_the_first_line_cut_at_a_whole_character() {
        assert_eq!(
            excerpt("Sunset 🌅\nsecond line").as_deref(),
            Some("Sunset 🌅")
        );
        assert_eq!(excerpt("\n  \n  hello  ").as_deref(), Some("hello"));
        assert_eq!(excerpt("   "), None);
        let long = "é".repeat(200);
        let cut = excerpt(&long).unwrap();
        assert_eq!(cut.chars().count(), 121);
        assert!(cut.ends_with('…'));
    }
}

//! The desktop's stand-in for webhooks: a desktop cannot be called by Meta, so it asks, on a
//! schedule, within a budget of calls.
//!
//! One run of [`poll_engagement`]:
//! 1. lists the account's posts published since `since`, newest first, at most
//!    [`PollBudget::max_posts`] (one call per page);
//! 2. lists the media the account is tagged in (`/tags`), newest first, down to `since`, at
//!    most [`PollBudget::max_tagged`]; each is a mention;
//! 3. for each listed post whose `comments_count` is above the number of its comments already
//!    stored, reads its comments until it has seen that many new ones.
//!
//! Before each call it asks two questions: is this run's budget ([`PollBudget::max_calls`])
//! spent, and does the account's [`Governor`](insightdesk_graph::Governor) allow a call now.
//! If either says no, the run stops there (it never waits: the next run goes on) and says why
//! in [`PollReport::stopped`]. What it found is written in one transaction; comments and
//! mentions already stored are not reported again.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use insightdesk_graph::models::Media;
use insightdesk_graph::{GraphClient, GraphError, Permit};
use insightdesk_store::{AccountId, Comment, Mention, Store};
use serde::Serialize;

use crate::error::WebhookError;

/// How much one run may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PollBudget {
    /// Calls Meta counts, at the most (the listing pages count too).
    pub max_calls: u64,
    /// Recent posts whose comments are looked at, at the most.
    pub max_posts: u32,
    /// Tagged media looked at, at the most.
    pub max_tagged: u32,
}

impl Default for PollBudget {
    fn default() -> Self {
        Self {
            max_calls: 20,
            max_posts: 10,
            max_tagged: 25,
        }
    }
}

/// Why a run stopped before it had looked at everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PollStop {
    /// [`PollBudget::max_calls`] were spent.
    Budget,
    /// The governor holds calls back until `until` to keep the account within Meta's limit.
    RateLimit { until: DateTime<Utc> },
}

/// What one run found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PollReport {
    /// Comments that were not stored before this run, newest post first.
    pub new_comments: Vec<Comment>,
    /// Mentions (tags) that were not stored before this run, newest first.
    pub new_mentions: Vec<Mention>,
    /// Calls Meta counted for this run, as the client's counters saw them (a client shared
    /// with concurrent work counts that work too, which only makes the run stop earlier).
    pub calls: u64,
    /// Posts listed, and posts whose comments were read.
    pub posts_listed: u32,
    pub posts_polled: u32,
    /// `None` when the run looked at everything it meant to.
    pub stopped: Option<PollStop>,
}

/// Keeps a run within its budget and the governor's.
struct Spender<'a> {
    client: &'a GraphClient,
    start: u64,
    max: u64,
    stopped: Option<PollStop>,
}

impl<'a> Spender<'a> {
    fn new(client: &'a GraphClient, max: u64) -> Self {
        Self {
            client,
            start: client.counts().counted_calls,
            max,
            stopped: None,
        }
    }

    fn spent(&self) -> u64 {
        self.client
            .counts()
            .counted_calls
            .saturating_sub(self.start)
    }

    /// Whether the next pull from a stream may make one call. Once no, always no.
    fn may_call(&mut self) -> bool {
        if self.stopped.is_some() {
            return false;
        }
        if self.spent() >= self.max {
            self.stopped = Some(PollStop::Budget);
            return false;
        }
        match self.client.governor().permit(1, self.client.now()) {
            Permit::Now => true,
            Permit::At(until) => {
                self.stopped = Some(PollStop::RateLimit { until });
                false
            }
        }
    }
}

/// What a run found, before it is written.
#[derive(Default)]
struct Found {
    comments: Vec<Comment>,
    mentions: Vec<Mention>,
    /// Mentions stored without text (from a webhook) that the listing can fill in.
    completed: Vec<Mention>,
    posts_listed: u32,
    posts_polled: u32,
}

/// Polls the account's recent comments and mentions (see the module text), stores the new
/// ones and returns them.
///
/// `client` must be the account's (its token and governor). On a Graph error the rows found
/// before it are stored, then the error is returned. The store is taken `&mut` (though only
/// read until the end) so the future is `Send`: a connection may move between threads but not
/// be shared by them.
pub async fn poll_engagement(
    client: &GraphClient,
    store: &mut Store,
    account: AccountId,
    since: DateTime<Utc>,
    budget: &PollBudget,
) -> Result<PollReport, WebhookError> {
    let ig_user_id = store
        .account(account)?
        .ok_or(WebhookError::UnknownAccount(account))?
        .profile
        .ig_user_id;
    let mut run = Run {
        client,
        account,
        ig_user_id,
        since,
        budget,
        spender: Spender::new(client, budget.max_calls),
        found: Found::default(),
    };
    let outcome = run.look(store).await;
    let Run { found, spender, .. } = run;
    let fetched_at = client.now();
    store.write(|batch| {
        for comment in &found.comments {
            batch.upsert_comment(account, comment, fetched_at)?;
        }
        for mention in found.mentions.iter().chain(&found.completed) {
            batch.upsert_mention(account, mention, fetched_at)?;
        }
        Ok::<(), WebhookError>(())
    })?;
    outcome?;
    Ok(PollReport {
        new_comments: found.comments,
        new_mentions: found.mentions,
        calls: spender.spent(),
        posts_listed: found.posts_listed,
        posts_polled: found.posts_polled,
        stopped: spender.stopped,
    })
}

/// One run: what it asks about and what it found so far.
struct Run<'a> {
    client: &'a GraphClient,
    account: AccountId,
    ig_user_id: String,
    since: DateTime<Utc>,
    budget: &'a PollBudget,
    spender: Spender<'a>,
    found: Found,
}

impl Run<'_> {
    async fn look(&mut self, store: &mut Store) -> Result<(), WebhookError> {
        let posts = self.recent_posts().await?;
        self.found.posts_listed = posts.len() as u32;
        self.tagged(store).await?;
        for post in &posts {
            if self.spender.stopped.is_some() {
                break;
            }
            self.comments_of(store, post).await?;
        }
        Ok(())
    }

    /// The new comments of one post, if its count says there are any.
    async fn comments_of(&mut self, store: &mut Store, post: &Media) -> Result<(), WebhookError> {
        let stored: HashSet<String> = store
            .comments(self.account, Some(&post.id))?
            .into_iter()
            .map(|c| c.ig_comment_id)
            .collect();
        // Without a count, read until the budget says stop.
        let expected = match post.comments_count {
            Some(count) => count.saturating_sub(stored.len() as u64),
            None => u64::MAX,
        };
        if expected == 0 {
            return Ok(());
        }
        self.found.posts_polled += 1;
        let mut comments = self.client.media(&post.id).comments();
        let mut new_here = 0;
        while new_here < expected && self.spender.may_call() {
            let Some(comment) = comments.next().await else {
                break;
            };
            let comment = comment?;
            if stored.contains(&comment.id) {
                continue;
            }
            new_here += 1;
            let username = comment
                .username
                .or_else(|| comment.from.and_then(|from| from.username));
            self.found.comments.push(Comment {
                ig_comment_id: comment.id,
                ig_media_id: post.id.clone(),
                parent_ig_comment_id: comment.parent_id,
                username,
                text: comment.text.unwrap_or_default(),
                commented_at: comment.timestamp,
                source: "poll".into(),
            });
        }
        Ok(())
    }

    /// The account's posts since `since`, newest first, at most `max_posts`.
    async fn recent_posts(&mut self) -> Result<Vec<Media>, GraphError> {
        let wanted = self.budget.max_posts as usize;
        let mut pages = self
            .client
            .user(&self.ig_user_id)
            .media()
            .fields(&["id", "timestamp", "media_product_type", "comments_count"])
            .since(self.since)
            .limit(self.budget.max_posts.clamp(1, 100))
            .pages();
        let mut posts = Vec::new();
        while posts.len() < wanted && self.spender.may_call() {
            let Some(page) = pages.next().await else {
                break;
            };
            posts.extend(page?.data);
        }
        posts.sort_by_key(|post| std::cmp::Reverse(post.timestamp));
        posts.truncate(wanted);
        Ok(posts)
    }

    /// Media the account is tagged in, newest first, down to `since`.
    async fn tagged(&mut self, store: &mut Store) -> Result<(), WebhookError> {
        // (media, comment) → whether the stored mention has its text.
        let stored: HashMap<(String, String), bool> = store
            .mentions(self.account)?
            .into_iter()
            .map(|m| {
                let key = (m.ig_media_id, m.ig_comment_id.unwrap_or_default());
                (key, m.text.is_some())
            })
            .collect();
        let wanted = self.budget.max_tagged as usize;
        let mut pages = self
            .client
            .user(&self.ig_user_id)
            .tags()
            .limit(self.budget.max_tagged.clamp(1, 50))
            .pages();
        let mut seen = 0;
        let mut older_reached = false;
        while seen < wanted && !older_reached && self.spender.may_call() {
            let Some(page) = pages.next().await else {
                break;
            };
            for media in page?.data {
                if media.timestamp.is_some_and(|t| t < self.since) {
                    older_reached = true;
                    break;
                }
                if seen == wanted {
                    break;
                }
                seen += 1;
                let mention = Mention {
                    ig_media_id: media.id,
                    ig_comment_id: None,
                    username: media.username,
                    text: media.caption,
                    mentioned_at: media.timestamp,
                };
                match stored.get(&(mention.ig_media_id.clone(), String::new())) {
                    None => self.found.mentions.push(mention),
                    Some(false) => self.found.completed.push(mention),
                    Some(true) => {}
                }
            }
        }
        Ok(())
    }
}

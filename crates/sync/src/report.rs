//! What a run tells the caller: progress while it runs, a report when it ends.

use serde::{Deserialize, Serialize};

/// The phases of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Profile, newest posts and live stories (one call).
    Overview,
    /// Listing every post (the first sync) or the posts missed since the last sync.
    MediaList,
    /// Insights: story and post readings, account metrics, demographics, history.
    Insights,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Overview => "overview",
            Phase::MediaList => "media_list",
            Phase::Insights => "insights",
        }
    }
}

/// One progress event: `done` of `total` units of `phase` are finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProgressUpdate {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
}

/// Receives progress; the app turns it into UI events, the CLI into a progress line.
pub trait Progress: Send + Sync {
    fn update(&self, update: ProgressUpdate);
}

impl<F: Fn(ProgressUpdate) + Send + Sync> Progress for F {
    fn update(&self, update: ProgressUpdate) {
        self(update);
    }
}

/// Progress nobody listens to.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _update: ProgressUpdate) {}
}

/// The result of a run, as `insightdesk sync --json` prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// The Instagram account id.
    pub account: String,
    /// The run's id in the store's sync history.
    pub run_id: i64,
    /// The unfinished run this one continued, if any.
    pub resumed_from: Option<i64>,
    /// HTTP requests sent to Meta (a batch of 50 is one).
    pub http_requests: u64,
    /// Calls Meta counts against the rate limit (a batch of 50 is 50).
    pub counted_calls: u64,
    /// Posts and stories Meta listed in this run.
    pub media_seen: u64,
    /// Of those, the ones the store did not have.
    pub media_new: u64,
    /// Values written to the store (readings, daily values, buckets, rows of posts).
    pub rows_written: u64,
    pub duration_ms: u64,
    /// Things the creator should know: a metric Instagram stopped providing, demographics
    /// unavailable under 100 followers, a story that expired before its final reading.
    pub warnings: Vec<String>,
}

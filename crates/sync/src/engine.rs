//! The run: overview, media listing, insights, each in steps; every step's data, its progress
//! cursor, the run's counters and its resume state go into ONE store batch, so a run killed at
//! any point leaves whole steps behind and the next run plans from what is there.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures::TryStreamExt;
use insightdesk_graph::models::{IgUser, Media, MediaProductType, MediaType, Page};
use insightdesk_graph::{
    BatchRequest, CallCounts, ErrorClass, GraphClient, GraphClientBuilder, GraphError, LoginKind,
    MAX_BATCH, Permit,
};
use insightdesk_store::{
    AccountDailyValue, AccountId, AccountProfile, AccountWindowValue, Breakdown, CaptureState,
    DayRange, DemographicsSnapshot, FollowersCounts, MediaFilter, MediaId, MediaItem, MediaQuery,
    MediaSort, Store, StoreError, SyncRunId, SyncStatus, TimeRange,
};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::archive::AnswerCollector;
use crate::days::pacific_date;
use crate::dropped::Dropped;
use crate::error::SyncError;
use crate::exclusions::StoreExclusions;
use crate::exec::{Outcome, run_batched, run_direct};
use crate::plan::{
    Context, HistoryCursor, HistoryPlan, PostFacts, Snapshot, Unavailable, plan, product_of,
};
use crate::policy::SyncPolicy;
use crate::record;
use crate::report::{NoProgress, Phase, Progress, ProgressUpdate, SyncReport};
use crate::schedule::{STORY_LIFETIME, StoryFacts, StoryReading};
use crate::work::{Ask, MediaRef, Tag, Work};

/// Fields of a listed post or story (album children have no insights and are not kept).
const LIST_FIELDS: &[&str] = &[
    "id",
    "caption",
    "media_type",
    "media_product_type",
    "timestamp",
    "permalink",
    "media_url",
    "thumbnail_url",
];
const PROFILE_FIELDS: &[&str] = &[
    "id",
    "username",
    "name",
    "profile_picture_url",
    "followers_count",
    "follows_count",
    "media_count",
];
/// Newest posts asked for with the profile; more new ones than this are listed after.
const NEWEST: usize = 25;
/// Posts per page of a listing (Meta's maximum).
const PAGE_LIMIT: u32 = 100;
/// Days per listing window of the first sync (all windows go out in one batch).
const LISTING_WINDOW_DAYS: i64 = 30;
/// Rounds of a batched listing (one per page of the fullest window).
const MAX_LISTING_ROUNDS: u32 = 120;

/// Data kinds of the store's fetch state.
mod kind {
    pub const PROFILE: &str = "profile";
    pub const MEDIA_LIST: &str = "media_list";
    pub const MEDIA_HISTORY: &str = "media_history";
    pub const STORIES: &str = "stories";
    pub const ACCOUNT_METRICS: &str = "account_metrics";
    pub const ACCOUNT_HISTORY: &str = "account_history";
    pub const DEMOGRAPHICS: &str = "demographics";
}

/// The profile, the newest posts and the live stories, in one call.
#[derive(Debug, Deserialize)]
struct Overview {
    #[serde(flatten)]
    user: IgUser,
    #[serde(default)]
    media: Option<Page<Media>>,
    #[serde(default)]
    stories: Option<Page<Media>>,
}

/// The run's progress as saved with each step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ResumeState {
    as_of: DateTime<Utc>,
    phase: Phase,
    done: u64,
    total: u64,
    complete: bool,
}

/// Where the first sync's listing stands, when it runs one request at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct ListingCursor {
    /// The instant the windows are counted back from.
    anchor: DateTime<Utc>,
    /// The next window to list.
    next: usize,
}

/// A sync of one Instagram account: build it, set what you need, run it.
///
/// ```no_run
/// # async fn demo(store: &mut insightdesk_store::Store, client: insightdesk_graph::GraphClientBuilder) -> Result<(), insightdesk_sync::SyncError> {
/// let cancel = tokio_util::sync::CancellationToken::new();
/// let progress = |p: insightdesk_sync::ProgressUpdate| println!("{} {}/{}", p.phase.as_str(), p.done, p.total);
/// let report = insightdesk_sync::SyncJob::new(store, client, "17841400000000001")
///     .progress(&progress)
///     .cancel(cancel.clone())
///     .started_by("cli")
///     .run()
///     .await?;
/// println!("{}", serde_json::to_string(&report).unwrap_or_default());
/// # Ok(()) }
/// ```
pub struct SyncJob<'a> {
    store: &'a mut Store,
    client: GraphClientBuilder,
    ig_user_id: String,
    policy: SyncPolicy,
    progress: &'a dyn Progress,
    cancel: CancellationToken,
    started_by: String,
}

impl<'a> SyncJob<'a> {
    /// A sync of `ig_user_id` into `store` with a client built from `client` (its login kind,
    /// endpoints, version, token, app secret and clock; the job adds the account, the store's
    /// metric exclusions, the response archive and the cancellation token).
    pub fn new(
        store: &'a mut Store,
        client: GraphClientBuilder,
        ig_user_id: impl Into<String>,
    ) -> Self {
        Self {
            store,
            client,
            ig_user_id: ig_user_id.into(),
            policy: SyncPolicy::default(),
            progress: &NoProgress,
            cancel: CancellationToken::new(),
            started_by: "user".to_owned(),
        }
    }

    pub fn policy(mut self, policy: SyncPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn progress(mut self, progress: &'a dyn Progress) -> Self {
        self.progress = progress;
        self
    }

    /// Cancelling stops the run between two requests; what was written stays.
    pub fn cancel(mut self, cancel: CancellationToken) -> Self {
        self.cancel = cancel;
        self
    }

    /// What started the run (`user`, `schedule`, `cli`), kept in the sync history.
    pub fn started_by(mut self, started_by: impl Into<String>) -> Self {
        self.started_by = started_by.into();
        self
    }

    /// Runs the sync. On error the run is recorded as failed (or cancelled) with everything
    /// written so far; the next run continues from there.
    pub async fn run(self) -> Result<SyncReport, SyncError> {
        // Wall time of the run for the report; it decides nothing.
        let started = std::time::Instant::now();
        if self.ig_user_id.trim().is_empty() {
            return Err(SyncError::NoAccount);
        }
        let exclusions = StoreExclusions::load(self.store, &self.ig_user_id)?;
        let collector = Arc::new(AnswerCollector::new(self.policy.archive_responses));
        let client = self
            .client
            .account(self.ig_user_id.clone())
            .exclusions(exclusions.clone())
            .response_sink(collector.clone())
            .cancel(self.cancel.clone())
            .build()
            .map_err(SyncError::Graph)?;
        let as_of = client.now();
        let (account, run, resumed_from) = begin(
            self.store,
            &self.ig_user_id,
            client.login(),
            as_of,
            &self.started_by,
        )?;
        let mut engine = Engine {
            store: self.store,
            client,
            ig: self.ig_user_id.clone(),
            account,
            run,
            as_of,
            policy: self.policy,
            progress: self.progress,
            cancel: self.cancel,
            exclusions,
            collector,
            counted: CallCounts::default(),
            report: SyncReport {
                account: self.ig_user_id,
                run_id: run.0,
                resumed_from: resumed_from.map(|r| r.0),
                ..SyncReport::default()
            },
            seen: HashSet::new(),
            followers: None,
            phase: Phase::Overview,
            warned: HashSet::new(),
        };
        let result = engine.steps().await;
        let (status, message) = match &result {
            Ok(()) => (SyncStatus::Succeeded, None),
            Err(SyncError::Cancelled) => (
                SyncStatus::Cancelled,
                Some(SyncError::Cancelled.to_string()),
            ),
            Err(error) => (SyncStatus::Failed, Some(error.to_string())),
        };
        let finished = engine.finish(status, message.as_deref(), result.is_ok());
        let mut report = engine.report;
        report.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        result?;
        finished?;
        Ok(report)
    }
}

/// Makes sure the account has a row, closes a run that was killed, and starts this one.
fn begin(
    store: &mut Store,
    ig: &str,
    login: LoginKind,
    as_of: DateTime<Utc>,
    started_by: &str,
) -> Result<(AccountId, SyncRunId, Option<SyncRunId>), SyncError> {
    let existing = store.account_by_ig_id(ig)?;
    let previous = match &existing {
        Some(account) => store.sync_runs(Some(account.id), 1)?.pop(),
        None => None,
    };
    let unfinished = previous.filter(|run| {
        run.status != SyncStatus::Succeeded
            && run
                .resume_state
                .as_deref()
                .and_then(|s| serde_json::from_str::<ResumeState>(s).ok())
                .is_some_and(|s| !s.complete)
    });
    let resumed_from = unfinished.as_ref().map(|run| run.id);
    let written = store.write(|b| {
        let account = match &existing {
            Some(account) => account.id,
            // A placeholder until the profile is read in this run's first step.
            None => b.upsert_account(
                &AccountProfile {
                    ig_user_id: ig.to_owned(),
                    login_kind: store_login(login),
                    username: ig.to_owned(),
                    name: None,
                    profile_picture_url: None,
                },
                as_of,
            )?,
        };
        if let Some(run) = &unfinished
            && run.status == SyncStatus::Running
        {
            b.finish_sync_run(
                run.id,
                SyncStatus::Failed,
                as_of,
                Some("The sync stopped before it finished (Insightdesk was closed or stopped); the next sync continued it."),
            )?;
        }
        let run = b.start_sync_run(Some(account), started_by, as_of)?;
        b.save_sync_progress(run, &resume_json(as_of, Phase::Overview, 0, 0, false))?;
        Ok::<_, StoreError>((account, run))
    })?;
    Ok((written.0, written.1, resumed_from))
}

fn store_login(login: LoginKind) -> insightdesk_store::LoginKind {
    match login {
        LoginKind::Facebook => insightdesk_store::LoginKind::Facebook,
        LoginKind::Instagram => insightdesk_store::LoginKind::Instagram,
    }
}

fn resume_json(
    as_of: DateTime<Utc>,
    phase: Phase,
    done: u64,
    total: u64,
    complete: bool,
) -> String {
    serde_json::to_string(&ResumeState {
        as_of,
        phase,
        done,
        total,
        complete,
    })
    .unwrap_or_default()
}

/// The cells of one breakdown reading.
type Cells = Vec<(Breakdown, f64)>;

/// Everything one step writes.
#[derive(Debug, Default)]
struct StepRows {
    profile: Option<AccountProfile>,
    followers: Option<FollowersCounts>,
    media: Vec<MediaItem>,
    readings: Vec<(MediaId, Vec<(String, f64)>)>,
    breakdowns: Vec<(MediaId, String, Cells)>,
    daily: Vec<AccountDailyValue>,
    windows: Vec<AccountWindowValue>,
    demographics: Vec<DemographicsSnapshot>,
    captures: Vec<(MediaId, CaptureState)>,
    unavailable: Vec<(String, Unavailable)>,
    marks: Vec<(&'static str, Option<String>)>,
    warnings: Vec<String>,
    /// Data kinds of dropped metrics told in `warnings` ([`Dropped::PREFIX`]).
    told: Vec<String>,
}

impl StepRows {
    /// A listing's posts (reels and posts; the edge does not list stories).
    fn listed(media: &[Media]) -> Self {
        Self {
            media: media
                .iter()
                .filter_map(|m| record::media_item(m, &MediaProductType::Feed))
                .collect(),
            ..Self::default()
        }
    }

    fn count(&self) -> u64 {
        let n = |x: usize| x as u64;
        n(usize::from(self.profile.is_some()))
            + n(usize::from(self.followers.is_some()))
            + n(self.media.len())
            + self.readings.iter().map(|(_, v)| n(v.len())).sum::<u64>()
            + self
                .breakdowns
                .iter()
                .map(|(_, _, c)| n(c.len()))
                .sum::<u64>()
            + n(self.daily.len())
            + n(self.windows.len())
            + self
                .demographics
                .iter()
                .map(|d| n(d.buckets.len()))
                .sum::<u64>()
            + n(self.captures.len())
    }
}

struct Engine<'a> {
    store: &'a mut Store,
    client: GraphClient,
    ig: String,
    account: AccountId,
    run: SyncRunId,
    /// The run's instant: every reading of the run is stamped with it, so a step written again
    /// (a retry, a resumed run at the same moment) replaces rows instead of adding them.
    as_of: DateTime<Utc>,
    policy: SyncPolicy,
    progress: &'a dyn Progress,
    cancel: CancellationToken,
    exclusions: Arc<StoreExclusions>,
    collector: Arc<AnswerCollector>,
    /// The client's counters at the last commit.
    counted: CallCounts,
    report: SyncReport,
    seen: HashSet<String>,
    followers: Option<i64>,
    phase: Phase,
    /// Warnings already given in this run.
    warned: HashSet<String>,
}

impl Engine<'_> {
    fn update(&self, phase: Phase, done: u64, total: u64) {
        self.progress.update(ProgressUpdate { phase, done, total });
    }

    fn fresh(&self, kind: &str, max_age: Duration) -> Result<bool, StoreError> {
        self.store.is_fresh(self.account, kind, max_age, self.as_of)
    }

    fn graph_error(&self, error: GraphError) -> SyncError {
        SyncError::from_graph(error, self.client.now())
    }

    fn check_cancelled(&self) -> Result<(), SyncError> {
        if self.cancel.is_cancelled() {
            Err(SyncError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Asks the governor before spending `calls`: waits when the wait is short, stops and
    /// says when to come back when it is not.
    async fn permit(&self, calls: u64) -> Result<(), SyncError> {
        self.check_cancelled()?;
        let now = self.client.now();
        if let Permit::At(at) = self.client.governor().permit(calls, now) {
            let wait = (at - now).to_std().unwrap_or_default();
            if wait > self.policy.max_wait {
                return Err(SyncError::RateLimited { resume_at: at });
            }
            self.client
                .wait_for_budget(calls)
                .await
                .map_err(|e| self.graph_error(e))?;
        }
        Ok(())
    }

    async fn steps(&mut self) -> Result<(), SyncError> {
        let freshness = self.policy.freshness.clone();
        let overview_due = !self.fresh(kind::PROFILE, freshness.profile)?
            || !self.fresh(kind::MEDIA_LIST, freshness.media_list)?
            || !self.fresh(kind::STORIES, freshness.stories)?;
        let mut catch_up = None;
        if overview_due {
            catch_up = self.overview().await?;
        }
        let history = self.store.fetch_state(self.account, kind::MEDIA_HISTORY)?;
        if history.as_ref().and_then(|h| h.cursor.as_deref()) != Some("complete") {
            self.list_history(history.and_then(|h| h.cursor)).await?;
        } else if let Some(since) = catch_up {
            self.catch_up(since).await?;
        }
        self.insights().await
    }

    /// Step 1: profile, followers, the newest posts and the live stories in one call.
    /// When every one of the newest posts is new, more may be missing: returns the time of the
    /// newest post stored before (`Some(None)` when none was) for a listing since then.
    async fn overview(&mut self) -> Result<Option<Option<DateTime<Utc>>>, SyncError> {
        self.phase = Phase::Overview;
        self.update(Phase::Overview, 0, 1);
        self.permit(1).await?;
        let fields = format!(
            "{},media.limit({NEWEST}){{{list}}},stories.limit(100){{{list}}}",
            PROFILE_FIELDS.join(","),
            list = LIST_FIELDS.join(",")
        );
        let overview: Overview = self
            .client
            .user(&self.ig)
            .get(&fields)
            .await
            .map_err(|e| self.graph_error(e))?;
        let mut rows = StepRows {
            profile: Some(AccountProfile {
                ig_user_id: self.ig.clone(),
                login_kind: store_login(self.client.login()),
                username: overview
                    .user
                    .username
                    .clone()
                    .unwrap_or_else(|| self.ig.clone()),
                name: overview.user.name.clone(),
                profile_picture_url: overview.user.profile_picture_url.clone(),
            }),
            ..StepRows::default()
        };
        let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        if let Some(followers) = overview.user.followers_count {
            self.followers = Some(to_i64(followers));
            rows.followers = Some(FollowersCounts {
                followers_count: to_i64(followers),
                follows_count: overview.user.follows_count.map(to_i64),
                media_count: overview.user.media_count.map(to_i64),
            });
        }
        let newest: Vec<&Media> = overview.media.iter().flat_map(|p| p.data.iter()).collect();
        let mut all_new = newest.len() >= NEWEST;
        for media in &newest {
            if self.store.media_by_ig_id(&media.id)?.is_some() {
                all_new = false;
            }
        }
        let catch_up = if all_new {
            Some(self.newest_post()?)
        } else {
            None
        };
        rows.media.extend(
            newest
                .iter()
                .filter_map(|m| record::media_item(m, &MediaProductType::Feed)),
        );
        rows.media.extend(
            overview
                .stories
                .iter()
                .flat_map(|p| p.data.iter())
                .filter_map(|m| record::media_item(m, &MediaProductType::Story)),
        );
        self.expired_stories(&mut rows)?;
        for data_kind in [kind::PROFILE, kind::MEDIA_LIST, kind::STORIES] {
            rows.marks.push((data_kind, None));
        }
        self.commit(rows, 1, 1)?;
        Ok(catch_up)
    }

    /// Stories that expired since the last look without a final reading: a warning each, and
    /// `missed` for those never read.
    fn expired_stories(&mut self, rows: &mut StepRows) -> Result<(), SyncError> {
        let Some(previous) = self.store.fetch_state(self.account, kind::STORIES)? else {
            return Ok(());
        };
        let window = TimeRange::new(
            previous.fetched_at - STORY_LIFETIME,
            self.as_of - STORY_LIFETIME + Duration::seconds(1),
        );
        let states = self.store.fetch_states(self.account)?;
        let few_viewers: HashSet<String> = states
            .iter()
            .filter(|s| s.cursor.as_deref() == Some(Unavailable::FewViewers.as_str()))
            .filter_map(|s| {
                s.data_kind
                    .strip_prefix(Unavailable::PREFIX)
                    .map(str::to_owned)
            })
            .collect();
        for story in self.store.stories(self.account, window)? {
            let expired = story.media.item.posted_at + STORY_LIFETIME;
            if expired <= previous.fetched_at || expired > self.as_of {
                continue;
            }
            let posted = story.media.item.posted_at.format("%Y-%m-%d %H:%M");
            match story.capture {
                Some(CaptureState::Final { .. }) => {}
                Some(CaptureState::LastSeen { at }) => rows.warnings.push(format!(
                    "The story posted {posted} UTC expired before its final reading; its numbers are as last seen at {} UTC.",
                    at.format("%Y-%m-%d %H:%M")
                )),
                None | Some(CaptureState::Missed) => {
                    rows.captures.push((story.media.id, CaptureState::Missed));
                    rows.warnings.push(if few_viewers.contains(&story.media.item.ig_media_id) {
                        format!(
                            "The story posted {posted} UTC expired without insights: Instagram shows none for stories seen by fewer than 5 accounts."
                        )
                    } else {
                        format!("The story posted {posted} UTC expired before Insightdesk could read it.")
                    });
                }
            }
        }
        Ok(())
    }

    /// The first sync's listing of every post Meta still lists (up to its 10 000): windows of
    /// 30 days back to the history limit and one window for everything older. With the batch
    /// endpoint every window goes out at once; without it, one window per step.
    async fn list_history(&mut self, cursor: Option<String>) -> Result<(), SyncError> {
        self.phase = Phase::MediaList;
        let resumed: Option<ListingCursor> =
            cursor.as_deref().and_then(|c| serde_json::from_str(c).ok());
        let anchor = resumed.map_or(self.as_of, |c| c.anchor);
        let windows = listing_windows(anchor, self.policy.history_days);
        let total = windows.len() as u64;
        if self.client.login().has_batch() {
            self.update(Phase::MediaList, 0, total);
            let media = self.list_batched(&windows).await?;
            let mut rows = StepRows::listed(&media);
            rows.marks
                .push((kind::MEDIA_HISTORY, Some("complete".to_owned())));
            return self.commit(rows, total, total);
        }
        let start = resumed.map_or(0, |c| c.next);
        for (index, (since, until)) in windows.iter().enumerate().skip(start) {
            self.update(Phase::MediaList, index as u64, total);
            self.permit(1).await?;
            let mut list = self
                .client
                .user(&self.ig)
                .media()
                .fields(LIST_FIELDS)
                .limit(PAGE_LIMIT)
                .until(*until);
            if let Some(since) = since {
                list = list.since(*since);
            }
            let media: Vec<Media> = list
                .stream()
                .try_collect()
                .await
                .map_err(|e| self.graph_error(e))?;
            let next = index + 1;
            let cursor = if next == windows.len() {
                "complete".to_owned()
            } else {
                serde_json::to_string(&ListingCursor { anchor, next }).unwrap_or_default()
            };
            let mut rows = StepRows::listed(&media);
            rows.marks.push((kind::MEDIA_HISTORY, Some(cursor)));
            self.commit(rows, next as u64, total)?;
        }
        Ok(())
    }

    async fn list_batched(
        &mut self,
        windows: &[(Option<DateTime<Utc>>, DateTime<Utc>)],
    ) -> Result<Vec<Media>, SyncError> {
        let path = format!("{}/media", self.ig);
        let fields = LIST_FIELDS.join(",");
        let limit = PAGE_LIMIT.to_string();
        let mut pending: Vec<(usize, Option<String>, u32)> =
            (0..windows.len()).map(|i| (i, None, 0)).collect();
        let mut media = Vec::new();
        let mut rounds = 0;
        while !pending.is_empty() {
            rounds += 1;
            if rounds > MAX_LISTING_ROUNDS {
                return Err(SyncError::Graph(GraphError::Malformed {
                    request: "the media listing".into(),
                    reason: "Meta kept answering further pages".into(),
                }));
            }
            self.permit(pending.len() as u64).await?;
            let requests: Vec<BatchRequest> = pending
                .iter()
                .map(|(window, after, _)| {
                    let (since, until) = windows[*window];
                    let since = since.map(|s| s.timestamp().to_string());
                    let until = until.timestamp().to_string();
                    let mut query: Vec<(&str, &str)> =
                        vec![("fields", &fields), ("limit", &limit), ("until", &until)];
                    if let Some(since) = &since {
                        query.push(("since", since));
                    }
                    if let Some(after) = after {
                        query.push(("after", after));
                    }
                    BatchRequest::get(self.client.batch_url(&path, &query))
                })
                .collect();
            let answers = self
                .client
                .batch(requests)
                .await
                .map_err(|e| self.graph_error(e))?;
            let mut next = Vec::new();
            for ((window, after, tries), answer) in pending.into_iter().zip(answers) {
                match answer.and_then(|a| a.parse::<Page<Media>>()) {
                    Ok(page) => {
                        if let Some(cursor) = page.next_cursor() {
                            next.push((window, Some(cursor.to_owned()), 0));
                        }
                        media.extend(page.data);
                    }
                    Err(error) if error.class().is_retryable() && tries + 1 < 5 => {
                        next.push((window, after, tries + 1));
                    }
                    Err(error) => return Err(self.graph_error(error)),
                }
            }
            self.update(
                Phase::MediaList,
                (windows.len() - next.len().min(windows.len())) as u64,
                windows.len() as u64,
            );
            pending = next;
        }
        Ok(media)
    }

    /// When the newest post stored so far went up (stories aside).
    fn newest_post(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut offset = 0;
        loop {
            let rows = self
                .store
                .media_page(&MediaQuery {
                    filter: MediaFilter::account(self.account),
                    sort: MediaSort::PostedAt,
                    descending: true,
                    limit: 200,
                    offset,
                })?
                .rows;
            if let Some(row) = rows.iter().find(|r| r.media.item.product_type != "STORY") {
                return Ok(Some(row.media.item.posted_at));
            }
            if rows.len() < 200 {
                return Ok(None);
            }
            offset += 200;
        }
    }

    /// More new posts than the overview shows: list everything since the newest post stored
    /// before this run (a day's overlap; writing a post twice changes nothing).
    async fn catch_up(&mut self, newest: Option<DateTime<Utc>>) -> Result<(), SyncError> {
        self.phase = Phase::MediaList;
        self.update(Phase::MediaList, 0, 1);
        let mut list = self
            .client
            .user(&self.ig)
            .media()
            .fields(LIST_FIELDS)
            .limit(PAGE_LIMIT);
        if let Some(newest) = newest {
            list = list.since(newest - Duration::days(1));
        }
        self.permit(1).await?;
        let media: Vec<Media> = list
            .stream()
            .try_collect()
            .await
            .map_err(|e| self.graph_error(e))?;
        let mut rows = StepRows::listed(&media);
        rows.marks.push((kind::MEDIA_LIST, None));
        self.commit(rows, 1, 1)
    }

    /// What the store holds for the planner.
    fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let today = pacific_date(self.as_of);
        let followers = match self.followers {
            Some(f) => Some(f),
            None => self
                .store
                .followers_series(self.account, DayRange::ending(today, 30))?
                .last()
                .map(|p| p.followers_count),
        };
        let mut snapshot = Snapshot {
            followers,
            ..Snapshot::default()
        };
        for state in self.store.fetch_states(self.account)? {
            if state.data_kind.starts_with(Dropped::PREFIX) {
                snapshot.said_dropped.insert(state.data_kind);
                continue;
            }
            if let Some(ig) = state.data_kind.strip_prefix(Unavailable::PREFIX) {
                if let Some(reason) = state.cursor.as_deref().and_then(Unavailable::parse) {
                    snapshot
                        .unavailable
                        .insert(ig.to_owned(), (reason, state.fetched_at));
                }
                continue;
            }
            match state.data_kind.as_str() {
                kind::ACCOUNT_METRICS => {
                    snapshot.daily_fetched = Some(state.fetched_at);
                    snapshot.daily_newest = state
                        .cursor
                        .as_deref()
                        .and_then(|c| NaiveDate::parse_from_str(c, "%Y-%m-%d").ok());
                }
                kind::DEMOGRAPHICS => snapshot.demographics_fetched = Some(state.fetched_at),
                kind::ACCOUNT_HISTORY => {
                    snapshot.history = state
                        .cursor
                        .as_deref()
                        .and_then(|c| serde_json::from_str(c).ok());
                }
                _ => {}
            }
        }
        let live_from = self.as_of - STORY_LIFETIME;
        let captures: HashMap<MediaId, Option<CaptureState>> = self
            .store
            .stories(
                self.account,
                TimeRange::new(live_from, self.as_of + Duration::seconds(1)),
            )?
            .into_iter()
            .map(|s| (s.media.id, s.capture))
            .collect();
        let mut offset = 0;
        loop {
            let page = self.store.media_page(&MediaQuery {
                filter: MediaFilter::account(self.account),
                sort: MediaSort::PostedAt,
                descending: true,
                limit: 1000,
                offset,
            })?;
            let count = page.rows.len();
            for row in page.rows {
                let item = &row.media.item;
                let media = MediaRef {
                    id: row.media.id,
                    ig_id: item.ig_media_id.clone(),
                    product: product_of(&item.product_type),
                    media_type: Some(MediaType::parse(&item.media_type)),
                    posted_at: item.posted_at,
                };
                let last_reading = row.latest.values().map(|r| r.captured_at).max();
                snapshot.recorded.add_media(
                    &item.product_type,
                    &item.media_type,
                    row.latest.keys(),
                );
                if media.product == MediaProductType::Story {
                    if item.posted_at > live_from {
                        let facts = StoryFacts {
                            posted: item.posted_at,
                            last_reading,
                            is_final: matches!(
                                captures.get(&media.id),
                                Some(Some(CaptureState::Final { .. }))
                            ),
                            unavailable_since: snapshot
                                .unavailable
                                .get(&media.ig_id)
                                .filter(|(reason, _)| *reason == Unavailable::FewViewers)
                                .map(|(_, since)| *since),
                        };
                        snapshot.stories.push((media, facts));
                    }
                } else {
                    snapshot.posts.push(PostFacts {
                        media,
                        last_reading,
                    });
                }
            }
            if count < 1000 {
                break;
            }
            offset += 1000;
        }
        // Every day the store can hold: Instagram began in 2010.
        let days = DayRange::new(
            NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or(NaiveDate::MIN),
            today,
        );
        snapshot.recorded.account = self
            .store
            .account_metric_totals(self.account, days)?
            .into_iter()
            .map(|total| total.metric)
            .collect();
        Ok(snapshot)
    }

    /// Step 3: every insights request that is due, in steps of one batch (or a few requests).
    async fn insights(&mut self) -> Result<(), SyncError> {
        self.phase = Phase::Insights;
        let snapshot = self.snapshot()?;
        let catalog = self.client.catalog().clone();
        let ctx = Context {
            now: self.as_of,
            catalog: &catalog,
            version: self.client.version(),
            login: self.client.login(),
            policy: &self.policy,
        };
        let planned = plan(&snapshot, &ctx);
        let mut tracker = Tracker::new(&planned, &snapshot);
        let total = planned.works.len() as u64;
        let mut queue: VecDeque<Work> = planned.works.into_iter().collect();
        let mut warnings = planned.warnings;
        let mut told = planned.dropped;
        let batched = self.client.login().has_batch();
        let step_size = if batched {
            MAX_BATCH
        } else {
            self.policy.items_per_direct_step.max(1)
        };
        let mut done = 0u64;
        self.update(Phase::Insights, 0, total);
        if queue.is_empty() {
            // Nothing due; still say so in the run's progress (and give the plan's warnings).
            let rows = StepRows {
                warnings,
                told,
                ..StepRows::default()
            };
            return self.commit(rows, 0, 0);
        }
        while !queue.is_empty() {
            let take = step_length(&queue, step_size);
            let step: Vec<Work> = queue.drain(..take).collect();
            self.permit(step.len() as u64).await?;
            let groups = groups_per_media(&step);
            let mut executed = if batched {
                run_batched(&self.client, &self.ig, step).await
            } else {
                run_direct(&self.client, &self.ig, step).await
            };
            if executed.fatal.is_some() {
                // A post is read whole or not at all: one with a group left unanswered stays
                // due, and the next run reads all of it at its own instant.
                let answered = groups_per_media(executed.outcomes.iter().map(|o| &o.work));
                executed.outcomes.retain(|o| {
                    media_of(&o.work).is_none_or(|id| answered.get(&id) == groups.get(&id))
                });
            }
            let mut rows = StepRows {
                warnings: std::mem::take(&mut warnings),
                told: std::mem::take(&mut told),
                ..StepRows::default()
            };
            for outcome in &executed.outcomes {
                let values = self.rows_of(outcome, &mut rows);
                tracker.finished(&outcome.work, values, outcome.result.is_ok());
            }
            done += executed.outcomes.len() as u64;
            if executed.fatal.is_none() {
                rows.marks.extend(tracker.marks());
                if let Some(before) = tracker.history_stop() {
                    let queued = queue.len();
                    queue.retain(|w| !matches!(w.tag, Tag::History(first) if first < before));
                    done += (queued - queue.len()) as u64;
                }
            }
            self.commit(rows, done, total)?;
            if let Some(fatal) = executed.fatal {
                return Err(self.graph_error(fatal));
            }
        }
        Ok(())
    }

    /// One finished work item as rows; returns how many values it gave.
    fn rows_of(&self, outcome: &Outcome, rows: &mut StepRows) -> usize {
        let day = pacific_date(self.as_of);
        match (&outcome.work.ask, &outcome.result) {
            (
                Ask::Media {
                    media,
                    breakdown,
                    story,
                    ..
                },
                Ok(answer),
            ) => {
                let values = record::media_values(answer);
                let count = values.values.len() + values.breakdowns.len();
                if let Some(reading) = story
                    && breakdown.is_none()
                    && !values.values.is_empty()
                {
                    rows.captures.push((
                        media.id,
                        match reading {
                            StoryReading::Final => CaptureState::Final { at: self.as_of },
                            StoryReading::Live => CaptureState::LastSeen { at: self.as_of },
                        },
                    ));
                }
                if !values.values.is_empty() {
                    rows.readings.push((media.id, values.values));
                }
                for (metric, cells) in values.breakdowns {
                    rows.breakdowns.push((media.id, metric, cells));
                }
                count
            }
            (Ask::Media { media, story, .. }, Err(error)) => {
                match error.class() {
                    ErrorClass::NotEnoughViewers => {
                        rows.unavailable
                            .push((media.ig_id.clone(), Unavailable::FewViewers));
                        if story.is_some() {
                            rows.captures.push((media.id, CaptureState::Missed));
                        }
                    }
                    ErrorClass::MediaBeforeBusinessConversion => {
                        rows.unavailable
                            .push((media.ig_id.clone(), Unavailable::BeforeConversion));
                        rows.warnings.push(
                            "Some posts were published before the account became a professional account; Instagram has no insights for them.".to_owned(),
                        );
                    }
                    ErrorClass::Permission => {
                        rows.unavailable
                            .push((media.ig_id.clone(), Unavailable::Gone));
                        rows.warnings.push(format!(
                            "Instagram gave no insights for the post {} ({error}); Insightdesk will ask again in a week.",
                            media.ig_id
                        ));
                    }
                    _ => rows.warnings.push(error.to_string()),
                }
                0
            }
            (Ask::Series { .. }, Ok(answer)) => {
                let values = record::series_values(answer);
                let count = values.len();
                rows.daily.extend(values);
                count
            }
            (Ask::Total { span, window, .. }, Ok(answer)) => {
                if *window {
                    let values = record::window_totals(answer, *span);
                    let count = values.len();
                    rows.windows.extend(values);
                    count
                } else {
                    let values = record::daily_totals(answer, span.first);
                    let count = values.len();
                    rows.daily.extend(values);
                    count
                }
            }
            (
                Ask::Demographics {
                    metric, timeframe, ..
                },
                Ok(answer),
            ) => match record::demographics(answer, metric, timeframe.as_deref(), day) {
                Some(snapshot) => {
                    let count = snapshot.buckets.len();
                    rows.demographics.push(snapshot);
                    count
                }
                None => {
                    rows.warnings.push(format!(
                        "Instagram has no {} for this account yet: it gives audience demographics only from 100 followers (or 100 engaged accounts) on.",
                        metric.replace('_', " ")
                    ));
                    0
                }
            },
            (Ask::OnlineFollowers { .. }, Ok(answer)) => {
                let snapshots = record::online_followers(answer);
                let count = snapshots.len();
                rows.demographics.extend(snapshots);
                count
            }
            (_, Err(error)) => {
                rows.warnings.push(error.to_string());
                0
            }
        }
    }

    /// The client's counters now, and the HTTP requests and counted calls since the last
    /// commit.
    fn spent(&self) -> (CallCounts, u64, u64) {
        let counts = self.client.counts();
        let http = counts
            .http_requests
            .saturating_sub(self.counted.http_requests);
        let calls = counts
            .counted_calls
            .saturating_sub(self.counted.counted_calls);
        (counts, http, calls)
    }

    /// Writes one step: its rows, marks, learned exclusions, archived answers, the run's
    /// counters and resume state, in one store batch.
    fn commit(&mut self, rows: StepRows, done: u64, total: u64) -> Result<(), SyncError> {
        let learned = self.exclusions.take_learned();
        let answers = self.collector.take();
        let (counts, http, calls) = self.spent();
        let mut warnings: Vec<String> = rows.warnings.clone();
        warnings.extend(learned.iter().map(|l| l.warning()));
        warnings.retain(|w| !self.warned.contains(w));
        warnings.dedup();
        let mut fresh_ids = Vec::new();
        for item in &rows.media {
            if self.seen.insert(item.ig_media_id.clone()) {
                fresh_ids.push(item.ig_media_id.clone());
            }
        }
        let mut new_media = 0u64;
        for id in &fresh_ids {
            if self.store.media_by_ig_id(id)?.is_none() {
                new_media += 1;
            }
        }
        let written = rows.count();
        let (account, run, as_of) = (self.account, self.run, self.as_of);
        let version = self.client.version().to_string();
        let resume = resume_json(as_of, self.phase, done, total, false);
        let seen = fresh_ids.len() as i64;
        let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let result = self.store.write(|b| {
            if let Some(profile) = &rows.profile {
                b.upsert_account(profile, as_of)?;
            }
            if let Some(followers) = &rows.followers {
                b.record_followers(account, pacific_date(as_of), followers, as_of)?;
            }
            let mut ids: HashMap<&str, MediaId> = HashMap::new();
            for item in &rows.media {
                let id = b.upsert_media(account, item, as_of)?;
                ids.insert(&item.ig_media_id, id);
            }
            for (media, values) in &rows.readings {
                let values: Vec<(&str, f64)> =
                    values.iter().map(|(m, v)| (m.as_str(), *v)).collect();
                b.record_media_metrics(*media, as_of, &values)?;
            }
            for (media, metric, cells) in &rows.breakdowns {
                b.record_media_breakdown(*media, metric, as_of, cells)?;
            }
            if !rows.daily.is_empty() {
                b.record_account_daily(account, &rows.daily, as_of)?;
            }
            if !rows.windows.is_empty() {
                b.record_account_window(account, &rows.windows, as_of)?;
            }
            for snapshot in &rows.demographics {
                b.record_demographics(account, snapshot, as_of)?;
            }
            for (media, state) in &rows.captures {
                b.record_story_capture(*media, *state)?;
            }
            for (ig, reason) in &rows.unavailable {
                b.mark_fetched(
                    account,
                    &format!("{}{ig}", Unavailable::PREFIX),
                    as_of,
                    Some(reason.as_str()),
                )?;
            }
            for (data_kind, cursor) in &rows.marks {
                b.mark_fetched(account, data_kind, as_of, cursor.as_deref())?;
            }
            for data_kind in &rows.told {
                b.mark_fetched(account, data_kind, as_of, None)?;
            }
            StoreExclusions::write(b, account, &learned, &version)?;
            AnswerCollector::write(b, account, &answers, as_of)?;
            b.add_sync_counters(
                run,
                &[
                    ("http_requests", to_i64(http)),
                    ("counted_calls", to_i64(calls)),
                    ("rows_written", to_i64(written)),
                    ("media_seen", seen),
                    ("media_new", to_i64(new_media)),
                ],
            )?;
            for warning in &warnings {
                b.add_sync_warning(run, warning)?;
            }
            b.save_sync_progress(run, &resume)?;
            Ok::<_, StoreError>(())
        });
        if let Err(error) = result {
            self.exclusions.restore_learned(learned);
            for id in &fresh_ids {
                self.seen.remove(id);
            }
            return Err(error.into());
        }
        self.counted = counts;
        self.report.http_requests += http;
        self.report.counted_calls += calls;
        self.report.rows_written += written;
        self.report.media_seen += fresh_ids.len() as u64;
        self.report.media_new += new_media;
        for warning in warnings {
            if self.warned.insert(warning.clone()) {
                log::warn!("{warning}");
                self.report.warnings.push(warning);
            }
        }
        self.update(self.phase, done, total);
        Ok(())
    }

    /// Ends the run: the last counters and the status, in one batch.
    fn finish(
        &mut self,
        status: SyncStatus,
        error: Option<&str>,
        complete: bool,
    ) -> Result<(), SyncError> {
        let (counts, http, calls) = self.spent();
        let (run, as_of, phase) = (self.run, self.as_of, self.phase);
        let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let state = self
            .store
            .sync_run(run)?
            .and_then(|r| r.resume_state)
            .and_then(|s| serde_json::from_str::<ResumeState>(&s).ok());
        let (done, total) = state.map_or((0, 0), |s| (s.done, s.total));
        let finished_at = self.client.now().max(as_of);
        self.store.write(|b| {
            b.add_sync_counters(
                run,
                &[
                    ("http_requests", to_i64(http)),
                    ("counted_calls", to_i64(calls)),
                ],
            )?;
            b.save_sync_progress(run, &resume_json(as_of, phase, done, total, complete))?;
            b.finish_sync_run(run, status, finished_at, error)
        })?;
        self.counted = counts;
        self.report.http_requests += http;
        self.report.counted_calls += calls;
        Ok(())
    }
}

/// The post or story a work item reads, if it reads one.
fn media_of(work: &Work) -> Option<MediaId> {
    match &work.ask {
        Ask::Media { media, .. } => Some(media.id),
        _ => None,
    }
}

/// How many work items each post or story has among `works`.
fn groups_per_media<'a>(works: impl IntoIterator<Item = &'a Work>) -> HashMap<MediaId, usize> {
    let mut counts = HashMap::new();
    for id in works.into_iter().filter_map(media_of) {
        *counts.entry(id).or_default() += 1;
    }
    counts
}

/// How many queued items the next step takes: at most `limit`, never cutting a post's
/// groups (plain metrics, breakdowns) apart, so a post's reading is written whole.
fn step_length(queue: &VecDeque<Work>, limit: usize) -> usize {
    let mut take = limit.min(queue.len());
    if take == queue.len() {
        return take;
    }
    let Some(next) = queue.get(take).and_then(media_of) else {
        return take;
    };
    let start = take;
    while take > 0 && queue.get(take - 1).and_then(media_of) == Some(next) {
        take -= 1;
    }
    if take == 0 { start } else { take }
}

/// The first sync's listing windows, newest first: 30 days each back to the history limit,
/// then everything older.
fn listing_windows(
    anchor: DateTime<Utc>,
    history_days: u32,
) -> Vec<(Option<DateTime<Utc>>, DateTime<Utc>)> {
    let count = i64::from(history_days).div_euclid(LISTING_WINDOW_DAYS) + 1;
    let mut windows: Vec<(Option<DateTime<Utc>>, DateTime<Utc>)> = (0..count)
        .map(|k| {
            let until = anchor - Duration::days(LISTING_WINDOW_DAYS * k);
            (Some(until - Duration::days(LISTING_WINDOW_DAYS)), until)
        })
        .collect();
    windows.push((None, anchor - Duration::days(LISTING_WINDOW_DAYS * count)));
    windows
}

/// Which kinds of planned work are complete, for the marks that say so.
struct Tracker {
    remaining: HashMap<Tag, usize>,
    daily: bool,
    daily_newest: Option<NaiveDate>,
    demographics: bool,
    history: Option<HistoryPlan>,
    history_values: HashMap<NaiveDate, usize>,
    /// Chunks with an item Meta refused: no proof that Meta has nothing that far back.
    history_refused: HashSet<NaiveDate>,
    history_cursor: Option<HistoryCursor>,
    stop_before: Option<NaiveDate>,
}

impl Tracker {
    fn new(planned: &crate::plan::Plan, snapshot: &Snapshot) -> Self {
        let mut remaining: HashMap<Tag, usize> = HashMap::new();
        for work in &planned.works {
            *remaining.entry(work.tag).or_default() += 1;
        }
        Self {
            remaining,
            daily: planned.daily.is_some(),
            daily_newest: snapshot.daily_newest,
            demographics: planned.demographics,
            history_cursor: planned.history.as_ref().map(|h| h.cursor),
            history: planned.history.clone(),
            history_values: HashMap::new(),
            history_refused: HashSet::new(),
            stop_before: None,
        }
    }

    fn finished(&mut self, work: &Work, values: usize, answered: bool) {
        if let Some(left) = self.remaining.get_mut(&work.tag) {
            *left = left.saturating_sub(1);
        }
        match &work.ask {
            Ask::Total {
                span,
                window: false,
                ..
            } if work.tag == Tag::Daily && values > 0 => {
                self.daily_newest = self.daily_newest.max(Some(span.first));
            }
            _ => {}
        }
        if let Tag::History(first) = work.tag {
            *self.history_values.entry(first).or_default() += values;
            if !answered {
                self.history_refused.insert(first);
            }
        }
    }

    fn left(&self, tag: Tag) -> usize {
        self.remaining.get(&tag).copied().unwrap_or(0)
    }

    /// An empty history chunk: Meta answers nothing this far back, so nothing older is asked.
    fn history_stop(&self) -> Option<NaiveDate> {
        self.stop_before
    }

    /// Marks for the kinds of work completed since the last call.
    fn marks(&mut self) -> Vec<(&'static str, Option<String>)> {
        let mut marks = Vec::new();
        if self.daily && self.left(Tag::Daily) == 0 {
            self.daily = false;
            marks.push((
                kind::ACCOUNT_METRICS,
                self.daily_newest.map(|d| d.format("%Y-%m-%d").to_string()),
            ));
        }
        if self.demographics && self.left(Tag::Demographics) == 0 {
            self.demographics = false;
            marks.push((kind::DEMOGRAPHICS, None));
        }
        if let (Some(history), Some(cursor)) = (&self.history, self.history_cursor) {
            let mut next = cursor;
            if !next.complete {
                // Chunks go newest first: the cursor moves over every finished one in a row.
                for chunk in &history.chunks {
                    if self.left(Tag::History(chunk.first)) > 0 {
                        break;
                    }
                    next.done_to = Some(chunk.first);
                    let empty = self.history_values.get(&chunk.first).copied().unwrap_or(0) == 0;
                    if empty && !self.history_refused.contains(&chunk.first) {
                        next.complete = true;
                        self.stop_before = Some(chunk.first);
                        break;
                    }
                }
                if history
                    .chunks
                    .iter()
                    .all(|c| self.left(Tag::History(c.first)) == 0)
                {
                    next.complete = true;
                }
            }
            if next != cursor {
                self.history_cursor = Some(next);
                marks.push((kind::ACCOUNT_HISTORY, serde_json::to_string(&next).ok()));
            }
        }
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: i64, group: &str) -> Work {
        Work {
            tag: Tag::Post,
            ask: Ask::Media {
                media: MediaRef {
                    id: MediaId(id),
                    ig_id: format!("m{id}"),
                    product: MediaProductType::Feed,
                    media_type: Some(MediaType::Image),
                    posted_at: DateTime::<Utc>::UNIX_EPOCH,
                },
                metrics: vec![group.to_owned()],
                breakdown: None,
                story: None,
            },
        }
    }

    #[test]
    fn a_step_never_cuts_a_post_in_two() {
        let queue: VecDeque<Work> = [
            post(1, "a"),
            post(1, "b"),
            post(2, "a"),
            post(2, "b"),
            post(3, "a"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            step_length(&queue, 3),
            2,
            "post 2's groups go together into the next step"
        );
        assert_eq!(step_length(&queue, 4), 4);
        assert_eq!(step_length(&queue, 10), 5);
        assert_eq!(
            step_length(&queue, 1),
            1,
            "a step smaller than a post still moves on"
        );
        let counts = groups_per_media(queue.iter());
        assert_eq!(counts[&MediaId(1)], 2);
        assert_eq!(counts[&MediaId(3)], 1);
    }

    fn chunk(first: &str, last: &str) -> crate::days::DaySpan {
        let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
        crate::days::DaySpan {
            first: day(first),
            last: day(last),
        }
    }

    fn history_work(span: crate::days::DaySpan) -> Work {
        Work {
            tag: Tag::History(span.first),
            ask: Ask::Series {
                metrics: vec!["reach".into()],
                span,
            },
        }
    }

    fn history_tracker(chunks: &[crate::days::DaySpan]) -> Tracker {
        let planned = crate::plan::Plan {
            works: chunks.iter().map(|c| history_work(*c)).collect(),
            history: Some(HistoryPlan {
                cursor: HistoryCursor {
                    newest: chunks[0].last,
                    done_to: None,
                    complete: false,
                },
                chunks: chunks.to_vec(),
            }),
            ..crate::plan::Plan::default()
        };
        Tracker::new(&planned, &Snapshot::default())
    }

    fn history_cursor(marks: &[(&'static str, Option<String>)]) -> Option<HistoryCursor> {
        marks
            .iter()
            .find(|(kind, _)| *kind == kind::ACCOUNT_HISTORY)
            .and_then(|(_, c)| serde_json::from_str(c.as_deref()?).ok())
    }

    #[test]
    fn history_moves_over_finished_chunks_in_a_row_and_stops_at_an_empty_one() {
        let chunks = [
            chunk("2026-09-26", "2026-10-25"),
            chunk("2026-08-27", "2026-09-25"),
            chunk("2026-07-28", "2026-08-26"),
        ];
        let mut tracker = history_tracker(&chunks);
        // The second chunk finished first: the cursor cannot move past the first yet.
        tracker.finished(&history_work(chunks[1]), 30, true);
        assert!(tracker.marks().is_empty());
        tracker.finished(&history_work(chunks[0]), 30, true);
        let cursor = history_cursor(&tracker.marks()).unwrap();
        assert_eq!(cursor.done_to, Some(chunks[1].first));
        assert!(!cursor.complete);
        // An empty chunk: Meta answers nothing that far back; older chunks are not asked.
        tracker.finished(&history_work(chunks[2]), 0, true);
        let cursor = history_cursor(&tracker.marks()).unwrap();
        assert!(cursor.complete);
        assert_eq!(tracker.history_stop(), Some(chunks[2].first));
    }

    #[test]
    fn a_refused_chunk_is_no_proof_that_history_ends_there() {
        let chunks = [
            chunk("2026-09-26", "2026-10-25"),
            chunk("2026-08-27", "2026-09-25"),
        ];
        let mut tracker = history_tracker(&chunks);
        tracker.finished(&history_work(chunks[0]), 0, false);
        let cursor = history_cursor(&tracker.marks()).unwrap();
        assert!(
            !cursor.complete,
            "one refused request does not end the history"
        );
        assert_eq!(tracker.history_stop(), None);
        tracker.finished(&history_work(chunks[1]), 12, true);
        assert!(
            history_cursor(&tracker.marks()).unwrap().complete,
            "every chunk done"
        );
    }

    #[test]
    fn listing_windows_reach_back_and_leave_nothing_out() {
        let anchor = DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let windows = listing_windows(anchor, 730);
        assert_eq!(windows.len(), 26);
        assert_eq!(windows[0].1, anchor);
        for pair in windows.windows(2) {
            assert_eq!(
                pair[0].0,
                Some(pair[1].1),
                "each window starts where the older one ends"
            );
        }
        assert_eq!(
            windows.last().map(|w| w.0),
            Some(None),
            "everything older in the last one"
        );
    }
}

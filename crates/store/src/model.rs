//! Ids, ranges and the rows the store hands out.
//!
//! Rows are plain data with `Serialize` (the app layer turns them into IPC types, the report
//! crate into CSV and PDF). Metric names, product types and media types are Meta's strings,
//! kept as text on purpose: Meta adds and renames them, and the store must not be the place
//! that breaks when it does.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef};
use serde::Serialize;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    };
}

row_id!(
    /// An account's row in this store (not Meta's id: that is `ig_user_id`).
    AccountId
);
row_id!(
    /// A post's, reel's or story's row in this store (not Meta's id: that is `ig_media_id`).
    MediaId
);
row_id!(
    /// One sync run.
    SyncRunId
);
row_id!(
    /// One user note on the timeline.
    AnnotationId
);
row_id!(
    /// One archived Meta response.
    RawResponseId
);

/// How the account signed in; decides which metrics Meta offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginKind {
    Facebook,
    Instagram,
}

impl LoginKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LoginKind::Facebook => "facebook",
            LoginKind::Instagram => "instagram",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "facebook" => Some(LoginKind::Facebook),
            "instagram" => Some(LoginKind::Instagram),
            _ => None,
        }
    }
}

impl ToSql for LoginKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for LoginKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        LoginKind::parse(text)
            .ok_or_else(|| rusqlite::types::FromSqlError::Other(unknown(text, "login kind")))
    }
}

pub(crate) fn unknown(text: &str, what: &str) -> Box<dyn std::error::Error + Send + Sync> {
    format!("unknown {what} {text:?}").into()
}

/// Instants from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TimeRange {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self { start, end }
    }

    /// Every instant the store can hold.
    pub fn all() -> Self {
        Self {
            start: DateTime::<Utc>::MIN_UTC,
            end: DateTime::<Utc>::MAX_UTC,
        }
    }

    pub(crate) fn unix(&self) -> (i64, i64) {
        (self.start.timestamp(), self.end.timestamp())
    }
}

/// Calendar days from `first` to `last`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DayRange {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Self {
        Self { first, last }
    }

    /// The `days` days that end with `last` (e.g. "the last 28 days").
    pub fn ending(last: NaiveDate, days: u32) -> Self {
        let first = last
            .checked_sub_days(chrono::Days::new(u64::from(days.saturating_sub(1))))
            .unwrap_or(NaiveDate::MIN);
        Self { first, last }
    }

    pub(crate) fn texts(&self) -> (String, String) {
        (
            crate::time::day_text(self.first),
            crate::time::day_text(self.last),
        )
    }
}

/// A breakdown cell: Meta's dimension keys joined with `,` (e.g. `age,gender`) and the
/// matching values joined the same way (e.g. `25-34,F`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Breakdown {
    pub dimension: String,
    pub value: String,
}

impl Breakdown {
    pub fn new(dimension: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            dimension: dimension.into(),
            value: value.into(),
        }
    }
}

/// An account as Meta describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountProfile {
    pub ig_user_id: String,
    pub login_kind: LoginKind,
    pub username: String,
    pub name: Option<String>,
    pub profile_picture_url: Option<String>,
}

/// A post, reel or story as Meta's media listing describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaItem {
    pub ig_media_id: String,
    /// Meta's `media_product_type`: FEED, REELS, STORY, AD.
    pub product_type: String,
    /// Meta's `media_type`: IMAGE, VIDEO, CAROUSEL_ALBUM.
    pub media_type: String,
    pub posted_at: DateTime<Utc>,
    pub caption: Option<String>,
    pub permalink: Option<String>,
    pub media_url: Option<String>,
    pub thumbnail_url: Option<String>,
}

/// A stored account: its row id, what Meta said about it, and when that was fetched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: AccountId,
    #[serde(flatten)]
    pub profile: AccountProfile,
    pub fetched_at: DateTime<Utc>,
}

/// A stored post: its row id, its account and what Meta's media listing said about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Media {
    pub id: MediaId,
    pub account_id: AccountId,
    #[serde(flatten)]
    pub item: MediaItem,
}

/// One lifetime reading of a post's metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MetricReading {
    pub captured_at: DateTime<Utc>,
    /// Seconds between the post going up and this reading.
    pub age_seconds: i64,
    pub value: f64,
}

/// A post with the latest reading of each of its metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaWithMetrics {
    pub media: Media,
    pub latest: BTreeMap<String, MetricReading>,
}

/// One page of the content table and how many posts match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaPage {
    pub total: u64,
    pub rows: Vec<MediaWithMetrics>,
}

/// The median of a metric over comparable posts at one age.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AgeMedian {
    pub age_seconds: i64,
    /// `None` when no post had a value at this age.
    pub median: Option<f64>,
    /// How many posts the median is taken over.
    pub media_count: u32,
}

/// One day of an account metric; `breakdown_value` is set for breakdown series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyValue {
    pub day: NaiveDate,
    pub breakdown_value: Option<String>,
    pub value: f64,
}

/// An account metric's total over a window of days (both ends included), as Meta answered it
/// for one since/until window; `breakdown_value` is set for breakdown cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowValue {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub breakdown_value: Option<String>,
    pub value: f64,
}

/// The sum of a daily account metric over a range of days, and on how many days it had a
/// value. Unique counts such as `reach` do not add up across days; the caller decides what
/// a sum means for each metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricTotal {
    pub metric: String,
    pub sum: f64,
    pub days: u32,
}

/// The sum of the latest value of a metric over the posts published in a range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaMetricTotal {
    pub metric: String,
    pub sum: f64,
    /// How many of the posts have a reading of this metric.
    pub media_count: u32,
}

/// How many posts of one kind went up in a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaTypeCount {
    pub product_type: String,
    pub media_type: String,
    pub count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FollowersPoint {
    pub day: NaiveDate,
    pub followers_count: i64,
    pub follows_count: Option<i64>,
    pub media_count: Option<i64>,
}

/// How far Insightdesk got with a story before Meta forgot it (stories live 24 hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CaptureState {
    /// The final reading was taken before the story expired, at `at`.
    Final { at: DateTime<Utc> },
    /// Readings were taken while the story was live, the last one at `at`; there is no final
    /// one.
    LastSeen { at: DateTime<Utc> },
    /// The story expired before any reading.
    Missed,
}

impl CaptureState {
    pub(crate) fn columns(self) -> (&'static str, Option<i64>) {
        match self {
            CaptureState::Final { at } => ("final", Some(at.timestamp())),
            CaptureState::LastSeen { at } => ("last_seen", Some(at.timestamp())),
            CaptureState::Missed => ("missed", None),
        }
    }

    pub(crate) fn from_columns(state: &str, at: Option<DateTime<Utc>>) -> Option<Self> {
        match (state, at) {
            ("final", Some(at)) => Some(CaptureState::Final { at }),
            ("last_seen", Some(at)) => Some(CaptureState::LastSeen { at }),
            ("missed", None) => Some(CaptureState::Missed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    pub media: Media,
    /// `None` when the sync has not recorded a capture state yet.
    pub capture: Option<CaptureState>,
    pub latest: BTreeMap<String, MetricReading>,
}

/// The newest snapshot of one demographics breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Demographics {
    pub metric: String,
    /// `this_week` / `this_month` for engaged and reached audiences; `None` for followers.
    pub timeframe: Option<String>,
    pub dimension: String,
    pub snapshot_day: NaiveDate,
    /// Largest first.
    pub buckets: Vec<DemographicsBucket>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemographicsBucket {
    pub value_key: String,
    pub value: f64,
}

/// When a post went up and the latest value of the requested metrics (best-time heatmap
/// input; the report crate moves it into the user's time zone).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostingTime {
    pub media_id: MediaId,
    pub posted_at: DateTime<Utc>,
    pub product_type: String,
    pub media_type: String,
    pub values: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub account_id: AccountId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    /// Started and not finished: either still going or killed (then it can be resumed).
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl SyncStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Running => "running",
            SyncStatus::Succeeded => "succeeded",
            SyncStatus::Failed => "failed",
            SyncStatus::Cancelled => "cancelled",
        }
    }
}

impl FromSql for SyncStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "running" => Ok(SyncStatus::Running),
            "succeeded" => Ok(SyncStatus::Succeeded),
            "failed" => Ok(SyncStatus::Failed),
            "cancelled" => Ok(SyncStatus::Cancelled),
            other => Err(rusqlite::types::FromSqlError::Other(unknown(
                other,
                "sync status",
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncRun {
    pub id: SyncRunId,
    /// `None` for a run over every account.
    pub account_id: Option<AccountId>,
    /// What started it, e.g. `schedule`, `user`, `cli`.
    pub started_by: String,
    pub status: SyncStatus,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
    /// The sync's own serialized progress, written with each step so a killed run resumes.
    pub resume_state: Option<String>,
    pub counters: BTreeMap<String, i64>,
    /// In the order they first occurred; each message once.
    pub warnings: Vec<String>,
}

/// When one kind of data was last fetched for an account, and where to continue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchState {
    pub data_kind: String,
    pub fetched_at: DateTime<Utc>,
    pub cursor: Option<String>,
}

/// The parameters that pick one exclusion: account, login kind, level, product type, media
/// type, metric type, metric name.
pub(crate) type ScopeMatch<'a> = (
    AccountId,
    LoginKind,
    MetricLevel,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

/// Which insights call a metric belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricLevel {
    /// `/{ig-user-id}/insights`.
    User,
    /// `/{ig-media-id}/insights`.
    Media,
}

impl MetricLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricLevel::User => "user",
            MetricLevel::Media => "media",
        }
    }
}

impl ToSql for MetricLevel {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for MetricLevel {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "user" => Ok(MetricLevel::User),
            "media" => Ok(MetricLevel::Media),
            other => Err(rusqlite::types::FromSqlError::Other(unknown(
                other,
                "metric level",
            ))),
        }
    }
}

/// Where Meta said it does not provide a metric. Scopes match exactly; a `None` is its own
/// scope (e.g. a media page with expanded insights, where Meta did not say which post refused),
/// not a wildcard.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MetricScope {
    pub account: AccountId,
    pub login_kind: LoginKind,
    pub level: MetricLevel,
    /// Media level: Meta's `media_product_type`.
    pub product_type: Option<String>,
    /// Media level: Meta's `media_type`.
    pub media_type: Option<String>,
    /// User level: the `metric_type` refused (`time_series`, `total_value`); a metric may
    /// still answer in the other.
    pub metric_type: Option<String>,
}

impl MetricScope {
    /// Account-level metrics (`/{ig-user-id}/insights`).
    pub fn user(account: AccountId, login_kind: LoginKind, metric_type: Option<&str>) -> Self {
        Self {
            account,
            login_kind,
            level: MetricLevel::User,
            product_type: None,
            media_type: None,
            metric_type: metric_type.map(str::to_owned),
        }
    }

    /// Media metrics of one (product type, media type).
    pub fn media(
        account: AccountId,
        login_kind: LoginKind,
        product_type: Option<&str>,
        media_type: Option<&str>,
    ) -> Self {
        Self {
            account,
            login_kind,
            level: MetricLevel::Media,
            product_type: product_type.map(str::to_owned),
            media_type: media_type.map(str::to_owned),
            metric_type: None,
        }
    }

    /// Picks the `metric_exclusion` row of this scope and metric name `?7`.
    pub(crate) const MATCH_SQL: &str = "account_id = ?1 AND login_kind = ?2 AND level = ?3
        AND product_type = ?4 AND media_type = ?5 AND metric_type = ?6
        AND metric_id = (SELECT id FROM metric WHERE name = ?7)";

    /// The text columns of the key; `None` is stored as ''.
    pub(crate) fn key_texts(&self) -> [&str; 3] {
        [
            self.product_type.as_deref().unwrap_or(""),
            self.media_type.as_deref().unwrap_or(""),
            self.metric_type.as_deref().unwrap_or(""),
        ]
    }

    /// The parameters of [`Self::MATCH_SQL`].
    pub(crate) fn match_params<'a>(&'a self, metric: &'a str) -> ScopeMatch<'a> {
        let [product_type, media_type, metric_type] = self.key_texts();
        (
            self.account,
            self.login_kind,
            self.level,
            product_type,
            media_type,
            metric_type,
            metric,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricExclusion {
    pub scope: MetricScope,
    pub metric: String,
    /// Meta's words, e.g. "(#100) ... does not support the views metric ...".
    pub reason: String,
    pub api_version: String,
    pub learned_at: DateTime<Utc>,
}

/// An archived response without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawResponseInfo {
    pub id: RawResponseId,
    pub account_id: Option<AccountId>,
    pub endpoint: String,
    pub api_version: String,
    pub body_sha256: String,
    pub body_len: u64,
    pub fetched_at: DateTime<Utc>,
}

/// A comment on one of the account's posts, from a webhook or from polling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub ig_comment_id: String,
    pub ig_media_id: String,
    pub parent_ig_comment_id: Option<String>,
    pub username: Option<String>,
    pub text: String,
    pub commented_at: Option<DateTime<Utc>>,
    /// `webhook` or `poll`.
    pub source: String,
}

/// A post or comment of someone else that mentions the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub ig_media_id: String,
    /// `None` for a mention in a caption.
    pub ig_comment_id: Option<String>,
    pub username: Option<String>,
    pub text: Option<String>,
    pub mentioned_at: Option<DateTime<Utc>>,
}

/// What an alert remembers between syncs (its own JSON) and when it last fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertState {
    pub alert: String,
    pub state: String,
    pub last_fired_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityReport {
    /// Empty when the database is whole.
    pub problems: Vec<String>,
}

impl IntegrityReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

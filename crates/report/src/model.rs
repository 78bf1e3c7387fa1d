//! The report model: everything a report shows, computed once from the store. The PDF, the
//! text rendering, the CSV tables and the JSON are all drawn from it.

use std::collections::HashMap;
use ts_rs::TS;

use chrono::{DateTime, Days, FixedOffset, TimeDelta, Utc};
use chrono_tz::Tz;
use insightdesk_store::{
    AccountId, DailyValue, DayRange, ExportTable, ExportValue, MediaFilter, MediaId, MediaQuery,
    MediaSort, PeerQuery, Store, StoreError, TimeRange,
};
use serde::Serialize;

use crate::analytics::{
    self, BestTime, ContentMixRow, ContentType, Delta, FollowerGrowth, FollowerHistory,
    GROWTH_AGES_HOURS, GrowthPoint, Navigation, PeriodSum, Post, RankedPost, Ranking, StorySummary,
};
use crate::chart::{ChartSpec, Unit};
use crate::charts;
use crate::measure::{Definition, MIN_POSTS_PER_SLOT, Measure};
use crate::{Period, ReportError};

/// The version of the JSON a report is written as; raised when a field changes meaning or
/// goes away (adding fields does not raise it).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// How many posts each top list holds.
pub const TOP_POSTS: usize = 5;

/// The best-time grid looks back at least this many days.
pub const BEST_TIME_DAYS: u64 = 90;

/// Peers for the growth comparison went up in this many days before the post.
pub const GROWTH_PEER_DAYS: i64 = 180;

/// Instagram's figures can lag this long.
const META_LAG_HOURS: i64 = 48;

/// The account metrics read day by day (Meta's names).
const DAILY_METRICS: [&str; 9] = [
    "reach",
    "views",
    "accounts_engaged",
    "total_interactions",
    "likes",
    "comments",
    "saves",
    "shares",
    "follower_count",
];

/// What to report on.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRequest {
    pub account: AccountId,
    pub period: Period,
    pub time_zone: Tz,
    /// When the report is made: printed on the cover, and used to flag figures that are
    /// still inside Meta's 48-hour lag.
    pub now: DateTime<Utc>,
    /// Meta's reach for exactly the period (and the previous period), when the caller asked
    /// Meta for it just now. Without it the store's window total for exactly that range is
    /// used, if the sync recorded one. Reach is never added up from days.
    pub reach: PeriodReach,
}

impl ReportRequest {
    pub fn new(account: AccountId, period: Period, time_zone: Tz, now: DateTime<Utc>) -> Self {
        Self {
            account,
            period,
            time_zone,
            now,
            reach: PeriodReach::default(),
        }
    }

    pub fn with_reach(mut self, current: Option<f64>, previous: Option<f64>) -> Self {
        self.reach = PeriodReach { current, previous };
        self
    }
}

/// Account reach totals as Meta answered them for the two periods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct PeriodReach {
    pub current: Option<f64>,
    pub previous: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountInfo {
    pub ig_user_id: String,
    pub username: String,
    pub name: Option<String>,
}

/// One headline number with its change against the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Kpi {
    pub measure: Measure,
    pub label: String,
    /// [`Unit::Count`] or [`Unit::Rate`].
    pub unit: Unit,
    pub delta: Delta,
    /// Why a value is missing or partial ("3 of 7 days recorded").
    pub note: Option<String>,
}

/// One day of the account's daily metrics (Meta's names), plus that day's follower snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DailyRow {
    pub day: chrono::NaiveDate,
    pub reach: Option<f64>,
    pub views: Option<f64>,
    pub accounts_engaged: Option<f64>,
    pub total_interactions: Option<f64>,
    pub likes: Option<f64>,
    pub comments: Option<f64>,
    pub saves: Option<f64>,
    pub shares: Option<f64>,
    /// Meta's `follower_count`: accounts that started following that day.
    pub new_followers: Option<f64>,
    /// The day's `followers_count` snapshot.
    pub followers: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TopList {
    pub ranking: Ranking,
    pub label: String,
    pub posts: Vec<RankedPost>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct GrowthSection {
    pub post: Post,
    pub metric: String,
    /// "reels", "carousels", ...
    pub peers_label: String,
    pub points: Vec<GrowthPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DemographicBucket {
    pub key: String,
    pub label: String,
    pub value: f64,
    /// Of the buckets Meta listed.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DemographicGroup {
    /// Meta's dimension: `age`, `gender`, `country`, `city`, `age,gender`.
    pub dimension: String,
    pub title: String,
    pub snapshot_day: chrono::NaiveDate,
    /// Every bucket Meta listed, largest first (the PDF and text show the first
    /// [`DEMOGRAPHIC_ROWS`]).
    pub buckets: Vec<DemographicBucket>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Demographics {
    pub groups: Vec<DemographicGroup>,
    /// Why there is nothing to show, when there is nothing.
    pub missing_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AnnotationRow {
    pub starts_local: DateTime<FixedOffset>,
    pub ends_local: Option<DateTime<FixedOffset>>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AppendixItem {
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReportCharts {
    pub followers: ChartSpec,
    pub daily_reach: ChartSpec,
    pub daily_views: ChartSpec,
    pub content_mix: ChartSpec,
    pub best_time: ChartSpec,
    pub story_navigation: ChartSpec,
    pub growth: Option<ChartSpec>,
}

impl ReportCharts {
    pub fn all(&self) -> Vec<&ChartSpec> {
        let mut all = vec![
            &self.followers,
            &self.daily_reach,
            &self.daily_views,
            &self.content_mix,
            &self.best_time,
            &self.story_navigation,
        ];
        all.extend(self.growth.as_ref());
        all
    }
}

/// Everything one report shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Report {
    pub schema_version: u32,
    pub account: AccountInfo,
    pub period: Period,
    pub period_title: String,
    pub previous_period: Period,
    pub previous_title: String,
    /// IANA name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    #[serde(skip)]
    pub tz: Tz,
    pub generated_at: DateTime<Utc>,
    pub kpis: Vec<Kpi>,
    pub followers: FollowerGrowth,
    pub daily: Vec<DailyRow>,
    /// Every post, reel and story of the period, oldest first.
    pub posts: Vec<Post>,
    pub content_mix: Vec<ContentMixRow>,
    pub top_posts: Vec<TopList>,
    pub best_time: BestTime,
    pub stories: StorySummary,
    pub growth: Option<GrowthSection>,
    pub demographics: Demographics,
    pub annotations: Vec<AnnotationRow>,
    /// Caveats about this report's data (lag, an unfinished period, missed stories).
    pub notes: Vec<String>,
    pub charts: ReportCharts,
    pub appendix: Vec<AppendixItem>,
    pub definitions: Vec<Definition>,
}

impl Report {
    /// The period's feed posts and reels (no stories).
    pub fn feed_posts(&self) -> impl Iterator<Item = &Post> {
        self.posts.iter().filter(|p| p.content_type.is_post())
    }
}

/// Builds the report model for `request` from the store.
pub fn build_report(store: &Store, request: &ReportRequest) -> Result<Report, ReportError> {
    let tz = request.time_zone;
    let period = request.period;
    let previous = period.previous();
    let account = store
        .account(request.account)?
        .ok_or(ReportError::UnknownAccount(request.account))?;

    // Snapshots from a month before the previous period: baselines and posting-day lookups.
    let history_first = previous
        .first
        .checked_sub_days(Days::new(31))
        .unwrap_or(previous.first);
    let snapshots =
        store.followers_series(request.account, DayRange::new(history_first, period.last))?;
    let history = FollowerHistory::new(&snapshots);

    let posts = load_posts(store, request.account, period.time_range(tz), tz, &history)?;
    let previous_posts = load_posts(
        store,
        request.account,
        previous.time_range(tz),
        tz,
        &history,
    )?;

    let series = daily_series(store, request.account, &period)?;
    let previous_new = store.account_daily_series(
        request.account,
        "follower_count",
        None,
        previous.day_range(),
    )?;
    let totals = AccountTotals {
        new_followers: sums(store, request.account, "follower_count", &period, &series)?,
        views: sums(store, request.account, "views", &period, &series)?,
        interactions: sums(
            store,
            request.account,
            "total_interactions",
            &period,
            &series,
        )?,
        reach: reach(store, request, &period)?,
    };

    let followers =
        analytics::follower_growth(&period, &snapshots, series_of(&series, "follower_count"));
    let previous_followers = analytics::follower_growth(&previous, &snapshots, &previous_new);

    let daily = daily_rows(&period, &series, &followers);
    let kpis = kpis(KpiInput {
        period: &period,
        posts: &posts,
        previous_posts: &previous_posts,
        followers: &followers,
        previous_followers: &previous_followers,
        totals: &totals,
    });

    let content_mix = analytics::content_mix(&posts);
    let top_posts = Ranking::ALL
        .into_iter()
        .map(|ranking| TopList {
            ranking,
            label: ranking.label().to_owned(),
            posts: analytics::top_posts(&posts, ranking, TOP_POSTS),
        })
        .collect();

    let best_time = best_time(store, request.account, &period, tz)?;
    let stories = stories(store, request.account, &period, tz)?;
    let growth = growth(store, &posts, request.now)?;
    let demographics = demographics(store, request.account)?;
    let annotations = store
        .annotations(request.account, period.time_range(tz))?
        .into_iter()
        .map(|a| AnnotationRow {
            starts_local: a.starts_at.with_timezone(&tz).fixed_offset(),
            ends_local: a.ends_at.map(|e| e.with_timezone(&tz).fixed_offset()),
            text: a.text,
        })
        .collect();

    let charts = ReportCharts {
        followers: charts::followers(&followers),
        daily_reach: charts::daily_reach(&daily),
        daily_views: charts::daily_views(&daily),
        content_mix: charts::content_mix(&content_mix),
        best_time: charts::best_time(&best_time),
        story_navigation: charts::story_navigation(&stories),
        growth: growth.as_ref().map(charts::growth),
    };

    let notes = notes(request, &stories);
    Ok(Report {
        schema_version: REPORT_SCHEMA_VERSION,
        account: AccountInfo {
            ig_user_id: account.profile.ig_user_id,
            username: account.profile.username,
            name: account.profile.name,
        },
        period_title: period.title(),
        period,
        previous_title: previous.title(),
        previous_period: previous,
        time_zone: tz.name().to_owned(),
        tz,
        generated_at: request.now,
        kpis,
        followers,
        daily,
        posts,
        content_mix,
        top_posts,
        best_time,
        stories,
        growth,
        demographics,
        annotations,
        notes,
        charts,
        appendix: appendix(tz),
        definitions: crate::definitions(),
    })
}

/// Every post, reel and story that went up in `posted`, oldest first, with rates.
pub fn load_posts(
    store: &Store,
    account: AccountId,
    posted: TimeRange,
    tz: Tz,
    followers: &FollowerHistory,
) -> Result<Vec<Post>, StoreError> {
    let page = store.media_page(&MediaQuery {
        filter: MediaFilter::account(account).posted(posted),
        sort: MediaSort::PostedAt,
        descending: false,
        limit: u32::MAX,
        offset: 0,
    })?;
    Ok(page
        .rows
        .iter()
        .map(|row| analytics::post_from_media(row, tz, followers))
        .collect())
}

type DailySeries = Vec<(&'static str, Vec<DailyValue>)>;

fn daily_series(
    store: &Store,
    account: AccountId,
    period: &Period,
) -> Result<DailySeries, StoreError> {
    DAILY_METRICS
        .into_iter()
        .map(|metric| {
            store
                .account_daily_series(account, metric, None, period.day_range())
                .map(|values| (metric, values))
        })
        .collect()
}

fn series_of<'a>(series: &'a DailySeries, metric: &str) -> &'a [DailyValue] {
    series
        .iter()
        .find(|(name, _)| *name == metric)
        .map_or(&[], |(_, values)| values.as_slice())
}

fn daily_rows(period: &Period, series: &DailySeries, followers: &FollowerGrowth) -> Vec<DailyRow> {
    let by_day: HashMap<(&str, chrono::NaiveDate), f64> = series
        .iter()
        .flat_map(|(metric, values)| values.iter().map(move |v| ((*metric, v.day), v.value)))
        .collect();
    period
        .each_day()
        .zip(&followers.days)
        .map(|(day, follower_day)| {
            let get = |metric: &str| by_day.get(&(metric, day)).copied();
            DailyRow {
                day,
                reach: get("reach"),
                views: get("views"),
                accounts_engaged: get("accounts_engaged"),
                total_interactions: get("total_interactions"),
                likes: get("likes"),
                comments: get("comments"),
                saves: get("saves"),
                shares: get("shares"),
                new_followers: get("follower_count"),
                followers: follower_day.followers,
            }
        })
        .collect()
}

struct KpiInput<'a> {
    period: &'a Period,
    posts: &'a [Post],
    previous_posts: &'a [Post],
    followers: &'a FollowerGrowth,
    previous_followers: &'a FollowerGrowth,
    totals: &'a AccountTotals,
}

/// An account metric over the period and the previous period.
type Pair<T> = (T, T);

/// The account-level totals the key numbers show, for both periods.
struct AccountTotals {
    new_followers: Pair<PeriodSum>,
    views: Pair<PeriodSum>,
    interactions: Pair<PeriodSum>,
    reach: Pair<Option<f64>>,
}

/// A summable metric over both periods, from daily values and window totals.
fn sums(
    store: &Store,
    account: AccountId,
    metric: &str,
    period: &Period,
    series: &DailySeries,
) -> Result<Pair<PeriodSum>, StoreError> {
    let previous = period.previous();
    let both = DayRange::new(previous.first, period.last);
    let windows = store.account_window_values(account, metric, None, both)?;
    let previous_daily = store.account_daily_series(account, metric, None, previous.day_range())?;
    Ok((
        analytics::period_sum(period, series_of(series, metric), &windows),
        analytics::period_sum(&previous, &previous_daily, &windows),
    ))
}

/// Reach for exactly each period: what the caller got from Meta, else a window total the
/// store holds for exactly that range.
fn reach(
    store: &Store,
    request: &ReportRequest,
    period: &Period,
) -> Result<Pair<Option<f64>>, StoreError> {
    let previous = period.previous();
    let windows = store.account_window_values(
        request.account,
        "reach",
        None,
        DayRange::new(previous.first, period.last),
    )?;
    Ok((
        request
            .reach
            .current
            .or_else(|| analytics::period_unique(period, &windows)),
        request
            .reach
            .previous
            .or_else(|| analytics::period_unique(&previous, &windows)),
    ))
}

fn kpi(measure: Measure, unit: Unit, delta: Delta, note: Option<String>) -> Kpi {
    Kpi {
        measure,
        label: measure.label().to_owned(),
        unit,
        delta,
        note,
    }
}

/// A summable metric's change, with a note when days are missing. Totals over different
/// numbers of recorded days are not compared as they stand: when both periods have at least
/// half their days recorded, the previous total is scaled to the current period's recorded
/// days (and the note says so); with less, there is no comparison at all.
fn sum_delta(sums: &Pair<PeriodSum>) -> (Delta, Option<String>) {
    let (current, previous) = sums;
    let half = |sum: &PeriodSum| sum.days_covered * 2 >= sum.days && sum.days_covered > 0;
    let mut notes = Vec::new();
    if current.value.is_none() {
        notes.push("No figures recorded".to_owned());
    } else if current.days_covered < current.days {
        notes.push(format!(
            "{} of {} days recorded",
            current.days_covered, current.days
        ));
    }
    let comparable = match (current.value, previous.value) {
        (Some(_), Some(before)) if half(current) && half(previous) => {
            if previous.days_covered == current.days_covered {
                Some(before)
            } else {
                notes.push(format!(
                    "previous period scaled from {} to {} recorded days",
                    previous.days_covered, current.days_covered
                ));
                Some(before / f64::from(previous.days_covered) * f64::from(current.days_covered))
            }
        }
        (Some(_), _) if !half(current) => {
            notes.push("too few to compare with the previous period".to_owned());
            None
        }
        (Some(_), _) => {
            notes.push("too few days recorded in the previous period to compare".to_owned());
            None
        }
        _ => None,
    };
    let note = (!notes.is_empty()).then(|| {
        let mut text = notes.join("; ");
        if let Some(first) = text.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        text
    });
    (analytics::delta(current.value, comparable), note)
}

fn median_rate(posts: &[Post]) -> Option<f64> {
    let mut rates: Vec<f64> = posts
        .iter()
        .filter(|p| p.content_type.is_post())
        .filter_map(|p| p.engagement_rate_by_reach)
        .collect();
    analytics::median(&mut rates)
}

fn kpis(input: KpiInput<'_>) -> Vec<Kpi> {
    let days = input.period.days();
    let end = |growth: &FollowerGrowth| growth.end.map(|(_, count)| count as f64);
    let net = |growth: &FollowerGrowth| growth.net_change.map(|change| change as f64);
    let (new_followers, new_note) = sum_delta(&input.totals.new_followers);
    let (views, views_note) = sum_delta(&input.totals.views);
    let (interactions, interactions_note) = sum_delta(&input.totals.interactions);
    let (reach, previous_reach) = input.totals.reach;
    let reach_note = reach.is_none().then(|| {
        if days > 30 {
            "Instagram gives reach totals for 30 days at most".to_owned()
        } else {
            "Instagram gave no total for this range".to_owned()
        }
    });
    let count_posts =
        |posts: &[Post]| posts.iter().filter(|p| p.content_type.is_post()).count() as f64;

    vec![
        kpi(
            Measure::Followers,
            Unit::Count,
            analytics::delta(end(input.followers), end(input.previous_followers)),
            input
                .followers
                .end
                .is_none()
                .then(|| "No follower snapshot in this period".to_owned()),
        ),
        kpi(
            Measure::FollowerChange,
            Unit::Count,
            analytics::delta(net(input.followers), net(input.previous_followers)),
            input
                .followers
                .net_change
                .is_none()
                .then(|| "Needs snapshots on two different days".to_owned()),
        ),
        kpi(Measure::NewFollowers, Unit::Count, new_followers, new_note),
        kpi(
            Measure::AccountReach,
            Unit::Count,
            analytics::delta(reach, previous_reach),
            reach_note,
        ),
        kpi(Measure::Views, Unit::Count, views, views_note),
        kpi(
            Measure::Interactions,
            Unit::Count,
            interactions,
            interactions_note,
        ),
        kpi(
            Measure::PostsPublished,
            Unit::Count,
            analytics::delta(
                Some(count_posts(input.posts)),
                Some(count_posts(input.previous_posts)),
            ),
            None,
        ),
        kpi(
            Measure::MedianEngagementRate,
            Unit::Rate,
            analytics::delta(median_rate(input.posts), median_rate(input.previous_posts)),
            median_rate(input.posts)
                .is_none()
                .then(|| "No posts with reach figures".to_owned()),
        ),
    ]
}

fn best_time(
    store: &Store,
    account: AccountId,
    period: &Period,
    tz: Tz,
) -> Result<BestTime, StoreError> {
    let lookback = period
        .last
        .checked_sub_days(Days::new(BEST_TIME_DAYS - 1))
        .unwrap_or(period.first);
    let window = Period {
        first: lookback.min(period.first),
        ..*period
    };
    let times = store.posting_times(
        &MediaFilter::account(account).posted(window.time_range(tz)),
        &["reach", "total_interactions"],
    )?;
    Ok(analytics::best_time(
        &times,
        tz,
        window.first,
        window.last,
        MIN_POSTS_PER_SLOT,
    ))
}

fn stories(
    store: &Store,
    account: AccountId,
    period: &Period,
    tz: Tz,
) -> Result<StorySummary, StoreError> {
    let stories = store.stories(account, period.time_range(tz))?;
    let ids: HashMap<&str, MediaId> = stories
        .iter()
        .map(|s| (s.media.item.ig_media_id.as_str(), s.media.id))
        .collect();
    let navigation = if ids.is_empty() {
        HashMap::new()
    } else {
        story_navigation(store, &ids)?
    };
    Ok(analytics::story_summary(&stories, &navigation, tz))
}

/// One capture of a story's navigation breakdown: when, and its (action, count) cells.
type NavigationCapture = (DateTime<Utc>, Vec<(String, f64)>);

/// The latest `navigation` breakdown of each story in `ids`. The store has no query for
/// media breakdowns, so this walks its export of them (one pass, streamed).
fn story_navigation(
    store: &Store,
    ids: &HashMap<&str, MediaId>,
) -> Result<HashMap<MediaId, Navigation>, StoreError> {
    let Some(table) = ExportTable::named("media_metric_breakdown") else {
        return Ok(HashMap::new());
    };
    // Per story: the newest capture time and its cells.
    let mut latest: HashMap<MediaId, NavigationCapture> = HashMap::new();
    store.export_rows(table, |row| {
        let [
            ExportValue::Text(ig_media_id),
            ExportValue::Text(metric),
            ExportValue::Time(captured_at),
            _,
            ExportValue::Text(cell),
            ExportValue::Real(value),
        ] = row
        else {
            return Ok::<(), StoreError>(());
        };
        let Some(media) = ids.get(ig_media_id.as_str()) else {
            return Ok(());
        };
        if metric != "navigation" {
            return Ok(());
        }
        let entry = latest
            .entry(*media)
            .or_insert_with(|| (*captured_at, Vec::new()));
        if *captured_at > entry.0 {
            *entry = (*captured_at, Vec::new());
        }
        if *captured_at == entry.0 {
            entry.1.push((cell.clone(), *value));
        }
        Ok(())
    })?;
    Ok(latest
        .into_iter()
        .map(|(media, (_, cells))| {
            let navigation = Navigation::from_cells(cells.iter().map(|(k, v)| (k.as_str(), *v)));
            (media, navigation)
        })
        .collect())
}

fn plural_kind(kind: ContentType) -> &'static str {
    match kind {
        ContentType::Image => "images",
        ContentType::Carousel => "carousels",
        ContentType::Video => "videos",
        ContentType::Reel => "reels",
        ContentType::Story => "stories",
        ContentType::Other => "posts of that kind",
    }
}

/// The period's most-reached feed post or reel against its kind's median at the same ages
/// (only the ages it has reached by `now`).
fn growth(
    store: &Store,
    posts: &[Post],
    now: DateTime<Utc>,
) -> Result<Option<GrowthSection>, StoreError> {
    let Some(top) = analytics::top_posts(posts, Ranking::Reach, 1)
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    growth_of_post(store, top.post, now)
}

/// A post's reach at each growth age against the median of posts of its kind (same product
/// and media type, from the [`GROWTH_PEER_DAYS`] before it) at the same ages.
pub fn growth_of_post(
    store: &Store,
    post: Post,
    now: DateTime<Utc>,
) -> Result<Option<GrowthSection>, StoreError> {
    let age_now = (now - post.posted_at).num_seconds();
    let ages: Vec<TimeDelta> = GROWTH_AGES_HOURS
        .iter()
        .map(|h| TimeDelta::hours(*h))
        .filter(|age| age.num_seconds() <= age_now)
        .collect();
    if ages.is_empty() {
        return Ok(None);
    }
    let Some(media) = store.media(post.media_id)? else {
        return Ok(None);
    };
    let peers = PeerQuery {
        filter: MediaFilter::account(media.account_id)
            .posted(TimeRange::new(
                post.posted_at - TimeDelta::days(GROWTH_PEER_DAYS),
                post.posted_at,
            ))
            .product_type(post.product_type.clone())
            .media_type(post.media_type.clone()),
        excluding: Some(post.media_id),
    };
    let readings = store.growth_curve(post.media_id, "reach")?;
    let medians = store.median_at_ages(&peers, "reach", &ages)?;
    Ok(Some(GrowthSection {
        peers_label: plural_kind(post.content_type).to_owned(),
        metric: "reach".to_owned(),
        points: analytics::growth_against_median(&readings, &medians),
        post,
    }))
}

fn demographic_title(dimension: &str) -> String {
    match dimension {
        "age" => "Age".to_owned(),
        "gender" => "Gender".to_owned(),
        "country" => "Country".to_owned(),
        "city" => "City".to_owned(),
        "age,gender" => "Age and gender".to_owned(),
        other => other.replace(',', " and "),
    }
}

fn bucket_label(dimension: &str, key: &str) -> String {
    let gender = |g: &str| match g.to_ascii_uppercase().as_str() {
        "F" => "Women".to_owned(),
        "M" => "Men".to_owned(),
        "U" => "Unspecified".to_owned(),
        other => other.to_owned(),
    };
    match dimension {
        "gender" => gender(key),
        "age,gender" => match key.split_once(',') {
            Some((age, g)) => format!("{age}, {}", gender(g)),
            None => key.to_owned(),
        },
        _ => key.to_owned(),
    }
}

/// How many buckets of each demographic group the PDF and the text report list.
pub const DEMOGRAPHIC_ROWS: usize = 6;

fn demographics(store: &Store, account: AccountId) -> Result<Demographics, StoreError> {
    let order = ["age", "gender", "country", "city", "age,gender"];
    let mut groups: Vec<DemographicGroup> = store
        .latest_demographics(account)?
        .into_iter()
        .filter(|d| d.metric == "follower_demographics" && !d.buckets.is_empty())
        .map(|d| {
            let total: f64 = d.buckets.iter().map(|b| b.value).sum();
            DemographicGroup {
                title: demographic_title(&d.dimension),
                buckets: d
                    .buckets
                    .iter()
                    .map(|b| DemographicBucket {
                        key: b.value_key.clone(),
                        label: bucket_label(&d.dimension, &b.value_key),
                        value: b.value,
                        share: if total > 0.0 { b.value / total } else { 0.0 },
                    })
                    .collect(),
                snapshot_day: d.snapshot_day,
                dimension: d.dimension,
            }
        })
        .collect();
    groups.sort_by_key(|g| {
        order
            .iter()
            .position(|o| *o == g.dimension)
            .unwrap_or(order.len())
    });
    let missing_reason = groups.is_empty().then(|| {
        "Instagram has not provided follower demographics for this account yet. It gives them \
         only to accounts with at least 100 followers, and Insightdesk asks for them once a \
         week."
            .to_owned()
    });
    Ok(Demographics {
        groups,
        missing_reason,
    })
}

fn notes(request: &ReportRequest, stories: &StorySummary) -> Vec<String> {
    let mut notes = Vec::new();
    let end = request.period.time_range(request.time_zone).end;
    if end > request.now {
        notes.push(format!(
            "This period has not ended yet: figures run up to {}.",
            request
                .now
                .with_timezone(&request.time_zone)
                .format("%-d %B %Y, %H:%M")
        ));
    }
    if request.now - end < TimeDelta::hours(META_LAG_HOURS) {
        notes.push(
            "Instagram's figures can arrive up to 48 hours late, so the last days of this \
             period may still change."
                .to_owned(),
        );
    }
    if stories.missed > 0 {
        notes.push(format!(
            "{} {} expired before Insightdesk could read {} figures (Instagram keeps story \
             figures for 24 hours only).",
            stories.missed,
            if stories.missed == 1 {
                "story"
            } else {
                "stories"
            },
            if stories.missed == 1 { "its" } else { "their" }
        ));
    }
    notes
}

fn appendix(tz: Tz) -> Vec<AppendixItem> {
    let item = |title: &str, text: String| AppendixItem {
        title: title.to_owned(),
        text,
    };
    vec![
        item(
            "Figures arrive late",
            "Instagram can take up to 48 hours to settle a day's figures, and revises recent \
             days. Insightdesk re-reads the last few days on every sync, so a report made \
             right after a period ends can differ slightly from one made later."
                .to_owned(),
        ),
        item(
            "Reach is estimated and unique",
            "Reach counts different accounts, and Instagram estimates it. The same person \
             seen on two days counts once in a two-day total but once on each day, so days \
             and posts are never added up into a period's reach: the period's reach is \
             Instagram's own total for that range, or not available."
                .to_owned(),
        ),
        item(
            "Organic activity only",
            "Post figures from Instagram's API count organic activity; what paid promotion \
             brought in is not included, while Instagram's app may show the two together."
                .to_owned(),
        ),
        item(
            "Metrics Instagram removed",
            "Instagram retired impressions, plays and video views in 2025 and now reports \
             views instead, and it stopped giving profile views and website clicks day by \
             day. Periods before the change are not comparable one to one, and Insightdesk \
             shows such metrics as no longer provided rather than as zero."
                .to_owned(),
        ),
        item(
            "Time zone",
            format!(
                "Posts and stories are placed by the time they went up in {}. Instagram's \
                 daily account figures use its own day boundaries, so a day can hold slightly \
                 different activity here than in the app.",
                tz.name()
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(value: f64, days_covered: u32, days: u32) -> PeriodSum {
        PeriodSum {
            value: Some(value),
            days_covered,
            days,
        }
    }

    #[test]
    fn a_previous_period_with_other_recorded_days_is_scaled_to_the_current_ones() {
        // 6 of 7 days now (the last one still inside Meta's lag), all 7 before: 700 over 7
        // days is 100 a day, so 600 over the same 6 days; 660 against 600 is +10%.
        let (delta, note) = sum_delta(&(sum(660.0, 6, 7), sum(700.0, 7, 7)));
        assert_eq!(delta.previous, Some(600.0));
        assert_eq!(delta.change, Some(60.0));
        assert_eq!(
            note.as_deref(),
            Some("6 of 7 days recorded; previous period scaled from 7 to 6 recorded days")
        );
    }

    #[test]
    fn a_previous_period_mostly_unrecorded_is_not_compared() {
        let (delta, note) = sum_delta(&(sum(2800.0, 28, 28), sum(120.0, 2, 28)));
        assert_eq!((delta.current, delta.previous), (Some(2800.0), None));
        assert_eq!(
            note.as_deref(),
            Some("Too few days recorded in the previous period to compare")
        );
    }

    #[test]
    fn equal_recorded_days_compare_as_they_stand() {
        let (delta, note) = sum_delta(&(sum(50.0, 7, 7), sum(40.0, 7, 7)));
        assert_eq!((delta.previous, delta.change), (Some(40.0), Some(10.0)));
        assert_eq!(note, None);
    }
}

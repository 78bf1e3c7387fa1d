//! The screens' data, read from the store only (so every screen opens at once and works
//! offline): overview, content, a post's page, stories, audience and best time. The numbers
//! come from the report crate's analytics, the same ones the PDF prints.

use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use insightdesk_report::analytics::{
    BestTime, FollowerHistory, Post, Ranking, StorySummary, post_from_media,
};
use insightdesk_report::chart::{Axis, ChartData, ChartKind, ChartSpec, Unit};
use insightdesk_report::{
    Definition, Demographics, GrowthSection, Kpi, Period, Report, ReportRequest, TopList,
    build_report, growth_of_post,
};
use insightdesk_store::{DayRange, MediaFilter, MediaQuery, MediaSort, Store, TimeRange};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::accounts::with_store;
use crate::error::AppError;
use crate::session::Session;
use crate::syncing::account_row;

/// The range picker's choices.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RangeChoice {
    Last7,
    Last28,
    Last90,
    LastYear,
    /// ISO days, both included.
    Custom {
        from: String,
        to: String,
    },
}

impl RangeChoice {
    /// The days the range covers, ending today in the creator's time zone.
    pub fn period(&self, today: NaiveDate) -> Result<Period, AppError> {
        let back = |days: u64| today.checked_sub_days(Days::new(days - 1)).unwrap_or(today);
        let period = match self {
            RangeChoice::Last7 => Period::custom(back(7), today),
            RangeChoice::Last28 => Period::custom(back(28), today),
            RangeChoice::Last90 => Period::custom(back(90), today),
            RangeChoice::LastYear => Period::custom(back(365), today),
            RangeChoice::Custom { from, to } => Period::custom(parse_day(from)?, parse_day(to)?),
        };
        Ok(period?)
    }
}

pub(crate) fn parse_day(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::InvalidInput(format!(
            "“{text}” is not a date; use YYYY-MM-DD, e.g. 2026-11-02."
        ))
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct RangeArgs {
    #[serde(default)]
    pub account: Option<String>,
    pub range: RangeChoice,
}

/// The overview screen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Overview {
    pub period_title: String,
    pub previous_title: String,
    pub time_zone: String,
    pub kpis: Vec<Kpi>,
    /// Followers, daily reach, daily views, content mix.
    pub charts: Vec<ChartSpec>,
    pub top_posts: Vec<TopList>,
    /// Caveats: Meta's lag, days not yet recorded.
    pub notes: Vec<String>,
    pub definitions: Vec<Definition>,
    pub posts_in_range: u32,
}

/// One row of the content table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContentRow {
    pub id: String,
    /// "image", "carousel", "video", "reel".
    pub kind: String,
    pub kind_label: String,
    pub posted_at: String,
    pub caption: Option<String>,
    pub permalink: Option<String>,
    /// A local address of the cached picture (`thumb://localhost/<id>`), when cached.
    pub thumbnail: Option<String>,
    pub reach: Option<f64>,
    pub views: Option<f64>,
    pub likes: Option<f64>,
    pub comments: Option<f64>,
    pub saves: Option<f64>,
    pub shares: Option<f64>,
    pub engagement_rate: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ContentArgs {
    #[serde(default)]
    pub account: Option<String>,
    pub range: RangeChoice,
    /// "all", "image", "carousel", "video", "reel".
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub search: Option<String>,
    /// A column: "posted_at", "reach", "views", "likes", "comments", "saves", "shares",
    /// "engagement_rate".
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub ascending: bool,
    #[serde(default)]
    pub offset: u32,
    #[serde(default)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContentPage {
    pub total: u32,
    pub rows: Vec<ContentRow>,
    pub period_title: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PostArgs {
    pub id: String,
}

/// A post's page.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PostDetail {
    pub row: ContentRow,
    /// Every metric Meta gave for it, latest reading: (name, value).
    pub metrics: Vec<(String, f64)>,
    pub followers_at_posting: Option<i64>,
    pub engagement_rate_by_followers: Option<f64>,
    /// Reach at each age against the median of its kind.
    pub growth: Option<ChartSpec>,
    pub growth_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StoriesView {
    pub period_title: String,
    pub summary: StorySummary,
    pub navigation: ChartSpec,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AudienceView {
    pub demographics: Demographics,
    /// When followers are online, weekday × hour, from Meta's last 30 days.
    pub online_followers: ChartSpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BestTimeView {
    pub best_time: BestTime,
    pub chart: ChartSpec,
    /// What the grid says, honestly: a recommendation only when the sample allows one.
    pub summary: String,
    pub time_zone: String,
}

/// The opened session, account row and time zone every screen needs.
struct ScreenContext {
    session: Arc<Session>,
    ig_user_id: String,
    tz: Tz,
    now: chrono::DateTime<Utc>,
}

impl App {
    async fn screen_context(&self, account: Option<String>) -> Result<ScreenContext, AppError> {
        let session = self.session().await?;
        let ig_user_id = match account {
            Some(account) => account,
            None => self.active_account().await?,
        };
        let tz = self.time_zone().await?;
        let now = session.meta.now();
        Ok(ScreenContext {
            session,
            ig_user_id,
            tz,
            now,
        })
    }

    /// The report model of a range: every screen's numbers come from it.
    async fn range_report(
        &self,
        ctx: &ScreenContext,
        range: &RangeChoice,
    ) -> Result<Report, AppError> {
        let today = ctx.now.with_timezone(&ctx.tz).date_naive();
        let period = range.period(today)?;
        let (id, tz, now) = (ctx.ig_user_id.clone(), ctx.tz, ctx.now);
        with_store(&ctx.session, move |store| {
            let account = account_row(store, &id)?;
            Ok(build_report(
                store,
                &ReportRequest::new(account, period, tz, now),
            )?)
        })
        .await
    }

    pub async fn overview(&self, args: RangeArgs) -> Result<Overview, AppError> {
        let ctx = self.screen_context(args.account).await?;
        let report = self.range_report(&ctx, &args.range).await?;
        let posts_in_range = u32::try_from(report.feed_posts().count()).unwrap_or(u32::MAX);
        Ok(Overview {
            period_title: report.period_title,
            previous_title: report.previous_title,
            time_zone: report.time_zone,
            kpis: report.kpis,
            charts: vec![
                report.charts.followers,
                report.charts.daily_reach,
                report.charts.daily_views,
                report.charts.content_mix,
            ],
            top_posts: report
                .top_posts
                .into_iter()
                .filter(|t| t.ranking == Ranking::EngagementRate || t.ranking == Ranking::Reach)
                .collect(),
            notes: report.notes,
            definitions: report.definitions,
            posts_in_range,
        })
    }

    pub async fn content(&self, args: ContentArgs) -> Result<ContentPage, AppError> {
        let ctx = self.screen_context(args.account.clone()).await?;
        let today = ctx.now.with_timezone(&ctx.tz).date_naive();
        let period = args.range.period(today)?;
        let (id, tz) = (ctx.ig_user_id.clone(), ctx.tz);
        let dir = ctx.session.dir().to_path_buf();
        let posts = with_store(&ctx.session, move |store| {
            let account = account_row(store, &id)?;
            load_feed_posts(store, account, period.time_range(tz), tz)
        })
        .await?;
        let kind = args.kind.as_deref().unwrap_or("all");
        let search = args
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase);
        let mut rows: Vec<ContentRow> = posts
            .iter()
            .filter(|p| kind == "all" || p.content_type.as_str() == kind)
            .filter(|p| match &search {
                Some(needle) => p
                    .caption
                    .as_deref()
                    .is_some_and(|c| c.to_lowercase().contains(needle)),
                None => true,
            })
            .map(content_row)
            .collect();
        sort_rows(
            &mut rows,
            args.sort.as_deref().unwrap_or("posted_at"),
            args.ascending,
        )?;
        let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let limit = args.limit.unwrap_or(100).clamp(1, 500) as usize;
        // Only the rows shown look for their cached picture: a file check per post of a
        // long range would cost more than the sorting.
        let rows = rows
            .into_iter()
            .skip(args.offset as usize)
            .take(limit)
            .map(|row| with_thumbnail(row, &dir))
            .collect();
        Ok(ContentPage {
            total,
            rows,
            period_title: period.title(),
        })
    }

    pub async fn post_detail(&self, args: PostArgs) -> Result<PostDetail, AppError> {
        let ctx = self.screen_context(None).await?;
        let (tz, now) = (ctx.tz, ctx.now);
        let dir = ctx.session.dir().to_path_buf();
        let id = args.id.clone();
        with_store(&ctx.session, move |store| {
            let media = store
                .media_by_ig_id(&id)?
                .ok_or_else(|| AppError::InvalidInput("This post is not in your history.".into()))?;
            let row = store
                .media_page(&MediaQuery {
                    filter: MediaFilter::account(media.account_id).posted(TimeRange::new(
                        media.item.posted_at,
                        media.item.posted_at + chrono::Duration::seconds(1),
                    )),
                    sort: MediaSort::PostedAt,
                    descending: false,
                    limit: 50,
                    offset: 0,
                })?
                .rows
                .into_iter()
                .find(|r| r.media.id == media.id)
                .ok_or_else(|| AppError::InvalidInput("This post is not in your history.".into()))?;
            let followers = follower_history(store, media.account_id, media.item.posted_at.date_naive())?;
            let post = post_from_media(&row, tz, &followers);
            let metrics = row.latest.iter().map(|(k, v)| (k.clone(), v.value)).collect();
            let growth = growth_of_post(store, post.clone(), now)?;
            let growth_note = match &growth {
                Some(section) => Some(growth_note(section)),
                None => Some("This post is too new for a growth curve: the first reading is taken an hour after posting.".into()),
            };
            Ok(PostDetail {
                row: with_thumbnail(content_row(&post), &dir),
                metrics,
                followers_at_posting: post.followers_at_posting,
                engagement_rate_by_followers: post.engagement_rate_by_followers,
                growth: growth.as_ref().map(insightdesk_report::charts::growth),
                growth_note,
            })
        })
        .await
    }

    pub async fn stories(&self, args: RangeArgs) -> Result<StoriesView, AppError> {
        let ctx = self.screen_context(args.account).await?;
        let report = self.range_report(&ctx, &args.range).await?;
        Ok(StoriesView {
            period_title: report.period_title,
            summary: report.stories,
            navigation: report.charts.story_navigation,
            notes: report.notes,
        })
    }

    pub async fn audience(&self, account: Option<String>) -> Result<AudienceView, AppError> {
        let ctx = self.screen_context(account).await?;
        let report = self.range_report(&ctx, &RangeChoice::Last28).await?;
        let (id, today) = (ctx.ig_user_id.clone(), ctx.now.date_naive());
        let online = with_store(&ctx.session, move |store| {
            let account = account_row(store, &id)?;
            let first = today.checked_sub_days(Days::new(30)).unwrap_or(today);
            Ok(store.demographics_history(
                account,
                "online_followers",
                "hour",
                DayRange::new(first, today),
            )?)
        })
        .await?;
        Ok(AudienceView {
            demographics: report.demographics,
            online_followers: online_followers_chart(&online),
        })
    }

    pub async fn best_time(&self, args: RangeArgs) -> Result<BestTimeView, AppError> {
        let ctx = self.screen_context(args.account).await?;
        let report = self.range_report(&ctx, &args.range).await?;
        let summary = best_time_summary(&report.best_time);
        Ok(BestTimeView {
            best_time: report.best_time,
            chart: report.charts.best_time,
            summary,
            time_zone: report.time_zone,
        })
    }
}

/// Feed posts and reels (no stories) that went up in `posted`, with rates.
fn load_feed_posts(
    store: &Store,
    account: insightdesk_store::AccountId,
    posted: TimeRange,
    tz: Tz,
) -> Result<Vec<Post>, AppError> {
    let first = posted
        .start
        .date_naive()
        .checked_sub_days(Days::new(40))
        .unwrap_or(posted.start.date_naive());
    let followers = FollowerHistory::new(
        &store.followers_series(account, DayRange::new(first, posted.end.date_naive()))?,
    );
    let posts = insightdesk_report::load_posts(store, account, posted, tz, &followers)?;
    Ok(posts
        .into_iter()
        .filter(|p| p.content_type.is_post())
        .collect())
}

fn follower_history(
    store: &Store,
    account: insightdesk_store::AccountId,
    around: NaiveDate,
) -> Result<FollowerHistory, AppError> {
    let first = around.checked_sub_days(Days::new(40)).unwrap_or(around);
    let last = around.checked_add_days(Days::new(1)).unwrap_or(around);
    Ok(FollowerHistory::new(
        &store.followers_series(account, DayRange::new(first, last))?,
    ))
}

/// A content row without its picture (see [`with_thumbnail`]).
fn content_row(post: &Post) -> ContentRow {
    let m = &post.metrics;
    ContentRow {
        id: post.ig_media_id.clone(),
        kind: post.content_type.as_str().to_owned(),
        kind_label: post.content_type.label().to_owned(),
        posted_at: post.posted_at.to_rfc3339(),
        caption: post.caption.clone(),
        permalink: post.permalink.clone(),
        thumbnail: None,
        reach: m.reach,
        views: m.views,
        likes: m.likes,
        comments: m.comments,
        saves: m.saved,
        shares: m.shares,
        engagement_rate: post.engagement_rate_by_reach,
    }
}

/// The row with the address of its cached picture, when one is in the profile folder.
fn with_thumbnail(mut row: ContentRow, profile_dir: &std::path::Path) -> ContentRow {
    row.thumbnail = crate::thumbnails::cached(profile_dir, &row.id)
        .map(|_| format!("thumb://localhost/{}", row.id));
    row
}

fn sort_rows(rows: &mut [ContentRow], column: &str, ascending: bool) -> Result<(), AppError> {
    let key: fn(&ContentRow) -> Option<f64> = match column {
        "posted_at" => {
            rows.sort_by(|a, b| a.posted_at.cmp(&b.posted_at));
            if !ascending {
                rows.reverse();
            }
            return Ok(());
        }
        "reach" => |r| r.reach,
        "views" => |r| r.views,
        "likes" => |r| r.likes,
        "comments" => |r| r.comments,
        "saves" => |r| r.saves,
        "shares" => |r| r.shares,
        "engagement_rate" => |r| r.engagement_rate,
        other => {
            return Err(AppError::InvalidInput(format!(
                "The table cannot be sorted by “{other}”."
            )));
        }
    };
    // Posts without the figure go last either way: no data is not zero.
    rows.sort_by(|a, b| {
        match (key(a), key(b)) {
            (Some(x), Some(y)) => {
                let order = x.total_cmp(&y);
                if ascending { order } else { order.reverse() }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| b.posted_at.cmp(&a.posted_at))
    });
    Ok(())
}

fn growth_note(section: &GrowthSection) -> String {
    match section
        .points
        .iter()
        .rev()
        .find(|p| p.post.is_some() && p.median.is_some())
    {
        Some(point) => {
            let (value, median) = (point.post.unwrap_or(0.0), point.median.unwrap_or(0.0));
            let ratio = if median > 0.0 { value / median } else { 0.0 };
            format!(
                "At {} it had reached {} accounts; the median of your {} at that age is {} ({:.1}×).",
                insightdesk_report::analytics::age_label(point.age_seconds),
                value.round(),
                section.peers_label,
                median.round(),
                ratio
            )
        }
        None => format!(
            "Not enough earlier {} to compare with yet.",
            section.peers_label
        ),
    }
}

/// The best-time grid in one honest sentence.
fn best_time_summary(best: &BestTime) -> String {
    match (&best.best_slot, best.slots_compared) {
        (Some(slot), compared) if compared >= 2 => format!(
            "Your posts published {} got the highest median engagement rate ({} posts), among {} time slots with at least {} posts each. Based on {} posts.",
            slot.label(),
            slot.stats.posts,
            compared,
            best.min_posts,
            best.posts_considered
        ),
        _ => format!(
            "Not enough posts yet to name a best time: a time slot needs at least {} posts to be compared, and {} posts were considered. Keep posting; the grid fills as your history grows.",
            best.min_posts, best.posts_considered
        ),
    }
}

/// Meta's `online_followers` days as a weekday × hour grid of average followers online.
fn online_followers_chart(days: &[insightdesk_store::Demographics]) -> ChartSpec {
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut sums = vec![vec![0.0_f64; 24]; 7];
    let mut counts = vec![vec![0_u32; 24]; 7];
    for day in days {
        let weekday = day.snapshot_day.weekday().num_days_from_monday() as usize;
        for bucket in &day.buckets {
            if let Ok(hour) = bucket.value_key.parse::<usize>()
                && hour < 24
            {
                sums[weekday][hour] += bucket.value;
                counts[weekday][hour] += 1;
            }
        }
    }
    let values = sums
        .iter()
        .zip(&counts)
        .map(|(row, n)| {
            row.iter()
                .zip(n)
                .map(|(s, c)| (*c > 0).then(|| s / f64::from(*c)))
                .collect()
        })
        .collect();
    ChartSpec {
        id: "online_followers".into(),
        kind: ChartKind::Heatmap,
        title: "When your followers are online".into(),
        subtitle: Some("Average followers online in each hour, over the days Instagram reported (last 30 days).".into()),
        x_axis: Axis { label: "Hour".into(), unit: Unit::Category, from_zero: false },
        y_axis: Axis { label: "Weekday".into(), unit: Unit::Category, from_zero: false },
        data: ChartData::Grid {
            rows: WEEKDAYS.iter().map(|d| (*d).to_owned()).collect(),
            columns: (0..24).map(|h| format!("{h:02}")).collect(),
            values,
            counts,
            unit: Unit::Count,
            min_count: 1,
        },
        empty_message: Some("Instagram reports when followers are online only for accounts with at least 100 followers, for the last 30 days.".into()),
    }
}

pub async fn overview(app: &Arc<App>, args: RangeArgs) -> Result<Overview, AppError> {
    let account = args.account.clone();
    let range = args.range.clone();
    let overview = app.overview(args).await?;
    // Reach for exactly this range comes only from Meta: ask in the background when the store
    // lacks it, and the window reloads when it arrives.
    let reach_missing = overview.kpis.iter().any(|k| {
        k.measure == insightdesk_report::Measure::AccountReach
            && (k.delta.current.is_none() || k.delta.previous.is_none())
    });
    if reach_missing {
        let ctx = app.screen_context(account).await?;
        let today = ctx.now.with_timezone(&ctx.tz).date_naive();
        let period = range.period(today)?;
        app.fill_period_reach_later(ctx.ig_user_id, period, ctx.tz);
    }
    Ok(overview)
}

pub async fn content(app: &App, args: ContentArgs) -> Result<ContentPage, AppError> {
    app.content(args).await
}

pub async fn post_detail(app: &App, args: PostArgs) -> Result<PostDetail, AppError> {
    app.post_detail(args).await
}

pub async fn stories(app: &App, args: RangeArgs) -> Result<StoriesView, AppError> {
    app.stories(args).await
}

pub async fn audience(app: &App, args: crate::syncing::SyncArgs) -> Result<AudienceView, AppError> {
    app.audience(args.account).await
}

pub async fn best_time(app: &App, args: RangeArgs) -> Result<BestTimeView, AppError> {
    app.best_time(args).await
}

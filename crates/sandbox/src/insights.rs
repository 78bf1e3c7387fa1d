//! `/{ig-user-id}/insights` and `/{ig-media-id}/insights` with Meta's rules: versions and removal
//! dates, metric types, periods, breakdowns, ranges, the reporting lag and whole-call failures.

use crate::catalog::{self, MediaShape, MetricType};
use crate::core::Ctx;
use crate::errors::GraphError;
use crate::graph::{page_url, parse_unix};
use crate::time::{meta_time, pacific_date, pacific_midnight};
use crate::tokens::LoginKind;
use crate::world::{
    Account, CONTACT_BUTTONS, DayStats, Media, MediaMetric, MediaType, NAVIGATION_ACTIONS,
    PRODUCT_BUCKETS, PROFILE_ACTIONS, Product,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

type InsightsResult = Result<Value, GraphError>;

const PERIODS: [&str; 6] = [
    "day",
    "week",
    "days_28",
    "month",
    "lifetime",
    "total_over_range",
];
const CONTACT_LEGACY: [(&str, usize); 4] = [
    ("email_contacts", 3),
    ("phone_call_clicks", 1),
    ("text_message_clicks", 5),
    ("get_directions_clicks", 2),
];
const USER_BREAKDOWNS: [&str; 9] = [
    "media_product_type",
    "follow_type",
    "follower_type",
    "contact_button_type",
    "age",
    "city",
    "country",
    "gender",
    "timeframe",
];

fn must_be_one_of(index: usize, list: &str) -> GraphError {
    GraphError::param(format!(
        "metric[{index}] must be one of the following values: {list}"
    ))
}

/// How a requested user metric will be answered.
#[derive(Debug, Clone, Copy)]
enum UserAnswer {
    Current(&'static catalog::UserMetric),
    /// A metric only the old time-series form still answers (before its removal date).
    LegacyTimeSeries(&'static str),
    Threads,
}

fn classify_user_metric(ctx: &Ctx<'_>, index: usize, name: &str) -> Result<UserAnswer, GraphError> {
    let (version, now) = (ctx.version, ctx.now);
    let list = || catalog::user_metric_list(version, now);
    if name == "impressions" {
        if !catalog::removed_v22(version, now) {
            return Ok(UserAnswer::LegacyTimeSeries("impressions"));
        }
        if catalog::v22_all_versions(now) {
            return Err(must_be_one_of(index, &list()));
        }
        return Err(GraphError::param(
            "Starting from version 22 and above, the impressions metric is no longer supported for the queried user. Please refer to the documentation at https://developers.facebook.com/docs/instagram-api/reference/ig-user/insights for a list of supported metrics.",
        ));
    }
    if CONTACT_LEGACY.iter().any(|(n, _)| *n == name) {
        return if catalog::removed_v21(version, now) {
            Err(must_be_one_of(index, &list()))
        } else {
            Ok(UserAnswer::LegacyTimeSeries(contact_name(name)))
        };
    }
    if name == "reposts" && !catalog::has_reposts(now) {
        return Err(must_be_one_of(index, &list()));
    }
    if catalog::THREADS_METRICS.contains(&name) {
        return Ok(UserAnswer::Threads);
    }
    catalog::user_metric(name)
        .map(UserAnswer::Current)
        .ok_or_else(|| must_be_one_of(index, &list()))
}

fn contact_name(name: &str) -> &'static str {
    CONTACT_LEGACY
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, _)| *n)
        .unwrap_or("email_contacts")
}

struct Range {
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    explicit: bool,
}

/// `GET /{ig-user-id}/insights`.
pub(crate) fn user_insights(ctx: &mut Ctx<'_>, index: usize) -> InsightsResult {
    if !ctx.has_scope(ctx.insights_scope()) {
        return Err(GraphError::no_permission());
    }
    let world = ctx.world;
    let account = world
        .accounts
        .get(index)
        .ok_or_else(GraphError::unknown_error)?;
    let Some(metric_text) = ctx.req.param("metric").filter(|m| !m.trim().is_empty()) else {
        return Err(GraphError::param(
            "The value must be a valid insights metric",
        ));
    };
    let names: Vec<&str> = metric_text
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    let mut answers = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        answers.push((*name, classify_user_metric(ctx, i, name)?));
    }
    let metric_type = match ctx.req.param("metric_type") {
        None | Some("") | Some("time_series") => MetricType::TimeSeries,
        Some("total_value") => MetricType::TotalValue,
        Some(_) => {
            return Err(GraphError::param(
                "metric_type must be one of the following values: time_series, total_value",
            ));
        }
    };
    let Some(period) = ctx
        .req
        .param("period")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        return Err(GraphError::param("The parameter period is required"));
    };
    if !PERIODS.contains(&period) {
        return Err(GraphError::param("The period param is invalid"));
    }
    for (_, answer) in &answers {
        let ok = match answer {
            UserAnswer::Current(m) => {
                m.periods.contains(&period)
                    || (period == "total_over_range"
                        && metric_type == MetricType::TotalValue
                        && m.periods.contains(&"day"))
            }
            UserAnswer::LegacyTimeSeries(_) => {
                period == "day" || period == "week" || period == "days_28"
            }
            UserAnswer::Threads => true,
        };
        if !ok {
            return Err(GraphError::param("The period param is invalid"));
        }
    }
    // Whole-call failure when metric types are mixed.
    let legacy_ts_allowed = !catalog::removed_v21(ctx.version, ctx.now);
    let wrong: Vec<&str> = answers
        .iter()
        .filter(|(name, answer)| match (answer, metric_type) {
            (UserAnswer::Current(m), MetricType::TimeSeries) => {
                !(m.time_series
                    || legacy_ts_allowed && ["profile_views", "website_clicks"].contains(name))
            }
            (UserAnswer::Current(m), MetricType::TotalValue) => !m.total_value,
            (UserAnswer::LegacyTimeSeries(_), MetricType::TotalValue) => true,
            _ => false,
        })
        .map(|(name, _)| *name)
        .collect();
    if !wrong.is_empty() {
        let wanted = if metric_type == MetricType::TimeSeries {
            "total_value"
        } else {
            "time_series"
        };
        return Err(GraphError::param(format!(
            "The following metrics ({}) should be specified with parameter metric_type={wanted}",
            wrong.join(", ")
        )));
    }
    let breakdown: Vec<&str> = ctx
        .req
        .param("breakdown")
        .map(|b| {
            b.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    for (i, dimension) in breakdown.iter().enumerate() {
        if !USER_BREAKDOWNS.contains(dimension) {
            return Err(GraphError::param(format!(
                "breakdown[{i}] must be one of the following values: {}",
                USER_BREAKDOWNS.join(", ")
            )));
        }
    }
    if !breakdown.is_empty() {
        let supported = metric_type == MetricType::TotalValue
            && answers.iter().all(|(_, answer)| match answer {
                UserAnswer::Current(m) => {
                    breakdown.iter().all(|d| m.breakdowns.contains(d))
                        && (breakdown.len() == 1
                            || m.name == "reach"
                            || m.breakdowns.contains(&"age"))
                }
                _ => false,
            });
        if !supported {
            // Meta fails the whole call, with no hint which metric was the problem.
            return Err(GraphError::unknown_error());
        }
    }
    let demographic = |name: &str| name.ends_with("_demographics");
    if answers.iter().any(|(name, _)| demographic(name)) && breakdown.is_empty() {
        return Err(GraphError::param(
            "The parameter breakdown is required for demographic metrics",
        ));
    }
    let timeframe = ctx.req.param("timeframe").map(str::trim);
    if answers.iter().any(|(name, _)| {
        *name == "engaged_audience_demographics" || *name == "reached_audience_demographics"
    }) {
        let mut valid = vec!["this_week", "this_month"];
        if !catalog::old_timeframes_gone(ctx.version, ctx.now) {
            valid.extend(["last_14_days", "last_30_days", "last_90_days", "prev_month"]);
        }
        if !timeframe.is_some_and(|t| valid.contains(&t)) {
            return Err(GraphError::param(format!(
                "timeframe must be one of the following values: {}",
                valid.join(", ")
            )));
        }
    }

    let range = insight_range(ctx)?;
    let today_start = pacific_midnight(pacific_date(ctx.now));
    if answers.iter().any(|(name, _)| *name == "follower_count")
        && range.explicit
        && range.since < today_start - Duration::days(30)
    {
        return Err(GraphError::param(
            "(follower_count) metric only supports querying data for the last 30 days excluding the current day",
        ));
    }

    let small = account.followers_at(ctx.now) < 100;
    let mut data = Vec::new();
    for (name, answer) in &answers {
        let entry = match answer {
            UserAnswer::Threads => None,
            _ if small
                && [
                    "follower_count",
                    "online_followers",
                    "follows_and_unfollows",
                    "follower_demographics",
                ]
                .contains(name) =>
            {
                None
            }
            UserAnswer::LegacyTimeSeries(legacy) => {
                time_series(ctx, account, legacy, period, &range, None)
            }
            UserAnswer::Current(metric) if demographic(name) => {
                demographics(ctx, account, metric, &breakdown, timeframe)
            }
            UserAnswer::Current(metric) if metric_type == MetricType::TimeSeries => {
                time_series(ctx, account, metric.name, period, &range, Some(metric))
            }
            UserAnswer::Current(metric) => {
                total_value(ctx, account, metric, period, &range, &breakdown)
            }
        };
        if let Some(entry) = entry {
            data.push(entry);
        }
    }
    let mut out = Map::new();
    let has_data = !data.is_empty();
    out.insert("data".into(), Value::Array(data));
    if has_data && !answers.iter().all(|(name, _)| demographic(name)) {
        out.insert("paging".into(), time_paging(ctx, account, &range));
    }
    Ok(Value::Object(out))
}

fn insight_range(ctx: &Ctx<'_>) -> Result<Range, GraphError> {
    let since = ctx
        .req
        .param("since")
        .filter(|s| !s.is_empty())
        .map(parse_unix)
        .transpose()?;
    let until = ctx
        .req
        .param("until")
        .filter(|s| !s.is_empty())
        .map(parse_unix)
        .transpose()?;
    let explicit = since.is_some() || until.is_some();
    let until_value = until.unwrap_or(ctx.now);
    let since_value = since.unwrap_or(until_value - Duration::days(2));
    if since_value > until_value {
        return Err(GraphError::param(
            "The since parameter must be before the until parameter",
        ));
    }
    if (until_value - since_value).num_seconds() > 2_592_000 {
        return Err(GraphError::param(
            "There cannot be more than 30 days (2592000 s) between since and until",
        ));
    }
    Ok(Range {
        since: since_value,
        until: until_value,
        explicit,
    })
}

/// Pacific days whose end falls in (since, until], that exist and have passed the reporting lag.
fn available_days<'a>(ctx: &Ctx<'_>, account: &'a Account, range: &Range) -> Vec<&'a DayStats> {
    let conversion_day = pacific_date(account.conversion);
    let mut date = pacific_date(range.since) - Duration::days(1);
    let mut out = Vec::new();
    while pacific_midnight(date) <= range.until {
        let end = pacific_midnight(date + Duration::days(1));
        if end > range.since
            && end <= range.until
            && date >= conversion_day
            && ctx.now >= account.day_available_at(ctx.core.seed, date)
            && let Some(i) = account.day_index(date)
        {
            out.push(&account.days[i]);
        }
        date += Duration::days(1);
    }
    out
}

/// Unique accounts over several days: less than the sum of the days, at least the largest day.
fn unique_over(values: &[u64]) -> u64 {
    let sum: u64 = values.iter().sum();
    let max = values.iter().copied().max().unwrap_or(0);
    let n = values.len().max(1) as f64;
    ((sum as f64 / (1.0 + 0.12 * (n - 1.0))).round() as u64).max(max)
}

fn day_value(account: &Account, day: &DayStats, name: &str) -> Value {
    match name {
        "reach" => json!(day.reach()),
        "impressions" | "views" => json!(day.views()),
        "follower_count" => json!(day.net()),
        "profile_views" => json!(day.profile_views),
        "website_clicks" => json!(day.website_clicks),
        "online_followers" => {
            let map: Map<String, Value> = day
                .online
                .iter()
                .enumerate()
                .map(|(h, v)| (h.to_string(), json!(v)))
                .collect();
            Value::Object(map)
        }
        legacy => {
            let slot = CONTACT_LEGACY
                .iter()
                .find(|(n, _)| *n == legacy)
                .map(|(_, s)| *s)
                .unwrap_or(0);
            let _ = account;
            json!(day.contact_taps.get(slot).copied().unwrap_or(0))
        }
    }
}

fn legacy_title(name: &str) -> (&'static str, &'static str) {
    match name {
        "impressions" => (
            "Impressions",
            "Total number of times this profile has been seen",
        ),
        "email_contacts" => (
            "Email Contacts",
            "Total number of taps on the email link in this profile",
        ),
        "phone_call_clicks" => (
            "Phone Call Clicks",
            "Total number of taps on the call link in this profile",
        ),
        "text_message_clicks" => (
            "Text Message Clicks",
            "Total number of taps on the text message link in this profile",
        ),
        "get_directions_clicks" => (
            "Get Directions Clicks",
            "Total number of taps on the directions link in this profile",
        ),
        "profile_views" => (
            "Profile Views",
            "Total number of unique accounts that have viewed this profile within the specified period",
        ),
        _ => (
            "Website Clicks",
            "Total number of taps on the website link in this profile",
        ),
    }
}

fn time_series(
    ctx: &Ctx<'_>,
    account: &Account,
    name: &str,
    period: &str,
    range: &Range,
    metric: Option<&catalog::UserMetric>,
) -> Option<Value> {
    let (title, description) = match metric {
        Some(m) if !matches!(m.name, "profile_views" | "website_clicks") => {
            (m.title, m.description)
        }
        _ => legacy_title(name),
    };
    let days = available_days(ctx, account, range);
    let today = pacific_date(ctx.now);
    let values: Vec<Value> = days
        .iter()
        .filter(|day| match name {
            "follower_count" => day.date < today && day.date >= today - Duration::days(30),
            "online_followers" => day.date >= today - Duration::days(30),
            _ => true,
        })
        .map(|day| {
            let value = match (name, period) {
                ("reach", "week" | "days_28") => {
                    let span = if period == "week" { 7 } else { 28 };
                    let trailing: Vec<u64> = (0..span)
                        .filter_map(|back| account.day_index(day.date - Duration::days(back)).map(|i| account.days[i].reach()))
                        .collect();
                    json!(unique_over(&trailing))
                }
                _ => day_value(account, day, name),
            };
            json!({ "value": value, "end_time": meta_time(pacific_midnight(day.date + Duration::days(1))) })
        })
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(json!({
        "name": name,
        "period": period,
        "values": values,
        "title": title,
        "description": description,
        "id": format!("{}/insights/{name}/{period}", account.ig_user_id),
    }))
}

fn bucket_value(name: &str, bucket: &crate::world::BucketDay) -> u64 {
    match name {
        "reach" => bucket.reach,
        "views" => bucket.views,
        "likes" => bucket.likes,
        "comments" => bucket.comments,
        "saves" => bucket.saves,
        "shares" => bucket.shares,
        "reposts" => bucket.reposts,
        "replies" => bucket.replies,
        _ => bucket.interactions(),
    }
}

fn results(entries: Vec<(Vec<String>, u64)>) -> Value {
    let results: Vec<Value> = entries
        .into_iter()
        .filter(|(_, v)| *v > 0)
        .map(|(keys, value)| json!({ "dimension_values": keys, "value": value }))
        .collect();
    Value::Array(results)
}

fn split_follow(value: u64, share: f64) -> [(String, u64); 2] {
    let followers = (value as f64 * share).round() as u64;
    [
        ("FOLLOWER".to_string(), followers.min(value)),
        ("NON_FOLLOWER".to_string(), value - followers.min(value)),
    ]
}

fn total_value(
    ctx: &Ctx<'_>,
    account: &Account,
    metric: &catalog::UserMetric,
    period: &str,
    range: &Range,
    breakdown: &[&str],
) -> Option<Value> {
    let days = available_days(ctx, account, range);
    if days.is_empty() {
        return None;
    }
    let name = metric.name;
    let share = days.iter().map(|d| d.follower_share).sum::<f64>() / days.len() as f64;
    let per_bucket: Vec<u64> = (0..PRODUCT_BUCKETS.len())
        .map(|b| days.iter().map(|d| bucket_value(name, &d.buckets[b])).sum())
        .collect();
    let total: u64 = match name {
        "reach" => unique_over(&days.iter().map(|d| d.reach()).collect::<Vec<_>>()),
        "accounts_engaged" => {
            unique_over(&days.iter().map(|d| d.accounts_engaged).collect::<Vec<_>>())
        }
        "profile_views" => days.iter().map(|d| d.profile_views).sum(),
        "website_clicks" => days.iter().map(|d| d.website_clicks).sum(),
        "profile_links_taps" => days
            .iter()
            .map(|d| d.contact_taps.iter().sum::<u64>())
            .sum(),
        "follows_and_unfollows" => days
            .iter()
            .map(|d| (d.follows + d.unfollows).max(0) as u64)
            .sum(),
        _ => per_bucket.iter().sum(),
    };
    let mut total_value = Map::new();
    total_value.insert("value".into(), json!(total));
    if !breakdown.is_empty() {
        let bucket_sum: u64 = per_bucket.iter().sum::<u64>().max(1);
        // Reach is unique: the buckets are scaled to add up to the total.
        let scaled: Vec<u64> = per_bucket
            .iter()
            .map(|v| {
                if name == "reach" {
                    (*v as f64 * total as f64 / bucket_sum as f64).round() as u64
                } else {
                    *v
                }
            })
            .collect();
        let entries: Vec<(Vec<String>, u64)> = match breakdown {
            ["media_product_type"] => PRODUCT_BUCKETS
                .iter()
                .zip(&scaled)
                .map(|(b, v)| (vec![b.to_string()], *v))
                .collect(),
            ["media_product_type", "follow_type"] | ["follow_type", "media_product_type"] => {
                let product_first = breakdown[0] == "media_product_type";
                PRODUCT_BUCKETS
                    .iter()
                    .zip(&scaled)
                    .flat_map(|(b, v)| {
                        split_follow(*v, share).into_iter().map(move |(f, n)| {
                            (
                                if product_first {
                                    vec![b.to_string(), f]
                                } else {
                                    vec![f, b.to_string()]
                                },
                                n,
                            )
                        })
                    })
                    .collect()
            }
            ["follow_type" | "follower_type"] if name == "follows_and_unfollows" => {
                let follows: i64 = days.iter().map(|d| d.follows).sum();
                let unfollows: i64 = days.iter().map(|d| d.unfollows).sum();
                vec![
                    (vec!["FOLLOWER".into()], follows.max(0) as u64),
                    (vec!["NON_FOLLOWER".into()], unfollows.max(0) as u64),
                    (vec!["UNKNOWN".into()], 0),
                ]
            }
            ["follow_type" | "follower_type"] => split_follow(total, share)
                .into_iter()
                .map(|(f, n)| (vec![f], n))
                .collect(),
            ["contact_button_type"] => CONTACT_BUTTONS
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    (
                        vec![b.to_string()],
                        days.iter().map(|d| d.contact_taps[i]).sum(),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        total_value.insert(
            "breakdowns".into(),
            json!([{ "dimension_keys": breakdown, "results": results(entries) }]),
        );
    }
    Some(json!({
        "name": name,
        "period": period,
        "title": metric.title,
        "description": metric.description,
        "total_value": Value::Object(total_value),
        "id": format!("{}/insights/{name}/{period}", account.ig_user_id),
    }))
}

fn demographics(
    ctx: &Ctx<'_>,
    account: &Account,
    metric: &catalog::UserMetric,
    breakdown: &[&str],
    timeframe: Option<&str>,
) -> Option<Value> {
    let now = ctx.now;
    let population = match metric.name {
        "follower_demographics" => account.followers_at(now).max(0) as f64,
        name => {
            let days = if timeframe == Some("this_week") {
                7
            } else {
                30
            };
            let range = Range {
                since: now - Duration::days(days),
                until: now,
                explicit: true,
            };
            let values: Vec<&DayStats> = available_days(ctx, account, &range);
            let engaged = if name == "engaged_audience_demographics" {
                unique_over(
                    &values
                        .iter()
                        .map(|d| d.accounts_engaged)
                        .collect::<Vec<_>>(),
                )
            } else {
                unique_over(&values.iter().map(|d| d.reach()).collect::<Vec<_>>())
            };
            if engaged < 100 {
                return None;
            }
            engaged as f64
        }
    };
    let audience = &account.audience;
    let table = |dimension: &str| -> &Vec<(String, f64)> {
        match dimension {
            "age" => &audience.ages,
            "gender" => &audience.genders,
            "country" => &audience.countries,
            _ => &audience.cities,
        }
    };
    let mut combos: Vec<(Vec<String>, f64)> = vec![(Vec::new(), 1.0)];
    for dimension in breakdown {
        let labels = table(dimension);
        let sum: f64 = labels.iter().map(|(_, w)| w).sum::<f64>().max(1e-9);
        combos = combos
            .into_iter()
            .flat_map(|(keys, weight)| {
                labels.iter().map(move |(label, w)| {
                    (
                        [keys.clone(), vec![label.clone()]].concat(),
                        weight * w / sum,
                    )
                })
            })
            .collect();
    }
    let mut entries: Vec<(Vec<String>, u64)> = combos
        .into_iter()
        .map(|(keys, w)| (keys, (population * w).round() as u64))
        .filter(|(_, v)| *v > 0)
        .collect();
    entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    entries.truncate(45);
    let mut keys: Vec<String> = breakdown.iter().map(|d| d.to_string()).collect();
    if metric.name != "follower_demographics" {
        let frame = timeframe.unwrap_or("this_month").to_ascii_uppercase();
        keys.insert(0, "timeframe".into());
        for entry in entries.iter_mut() {
            entry.0.insert(0, frame.clone());
        }
    }
    Some(json!({
        "name": metric.name,
        "period": "lifetime",
        "title": metric.title,
        "description": metric.description,
        "total_value": { "breakdowns": [{ "dimension_keys": keys, "results": results(entries) }] },
        "id": format!("{}/insights/{}/lifetime", account.ig_user_id, metric.name),
    }))
}

/// Insights pages by time: `previous`/`next` move the since/until window by its own length.
fn time_paging(ctx: &Ctx<'_>, account: &Account, range: &Range) -> Value {
    let span = range.until - range.since;
    let base = format!("{}/{}/insights", ctx.graph_root(), account.ig_user_id);
    let window = |since: DateTime<Utc>, until: DateTime<Utc>| {
        page_url(
            ctx,
            &base,
            &[
                ("since", since.timestamp().to_string()),
                ("until", until.timestamp().to_string()),
            ],
        )
    };
    json!({
        "previous": window(range.since - span, range.since),
        "next": window(range.until, range.until + span),
    })
}

// ---- media insights ----------------------------------------------------------------------------

fn shape_of(media: &Media) -> MediaShape {
    match (media.product, media.media_type) {
        (Product::Story, _) => MediaShape::Story,
        (Product::Reels, _) => MediaShape::Reel,
        (_, MediaType::CarouselAlbum) => MediaShape::FeedCarousel,
        (_, MediaType::Video) => MediaShape::FeedVideo,
        _ => MediaShape::FeedImage,
    }
}

fn does_not_support(name: &str) -> GraphError {
    GraphError::param(format!(
        "The Media Insights API does not support the {name} metric for this media product type."
    ))
}

/// `GET /{ig-media-id}/insights`.
pub(crate) fn media_insights(
    ctx: &mut Ctx<'_>,
    media: &Media,
    metric: Option<&str>,
    breakdown: Option<&str>,
) -> InsightsResult {
    if !ctx.has_scope(ctx.insights_scope()) {
        return Err(GraphError::no_permission());
    }
    media_insights_value(ctx, media, metric, breakdown)
}

/// The `{"data":[...]}` of media insights, also used by `insights.metric(...)` field expansion.
pub(crate) fn media_insights_value(
    ctx: &Ctx<'_>,
    media: &Media,
    metric: Option<&str>,
    breakdown: Option<&str>,
) -> InsightsResult {
    if media.before_conversion {
        return Err(GraphError::before_business_conversion());
    }
    let Some(metric_text) = metric.filter(|m| !m.trim().is_empty()) else {
        return Err(GraphError::param(
            "The value must be a valid insights metric",
        ));
    };
    let (version, now) = (ctx.version, ctx.now);
    let fb = ctx.login == LoginKind::Facebook;
    let shape = shape_of(media);
    let names: Vec<&str> = metric_text
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    for (i, name) in names.iter().enumerate() {
        let name = *name;
        let video = matches!(shape, MediaShape::FeedVideo | MediaShape::Reel);
        match name {
            "engagement"
            | "carousel_album_impressions"
            | "carousel_album_reach"
            | "carousel_album_engagement"
            | "carousel_album_saved"
            | "carousel_album_video_views"
            | "taps_forward"
            | "taps_back"
            | "exits"
                if catalog::removed_v18(now) =>
            {
                return Err(must_be_one_of(i, &catalog::media_metric_list(now, fb)));
            }
            "video_views" => {
                if catalog::removed_v21(version, now) {
                    return Err(GraphError::param(
                        "Starting from version 21+, the following metric is no longer supported: video_views. Instead, please refer to the documentation at https://developers.facebook.com/docs/instagram-api/reference/ig-media/insights for a list of supported metrics.",
                    ));
                }
                if !video {
                    return Err(does_not_support(name));
                }
            }
            "impressions" => {
                if shape == MediaShape::Reel {
                    return Err(does_not_support(name));
                }
                if catalog::removed_v22(version, now)
                    && !catalog::impressions_grandfathered(version, media.timestamp)
                {
                    return Err(if video {
                        does_not_support(name)
                    } else {
                        GraphError::param(
                            "Starting from version v22.0 and above, the impressions metric is no longer supported for the queried media. Please refer to the documentation at https://developers.facebook.com/docs/instagram-api/reference/ig-media/insights for a list of supported metrics.",
                        )
                    });
                }
            }
            "plays" | "clips_replays_count" | "ig_reels_aggregated_all_plays_count" => {
                if shape != MediaShape::Reel || catalog::removed_v22(version, now) {
                    return Err(does_not_support(name));
                }
            }
            // Live in 2025: v21 and older rejected `views` on some feed media (Airbyte PR #62902).
            "views"
                if version.major <= 21
                    && matches!(shape, MediaShape::FeedImage | MediaShape::FeedCarousel) =>
            {
                return Err(does_not_support(name));
            }
            "facebook_views" | "crossposted_views" => {
                if !media.crossposted || !catalog::media_metric_supported(name, shape, fb, now) {
                    return Err(does_not_support(name));
                }
            }
            _ => {
                if catalog::media_metric_info(name).is_none()
                    || [
                        "total_likes",
                        "total_comments",
                        "total_views",
                        "link_clicks",
                        "reposts",
                        "reels_skip_rate",
                    ]
                    .contains(&name)
                        && !catalog::media_metric_list(now, fb)
                            .split(", ")
                            .any(|n| n == name)
                {
                    return Err(must_be_one_of(i, &catalog::media_metric_list(now, fb)));
                }
                if !catalog::media_metric_supported(name, shape, fb, now) {
                    return Err(does_not_support(name));
                }
            }
        }
    }
    if media.product == Product::Story && media.few_viewers {
        return Err(GraphError::not_enough_viewers());
    }
    let breakdown = breakdown.map(str::trim).filter(|b| !b.is_empty());
    if let Some(dimension) = breakdown {
        let pairs = [
            ("action_type", "profile_activity"),
            ("story_navigation_action_type", "navigation"),
        ];
        let Some((_, metric_for)) = pairs.iter().find(|(d, _)| *d == dimension) else {
            return Err(GraphError::param(
                "breakdown[0] must be one of the following values: action_type, story_navigation_action_type",
            ));
        };
        if names.iter().any(|n| n != metric_for) {
            return Err(GraphError::unknown_error());
        }
    }
    let data: Vec<Value> = names
        .iter()
        .map(|name| {
            let info = catalog::media_metric_info(name);
            let value = media_metric_value(media, name, now);
            let mut entry = Map::new();
            entry.insert("name".into(), json!(name));
            entry.insert("period".into(), json!("lifetime"));
            entry.insert("values".into(), json!([{ "value": value }]));
            entry.insert("title".into(), json!(info.map(|i| i.title).unwrap_or(name)));
            entry.insert("description".into(), json!(info.map(|i| i.description).unwrap_or("")));
            if let Some(dimension) = breakdown {
                let labels: &[&str] = if dimension == "action_type" { &PROFILE_ACTIONS } else { &NAVIGATION_ACTIONS };
                let results: Vec<Value> = labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let metric = if dimension == "action_type" { MediaMetric::ProfileAction(i) } else { MediaMetric::Navigation(i) };
                        (label.to_ascii_lowercase(), media.value(metric, now))
                    })
                    .filter(|(_, v)| *v > 0)
                    .map(|(label, v)| json!({ "dimension_values": [label], "value": v }))
                    .collect();
                entry.insert("total_value".into(), json!({ "value": value, "breakdowns": [{ "dimension_keys": [dimension], "results": results }] }));
            }
            entry.insert("id".into(), json!(format!("{}/insights/{name}/lifetime", media.id)));
            Value::Object(entry)
        })
        .collect();
    Ok(json!({ "data": data }))
}

fn media_metric_value(media: &Media, name: &str, now: DateTime<Utc>) -> u64 {
    let views = media.value(MediaMetric::Views, now);
    match name {
        "reach" => media.value(MediaMetric::Reach, now),
        "views" | "impressions" | "video_views" | "plays" | "total_views" => views,
        "likes" | "total_likes" => media.value(MediaMetric::Likes, now),
        "comments" | "total_comments" => media.value(MediaMetric::Comments, now),
        "saved" => media.value(MediaMetric::Saved, now),
        "shares" => media.value(MediaMetric::Shares, now),
        "reposts" => media.value(MediaMetric::Reposts, now),
        "follows" => media.value(MediaMetric::Follows, now),
        "profile_visits" => media.value(MediaMetric::ProfileVisits, now),
        "replies" => media.value(MediaMetric::Replies, now),
        "total_interactions" => media.total_interactions(now),
        "profile_activity" => media.profile_activity(now),
        "navigation" => media.navigation_total(now),
        "link_clicks" => media.value(MediaMetric::ProfileAction(0), now),
        "ig_reels_avg_watch_time" => {
            if views == 0 {
                0
            } else {
                media.finals.avg_watch_ms.round() as u64
            }
        }
        "ig_reels_video_view_total_time" => {
            (media.finals.avg_watch_ms * views as f64).round() as u64
        }
        "reels_skip_rate" => media.finals.skip_rate.round() as u64,
        "facebook_views" => media.value(MediaMetric::FacebookViews, now),
        "crossposted_views" => views + media.value(MediaMetric::FacebookViews, now),
        "clips_replays_count" => views.saturating_sub(media.value(MediaMetric::Reach, now)),
        "ig_reels_aggregated_all_plays_count" => {
            views + views.saturating_sub(media.value(MediaMetric::Reach, now))
        }
        _ => 0,
    }
}

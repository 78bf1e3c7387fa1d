//! The synthetic creator's traits, read over HTTP like an insights client would: its strong
//! weekdays, its best posting hours, its viral posts, and a world that follows from (seed, now).

use crate::support::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc, Weekday};
use serde_json::Value;

/// After the demo creator's business conversion whatever its start jitter (media from before
/// it refuse insights), so nearly two years of posts.
const SINCE: &str = "2024-12-05T00:00:00Z";

/// One post as an insights client sees it.
struct Post {
    posted: NaiveDateTime,
    /// FEED or REELS: reels reach about two and a half times as far.
    product: String,
    reach: f64,
    interactions: f64,
}

impl Post {
    fn engagement_rate(&self) -> f64 {
        self.interactions / self.reach.max(1.0)
    }
}

/// Every page of an edge (`data` only: paging URLs name the sandbox's port).
async fn every_item(h: &Harness, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let cursor = after
            .as_ref()
            .map(|a| format!("&after={a}"))
            .unwrap_or_default();
        let page = h.get(&format!("{path}{cursor}")).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        items.extend(page.body["data"].as_array().unwrap().iter().cloned());
        if page.body["paging"]["next"].is_null() {
            return items;
        }
        after = page.body["paging"]["cursors"]["after"]
            .as_str()
            .map(str::to_string);
    }
}

/// The `n`th Sunday of a month at 02:00 Pacific standard time, in UTC terms for `offset_hours`.
fn dst_switch(year: i32, month: u32, nth: u32, offset_hours: i64) -> DateTime<Utc> {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
    let to_sunday = (7 - first.weekday().num_days_from_sunday()) % 7;
    let day = first + Duration::days(i64::from(to_sunday + 7 * (nth - 1)));
    (day.and_hms_opt(2, 0, 0).unwrap() - Duration::hours(offset_hours)).and_utc()
}

/// Wall-clock time in Los Angeles, where Meta's days and the creator's habits are kept.
fn pacific(at: DateTime<Utc>) -> NaiveDateTime {
    let summer = at >= dst_switch(at.year(), 3, 2, -8) && at < dst_switch(at.year(), 11, 1, -7);
    let offset = if summer { -7 } else { -8 };
    (at + Duration::hours(offset)).naive_utc()
}

async fn demo_posts(h: &Harness) -> Vec<Post> {
    let path = format!(
        "v24.0/{}/media?fields=timestamp,media_product_type,insights.metric(reach,total_interactions)&limit=100&since={}",
        h.ig_id(),
        unix(SINCE)
    );
    every_item(h, &path)
        .await
        .iter()
        .map(|media| {
            let value = |name: &str| {
                media["insights"]["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["name"] == name)
                    .and_then(|m| m["values"][0]["value"].as_f64())
                    .unwrap_or_else(|| panic!("{name} missing in {media}"))
            };
            let timestamp = media["timestamp"].as_str().unwrap().replace("+0000", "Z");
            Post {
                posted: pacific(at(&timestamp)),
                product: media["media_product_type"].as_str().unwrap().to_string(),
                reach: value("reach"),
                interactions: value("total_interactions"),
            }
        })
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

#[tokio::test]
async fn weekdays_differ_in_reach_and_engagement() {
    let h = start().await;
    let posts = demo_posts(&h).await;
    assert!(posts.len() > 400, "{} posts", posts.len());
    let by_weekday = |figure: &dyn Fn(&Post) -> f64| -> Vec<(Weekday, f64)> {
        (0..7)
            .map(|day| {
                let weekday = Weekday::try_from(day).unwrap();
                let values: Vec<f64> = posts
                    .iter()
                    .filter(|p| p.posted.weekday() == weekday)
                    .map(figure)
                    .collect();
                (weekday, mean(&values))
            })
            .collect()
    };
    let spread = |means: &[(Weekday, f64)]| {
        let best = means.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        let worst = means.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        (best.0, worst.0, best.1 / worst.1)
    };

    let reach = by_weekday(&|p| p.reach);
    let (best, worst, ratio) = spread(&reach);
    assert!(
        ratio > 1.4,
        "reach by weekday is too flat ({best} over {worst}): {reach:?}"
    );
    // The creator's strong days are Thursday and Sunday.
    assert!([Weekday::Thu, Weekday::Sun].contains(&best), "{reach:?}");

    let rate = by_weekday(&|p| p.engagement_rate());
    let (best, worst, ratio) = spread(&rate);
    assert!(
        ratio > 1.08,
        "engagement by weekday is too flat ({best} over {worst}): {rate:?}"
    );
    assert!([Weekday::Thu, Weekday::Sun].contains(&best), "{rate:?}");
}

#[tokio::test]
async fn an_evening_hour_beats_the_median_engagement_rate_clearly() {
    let h = start().await;
    let posts = demo_posts(&h).await;
    let overall = median(&posts.iter().map(Post::engagement_rate).collect::<Vec<_>>());
    let mut slots: Vec<(u32, usize, f64)> = (0..24)
        .map(|hour| {
            let rates: Vec<f64> = posts
                .iter()
                .filter(|p| p.posted.hour() == hour)
                .map(Post::engagement_rate)
                .collect();
            (hour, rates.len(), median(&rates))
        })
        // A slot needs enough posts for its median to mean something.
        .filter(|(_, count, _)| *count >= 12)
        .collect();
    slots.sort_by(|a, b| a.2.total_cmp(&b.2));
    let (hour, _, best) = slots[slots.len() - 1];
    assert!(
        best > 1.25 * overall,
        "best slot {hour}:00 at {best:.4} against a median of {overall:.4}: {slots:?}"
    );
    assert!((17..=21).contains(&hour), "{hour}:00 is not an evening");
    let (early, _, worst) = slots[0];
    assert!(
        worst < 0.85 * overall && early < 10,
        "the weakest slot {early}:00 at {worst:.4} should be an early one well under {overall:.4}"
    );
}

#[tokio::test]
async fn viral_posts_stand_far_above_their_neighbours() {
    let h = start().await;
    let posts = demo_posts(&h).await;
    // Reach grows with the audience over two years and reels reach further than feed posts,
    // so a post is compared with the posts of its kind in the month around it.
    let outliers: Vec<(NaiveDateTime, f64)> = posts
        .iter()
        .filter_map(|post| {
            let around: Vec<f64> = posts
                .iter()
                .filter(|p| p.product == post.product)
                .filter(|p| (p.posted - post.posted).num_days().abs() <= 15)
                .map(|p| p.reach)
                .collect();
            let times = post.reach / median(&around);
            (times > 5.0).then_some((post.posted, times))
        })
        .collect();
    assert!(
        !outliers.is_empty(),
        "no viral post in {} posts",
        posts.len()
    );
    assert!(
        outliers.len() * 20 < posts.len(),
        "viral posts are rare, not {} of {}: {outliers:?}",
        outliers.len(),
        posts.len()
    );
}

/// What a client can read of the world: media, stories, tags and a month of account insights.
async fn observable_world(h: &Harness) -> Vec<Value> {
    let ig = h.ig_id();
    let mut seen = Vec::new();
    for path in [
        format!(
            "v24.0/{ig}/media?fields=id,timestamp,caption,media_type,media_product_type,like_count,comments_count&limit=100"
        ),
        format!("v24.0/{ig}/stories?fields=id,timestamp,media_type&limit=100"),
        format!("v24.0/{ig}/tags?fields=id,username,timestamp,caption&limit=100"),
    ] {
        seen.push(Value::Array(every_item(h, &path).await));
    }
    let insights = h
        .get(&format!(
            "v24.0/{ig}/insights?metric=reach,follower_count&period=day&since={}&until={}",
            unix("2026-10-28T00:00:00Z"),
            unix("2026-11-25T00:00:00Z")
        ))
        .await;
    assert_eq!(insights.status, 200, "{}", insights.body);
    seen.push(insights.body["data"].clone());
    let profile = h
        .get(&format!("v24.0/{ig}?fields=id,followers_count,media_count"))
        .await;
    seen.push(profile.body);
    seen
}

#[tokio::test]
async fn the_same_seed_and_now_give_the_same_world_and_another_seed_another() {
    let first = observable_world(&start_seeded(42, NOW).await).await;
    let again = observable_world(&start_seeded(42, NOW).await).await;
    assert!(first == again, "the same seed and now gave two worlds");
    let other = observable_world(&start_seeded(7, NOW).await).await;
    for (part, (ours, theirs)) in first.iter().zip(&other).enumerate() {
        assert_ne!(ours, theirs, "part {part} is the same under another seed");
    }
}

#[tokio::test]
async fn captions_tell_posts_apart_by_their_first_line() {
    let h = start().await;
    let media = every_item(
        &h,
        &format!("v24.0/{}/media?fields=caption&limit=100", h.ig_id()),
    )
    .await;
    let captions: Vec<&str> = media.iter().filter_map(|m| m["caption"].as_str()).collect();
    assert!(captions.len() > 500, "{} captions", captions.len());
    // The content table shows a caption's first line, so that is what must differ.
    let mut first_lines: Vec<&str> = captions
        .iter()
        .map(|c| c.lines().next().unwrap_or_default())
        .collect();
    first_lines.sort_unstable();
    let total = first_lines.len();
    let most_repeated = first_lines
        .chunk_by(|a, b| a == b)
        .map(<[&str]>::len)
        .max()
        .unwrap_or(0);
    first_lines.dedup();
    assert!(
        first_lines.len() * 100 >= total * 97,
        "{} different first lines in {total} captions",
        first_lines.len()
    );
    assert!(
        most_repeated <= 2,
        "a first line stands on {most_repeated} posts"
    );
}

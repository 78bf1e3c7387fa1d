//! How fast the dashboard's queries answer on three years of a busy account.
//!
//! Generates a store like a creator's after three years of syncing — 10,000 posts and reels
//! with 7 growth readings of 12 metrics each, two stories a day read every four hours, daily
//! account metrics with their breakdowns, daily follower snapshots, weekly demographics,
//! archived responses, sync runs and notes — then times each dashboard query over 200 runs and
//! prints p50 / p95 / max. Aim: p95 under 20 ms.
//!
//! Run: `cargo bench -p insightdesk-store` (add `-- --keep` to keep the generated file and
//! print its path).

use std::error::Error;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use insightdesk_store::{
    AccountDailyValue, AccountId, AccountProfile, ArchivedResponse, Breakdown, CaptureState,
    DayRange, DemographicsSnapshot, FollowersCounts, LoginKind, MediaFilter, MediaId, MediaItem,
    MediaQuery, MediaSort, PeerQuery, Store, SyncStatus, TimeRange, WriteBatch,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

type Outcome<T> = Result<T, Box<dyn Error>>;

const POSTS: usize = 10_000;
const DAYS: u64 = 3 * 365;
const STORIES_PER_DAY: usize = 2;
const RUNS: usize = 200;
/// Ages at which the sync reads a post (1 h, 6 h, 24 h, 3 d, 7 d, 30 d, 90 d).
const GROWTH_HOURS: [i64; 7] = [1, 6, 24, 72, 168, 720, 2160];
const POST_METRICS: [&str; 12] = [
    "reach",
    "views",
    "total_interactions",
    "likes",
    "comments",
    "shares",
    "saved",
    "reposts",
    "follows",
    "profile_visits",
    "profile_activity",
    "ig_reels_avg_watch_time",
];
const STORY_METRICS: [&str; 8] = [
    "reach",
    "views",
    "replies",
    "shares",
    "total_interactions",
    "follows",
    "profile_visits",
    "navigation",
];
const PLAIN_DAILY: [&str; 12] = [
    "reach",
    "views",
    "accounts_engaged",
    "total_interactions",
    "likes",
    "comments",
    "saves",
    "shares",
    "replies",
    "reposts",
    "profile_views",
    "follower_count",
];

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 9, 1).unwrap_or_default()
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

struct Generated {
    account: AccountId,
    reels: Vec<MediaId>,
    now: DateTime<Utc>,
    today: NaiveDate,
}

fn breakdowns() -> Vec<(&'static str, &'static str, Vec<String>)> {
    let values = |list: &[&str]| list.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
    vec![
        (
            "reach",
            "media_product_type",
            values(&["POST", "CAROUSEL_CONTAINER", "REEL", "STORY", "AD"]),
        ),
        (
            "reach",
            "follow_type",
            values(&["FOLLOWER", "NON_FOLLOWER"]),
        ),
        (
            "views",
            "follower_type",
            values(&["FOLLOWER", "NON_FOLLOWER"]),
        ),
        (
            "views",
            "media_product_type",
            values(&["POST", "CAROUSEL_CONTAINER", "REEL", "STORY", "AD"]),
        ),
        (
            "total_interactions",
            "media_product_type",
            values(&["POST", "CAROUSEL_CONTAINER", "REEL", "STORY", "AD"]),
        ),
        (
            "profile_links_taps",
            "contact_button_type",
            values(&[
                "BOOK_NOW",
                "CALL",
                "DIRECTION",
                "EMAIL",
                "INSTANT_EXPERIENCE",
                "TEXT",
                "UNDEFINED",
            ]),
        ),
        (
            "follows_and_unfollows",
            "follow_type",
            values(&["FOLLOWER", "NON_FOLLOWER", "UNKNOWN"]),
        ),
        (
            "online_followers",
            "hour",
            (0..24).map(|h| h.to_string()).collect(),
        ),
    ]
}

/// A cumulative metric of a post at `hours` of age: grows fast, then levels off.
fn grown(final_value: f64, hours: i64) -> f64 {
    (final_value * (1.0 - (-(hours as f64) / 30.0).exp())).round()
}

fn write_day(
    batch: &mut WriteBatch<'_>,
    rng: &mut StdRng,
    generated: &mut Generated,
    day: NaiveDate,
    posts_today: usize,
    post_counter: &mut usize,
) -> Outcome<()> {
    let account = generated.account;
    let start = midnight(day);
    let fetched = start + TimeDelta::hours(23);

    for _ in 0..posts_today {
        *post_counter += 1;
        let roll: f64 = rng.random();
        let (product, kind) = if roll < 0.4 {
            ("REELS", "VIDEO")
        } else if roll < 0.7 {
            ("FEED", "IMAGE")
        } else if roll < 0.95 {
            ("FEED", "CAROUSEL_ALBUM")
        } else {
            ("FEED", "VIDEO")
        };
        let posted = start + TimeDelta::minutes(rng.random_range(6 * 60..23 * 60));
        let words = [
            "summer", "recipe", "travel", "studio", "behind", "launch", "sale",
        ];
        let caption = format!(
            "Post {post_counter}: {} {} #{}",
            words[rng.random_range(0..words.len())],
            words[rng.random_range(0..words.len())],
            words[rng.random_range(0..words.len())]
        );
        let media = batch.upsert_media(
            account,
            &MediaItem {
                ig_media_id: format!("1790{post_counter:011}"),
                product_type: product.into(),
                media_type: kind.into(),
                posted_at: posted,
                caption: Some(caption),
                permalink: Some(format!("https://www.instagram.com/p/{post_counter}/")),
                media_url: None,
                thumbnail_url: None,
            },
            fetched,
        )?;
        if product == "REELS" {
            generated.reels.push(media);
        }
        let scale: f64 = rng.random_range(200.0..20_000.0);
        for hours in GROWTH_HOURS {
            let captured =
                posted + TimeDelta::hours(hours) + TimeDelta::minutes(rng.random_range(0..10));
            if captured > generated.now {
                break;
            }
            let values: Vec<(&str, f64)> = POST_METRICS
                .iter()
                .enumerate()
                .map(|(index, metric)| (*metric, grown(scale / (1.0 + index as f64), hours)))
                .collect();
            batch.record_media_metrics(media, captured, &values)?;
        }
    }

    for story in 0..STORIES_PER_DAY {
        *post_counter += 1;
        let posted = start + TimeDelta::hours(9 + 8 * story as i64);
        let media = batch.upsert_media(
            account,
            &MediaItem {
                ig_media_id: format!("1790{post_counter:011}"),
                product_type: "STORY".into(),
                media_type: if story == 0 { "IMAGE" } else { "VIDEO" }.into(),
                posted_at: posted,
                caption: None,
                permalink: None,
                media_url: None,
                thumbnail_url: None,
            },
            fetched,
        )?;
        let scale: f64 = rng.random_range(50.0..2000.0);
        for hours in [1_i64, 5, 9, 13, 17, 23] {
            let values: Vec<(&str, f64)> = STORY_METRICS
                .iter()
                .enumerate()
                .map(|(index, metric)| (*metric, grown(scale / (1.0 + index as f64), hours)))
                .collect();
            batch.record_media_metrics(media, posted + TimeDelta::hours(hours), &values)?;
        }
        let cells: Vec<(Breakdown, f64)> = ["TAP_FORWARD", "TAP_BACK", "TAP_EXIT", "SWIPE_FORWARD"]
            .iter()
            .map(|action| {
                (
                    Breakdown::new("story_navigation_action_type", *action),
                    rng.random_range(0.0..scale),
                )
            })
            .collect();
        batch.record_media_breakdown(media, "navigation", posted + TimeDelta::hours(23), &cells)?;
        let state = if rng.random_bool(0.9) {
            CaptureState::Final {
                at: posted + TimeDelta::hours(23),
            }
        } else {
            CaptureState::LastSeen {
                at: posted + TimeDelta::hours(17),
            }
        };
        batch.record_story_capture(media, state)?;
    }

    let mut values: Vec<AccountDailyValue> = PLAIN_DAILY
        .iter()
        .map(|metric| AccountDailyValue {
            metric: (*metric).into(),
            day,
            breakdown: None,
            value: rng.random_range(10.0..50_000.0_f64).round(),
        })
        .collect();
    for (metric, dimension, cells) in breakdowns() {
        for cell in cells {
            values.push(AccountDailyValue {
                metric: metric.into(),
                day,
                breakdown: Some(Breakdown::new(dimension, cell)),
                value: rng.random_range(0.0..5_000.0_f64).round(),
            });
        }
    }
    batch.record_account_daily(account, &values, fetched)?;

    let elapsed = (day - first_day()).num_days();
    batch.record_followers(
        account,
        day,
        &FollowersCounts {
            followers_count: 20_000 + elapsed * 37,
            follows_count: Some(480),
            media_count: Some(*post_counter as i64),
        },
        fetched,
    )?;

    if elapsed % 7 == 0 {
        write_demographics(batch, rng, account, day, fetched)?;
    }

    let body = format!(
        "{{\"data\":[{{\"name\":\"reach\",\"period\":\"day\",\"values\":[{{\"value\":{},\"end_time\":\"{day}T07:00:00+0000\"}}]}}]}}",
        rng.random_range(100..50_000)
    );
    batch.archive_response(
        &ArchivedResponse {
            account: Some(account),
            endpoint: &format!(
                "/v24.0/17841400000000001/insights?metric=reach&period=day&since={day}"
            ),
            api_version: "v24.0",
            body: body.as_bytes(),
        },
        fetched,
    )?;

    let run = batch.start_sync_run(Some(account), "schedule", fetched)?;
    batch.add_sync_counters(
        run,
        &[
            ("http_requests", 40),
            ("counted_calls", 52),
            ("rows_written", 900),
        ],
    )?;
    batch.finish_sync_run(
        run,
        SyncStatus::Succeeded,
        fetched + TimeDelta::minutes(2),
        None,
    )?;
    if elapsed % 20 == 0 {
        batch.add_annotation(
            account,
            start + TimeDelta::hours(12),
            None,
            &format!("Note on day {elapsed}"),
            fetched,
        )?;
    }
    Ok(())
}

fn write_demographics(
    batch: &mut WriteBatch<'_>,
    rng: &mut StdRng,
    account: AccountId,
    day: NaiveDate,
    fetched: DateTime<Utc>,
) -> Outcome<()> {
    let ages = ["13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"];
    let buckets = |rng: &mut StdRng, dimension: &str| -> Vec<(String, f64)> {
        match dimension {
            "age" => ages
                .iter()
                .map(|a| ((*a).to_owned(), rng.random_range(0.0..5000.0_f64).round()))
                .collect(),
            "gender" => ["F", "M", "U"]
                .iter()
                .map(|g| ((*g).to_owned(), rng.random_range(0.0..9000.0_f64).round()))
                .collect(),
            other => (0..45)
                .map(|i| {
                    (
                        format!("{other} {i}"),
                        rng.random_range(0.0..3000.0_f64).round(),
                    )
                })
                .collect(),
        }
    };
    let mut snapshots = Vec::new();
    for dimension in ["age", "gender", "city", "country"] {
        snapshots.push(("follower_demographics", None, dimension));
        for timeframe in ["this_week", "this_month"] {
            snapshots.push(("engaged_audience_demographics", Some(timeframe), dimension));
            snapshots.push(("reached_audience_demographics", Some(timeframe), dimension));
        }
    }
    for (metric, timeframe, dimension) in snapshots {
        let snapshot = DemographicsSnapshot {
            metric: metric.into(),
            timeframe: timeframe.map(str::to_owned),
            dimension: dimension.into(),
            snapshot_day: day,
            buckets: buckets(rng, dimension),
        };
        batch.record_demographics(account, &snapshot, fetched)?;
    }
    Ok(())
}

fn generate(store: &mut Store) -> Outcome<Generated> {
    let mut rng = StdRng::seed_from_u64(2026);
    let today = first_day() + Days::new(DAYS);
    let account = store.write(|b| {
        b.upsert_account(
            &AccountProfile {
                ig_user_id: "17841400000000001".into(),
                login_kind: LoginKind::Facebook,
                username: "bench_creator".into(),
                name: Some("Bench Creator".into()),
                profile_picture_url: None,
            },
            midnight(first_day()),
        )
    })?;
    let mut generated = Generated {
        account,
        reels: Vec::new(),
        now: midnight(today),
        today,
    };
    let mut post_counter = 0;
    let mut posts_written = 0;
    for index in 0..DAYS {
        let day = first_day() + Days::new(index);
        // Spread the posts evenly over the days.
        let due = ((index + 1) as usize * POSTS) / DAYS as usize;
        let posts_today = due - posts_written;
        posts_written = due;
        let mut batch = store.batch()?;
        write_day(
            &mut batch,
            &mut rng,
            &mut generated,
            day,
            posts_today,
            &mut post_counter,
        )?;
        batch.commit()?;
    }
    store.optimize()?;
    store.checkpoint()?;
    Ok(generated)
}

struct Timings {
    name: String,
    samples: Vec<Duration>,
}

fn time<T>(
    name: impl Into<String>,
    mut query: impl FnMut(usize) -> Outcome<T>,
) -> Outcome<Timings> {
    // One untimed run warms the page cache and the statement cache, as on a dashboard that
    // is already open.
    query(0)?;
    let mut samples = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        let started = Instant::now();
        std::hint::black_box(query(run)?);
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(Timings {
        name: name.into(),
        samples,
    })
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn report(all: &[Timings]) {
    println!(
        "{:<46} {:>9} {:>9} {:>9}",
        "query (200 runs)", "p50 ms", "p95 ms", "max ms"
    );
    for timings in all {
        let at = |share: f64| {
            let index = ((timings.samples.len() as f64 * share).ceil() as usize).saturating_sub(1);
            timings.samples.get(index).copied().unwrap_or_default()
        };
        let max = timings.samples.last().copied().unwrap_or_default();
        println!(
            "{:<46} {:>9.3} {:>9.3} {:>9.3}",
            timings.name,
            millis(at(0.50)),
            millis(at(0.95)),
            millis(max)
        );
    }
}

fn main() -> Outcome<()> {
    let keep = std::env::args().any(|a| a == "--keep");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.sqlite3");
    let mut store = Store::open(&path)?;

    let started = Instant::now();
    let generated = generate(&mut store)?;
    let generation = started.elapsed();
    let counts = store.row_counts()?;
    let file_bytes = std::fs::metadata(&path)?.len();
    println!(
        "generated {} days in {:.1} s: {} media ({} reels), {} readings, {} story navigation cells, \
         {} daily account values, {} follower snapshots, {} demographics buckets, {} archived responses, \
         {} sync runs",
        DAYS,
        generation.as_secs_f64(),
        counts["media"],
        generated.reels.len(),
        counts["media_metric"],
        counts["media_metric_breakdown"],
        counts["account_daily"],
        counts["followers_snapshot"],
        counts["demographics_bucket"],
        counts["raw_response"],
        counts["sync_run"],
    );
    println!(
        "file size {:.1} MiB ({:.0} bytes per reading and value stored)",
        file_bytes as f64 / (1024.0 * 1024.0),
        file_bytes as f64
            / (counts["media_metric"] + counts["account_daily"] + counts["demographics_bucket"])
                as f64
    );

    let account = generated.account;
    let today = generated.today;
    let now = generated.now;
    let days = |n: u32| DayRange::ending(today - Days::new(1), n);
    let posted_in = |n: i64| TimeRange::new(now - TimeDelta::days(n), now);
    let mut rng = StdRng::seed_from_u64(7);
    let mut all = Vec::new();

    for n in [7_u32, 28, 90, 365] {
        all.push(time(format!("overview KPIs, {n} days"), |_| {
            let filter = MediaFilter::account(account).posted(posted_in(i64::from(n)));
            let totals = store.account_metric_totals(account, days(n))?;
            let followers = store.followers_series(account, days(n))?;
            let media =
                store.media_totals(&filter, &["reach", "total_interactions", "likes", "saved"])?;
            let mix = store.media_type_counts(&filter)?;
            Ok((
                totals,
                followers.first().copied(),
                followers.last().copied(),
                media,
                mix,
            ))
        })?);
    }
    all.push(time("series: reach, 90 days", |_| {
        Ok(store.account_daily_series(account, "reach", None, days(90))?)
    })?);
    all.push(time("series: reach by product type, 365 days", |_| {
        Ok(store.account_daily_series(account, "reach", Some("media_product_type"), days(365))?)
    })?);
    all.push(time("series: online followers by hour, 28 days", |_| {
        Ok(store.account_daily_series(account, "online_followers", Some("hour"), days(28))?)
    })?);
    all.push(time("series: followers, 3 years", |_| {
        Ok(store.followers_series(account, days(DAYS as u32))?)
    })?);
    let page = |filter: MediaFilter, sort: MediaSort, offset: u32| MediaQuery {
        filter,
        sort,
        descending: true,
        limit: 50,
        offset,
    };
    all.push(time("content page 1 by reach, 365 days", |_| {
        let filter = MediaFilter::account(account).posted(posted_in(365));
        Ok(store.media_page(&page(filter, MediaSort::Metric("reach".into()), 0))?)
    })?);
    all.push(time("content page 10 by reach, all time", |_| {
        let filter = MediaFilter::account(account);
        Ok(store.media_page(&page(filter, MediaSort::Metric("reach".into()), 450))?)
    })?);
    all.push(time("content page 1 by date, reels, 90 days", |_| {
        let filter = MediaFilter::account(account)
            .posted(posted_in(90))
            .product_type("REELS");
        Ok(store.media_page(&page(filter, MediaSort::PostedAt, 0))?)
    })?);
    all.push(time(
        "content search \"recipe\" by saves, all time",
        |_| {
            let filter = MediaFilter::account(account).caption_contains("recipe");
            Ok(store.media_page(&page(filter, MediaSort::Metric("saved".into()), 0))?)
        },
    )?);
    let reels = generated.reels.clone();
    let mut pick = move || reels[rng.random_range(0..reels.len())];
    for (name, period) in [
        ("growth curve + reels median, 365 days", posted_in(365)),
        ("growth curve + reels median, all time", TimeRange::all()),
    ] {
        all.push(time(name, |_| {
            let post = pick();
            let curve = store.growth_curve(post, "reach")?;
            let ages: Vec<TimeDelta> = curve
                .iter()
                .map(|r| TimeDelta::seconds(r.age_seconds))
                .collect();
            let peers = PeerQuery {
                filter: MediaFilter::account(account)
                    .product_type("REELS")
                    .posted(period),
                excluding: Some(post),
            };
            Ok((curve, store.median_at_ages(&peers, "reach", &ages)?))
        })?);
    }
    all.push(time("best-time input, 365 days, 2 metrics", |_| {
        let filter = MediaFilter::account(account).posted(posted_in(365));
        Ok(store.posting_times(&filter, &["reach", "total_interactions"])?)
    })?);
    all.push(time("stories, 28 days", |_| {
        Ok(store.stories(account, posted_in(28))?)
    })?);
    all.push(time("latest demographics", |_| {
        Ok(store.latest_demographics(account)?)
    })?);
    all.push(time("annotations, 365 days", |_| {
        Ok(store.annotations(account, posted_in(365))?)
    })?);
    all.push(time("sync runs, newest 20", |_| {
        Ok(store.sync_runs(Some(account), 20)?)
    })?);
    report(&all);

    let worst = all
        .iter()
        .map(|t| {
            let index = ((t.samples.len() as f64 * 0.95).ceil() as usize).saturating_sub(1);
            (
                t.samples.get(index).copied().unwrap_or_default(),
                t.name.as_str(),
            )
        })
        .max();
    if let Some((p95, name)) = worst {
        println!(
            "slowest p95: {:.3} ms ({name}); aim: under 20 ms",
            millis(p95)
        );
    }
    if keep {
        let kept = dir.keep();
        println!("kept {}", kept.join("bench.sqlite3").display());
    }
    Ok(())
}

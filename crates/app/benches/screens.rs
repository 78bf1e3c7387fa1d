//! How long the dashboard's screens take on three years of a busy account, through the App
//! functions the window calls: `overview`, `content`, `post_detail`, `audience`, `best_time`.
//!
//! The store bench (`crates/store/benches/queries.rs`) times single queries; a screen does more:
//! the overview, audience and best-time screens build the whole report model of the range
//! (every post of the range and of the one before, with rates, the best-time grid, stories,
//! demographics), the content screen loads every post of the range and sorts it in Rust, and a
//! post's page reads its growth curve against the median of its kind. Each call here also opens
//! its own store connection and reads the settings, as in the app.
//!
//! The store is written with the report crate's generator (`crates/report/tests/it/generated.rs`,
//! the one its render bench uses) ending yesterday, because the screens take "today" from the
//! computer's clock; the bench adds a daily `online_followers` map and weekly follower
//! demographics, which the audience screen reads. The account is made reachable the way a
//! sign-in leaves it: a grant naming it in the profile's vault (the encrypted-file vault, so no
//! keyring is needed). Nothing reaches Meta: the overview is timed through `App::overview`,
//! not the IPC wrapper that asks Meta in the background for a range's missing reach.
//!
//! Run: `cargo bench -p insightdesk-app --bench screens`. Prints figures; asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(dead_code)]
#[path = "../../report/tests/it/generated.rs"]
mod generated;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use insightdesk_app::dashboard::{ContentArgs, PostArgs, RangeArgs, RangeChoice};
use insightdesk_app::thumbnails;
use insightdesk_app::{App, AppConfig, DataDir, ProfileKind, RecordingHost};
use insightdesk_auth::{Grant, LinkedAccount, LoginKind, VaultKind, required_scopes};
use insightdesk_report::{ReportRequest, build_report};
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountId, DemographicsSnapshot, Store};

use generated::{Rng, Shape, write_generated};

const RUNS: usize = 20;
const DAYS: u32 = 3 * 365;
const IG_USER_ID: &str = "17841400000000303";
const TIME_ZONE: &str = "Europe/Berlin";

/// The account's three years, ending yesterday; returns the account and its first day.
fn write_store(store: &mut Store, now: DateTime<Utc>) -> (AccountId, NaiveDate) {
    let yesterday = now.date_naive() - Days::new(1);
    let first_day = yesterday - Days::new(u64::from(DAYS - 1));
    let account = write_generated(
        store,
        &Shape {
            username: "bench.creator",
            ig_user_id: IG_USER_ID,
            first_day,
            days: DAYS,
            // About 10,000 feed posts and reels, and two stories a day.
            posts_per_day: 9.13,
            stories_per_day: 2.0,
            readings: 5,
            seed: 26,
        },
        now,
    );
    write_audience_history(store, account, first_day, yesterday, now);
    store.optimize().unwrap();
    store.checkpoint().unwrap();
    (account, first_day)
}

/// What the sync keeps of the audience over the years: Meta's `online_followers` hour map for
/// every day, and the follower demographics once a week (the generator writes only the last).
fn write_audience_history(
    store: &mut Store,
    account: AccountId,
    first_day: NaiveDate,
    last_day: NaiveDate,
    now: DateTime<Utc>,
) {
    let mut rng = Rng::new(7);
    let mut batch = store.batch().unwrap();
    let mut day = first_day;
    while day <= last_day {
        let hours = (0..24)
            .map(|hour| {
                let evening = if (17..=21).contains(&hour) { 2.0 } else { 1.0 };
                (
                    hour.to_string(),
                    (rng.range(300.0, 900.0) * evening).round(),
                )
            })
            .collect();
        let online = DemographicsSnapshot {
            metric: "online_followers".into(),
            timeframe: None,
            dimension: "hour".into(),
            snapshot_day: day,
            buckets: hours,
        };
        batch.record_demographics(account, &online, now).unwrap();
        let weekly = (day - first_day).num_days() % 7 == 0 && day < last_day;
        for dimension in ["age", "gender", "country", "city"]
            .into_iter()
            .filter(|_| weekly)
        {
            let buckets = (0..45)
                .map(|i| (format!("{dimension} {i}"), rng.range(0.0, 3000.0).round()))
                .collect();
            let snapshot = DemographicsSnapshot {
                metric: "follower_demographics".into(),
                timeframe: None,
                dimension: dimension.into(),
                snapshot_day: day,
                buckets,
            };
            batch.record_demographics(account, &snapshot, now).unwrap();
        }
        day = day + Days::new(1);
    }
    batch.commit().unwrap();
}

/// What a Facebook Login sign-in leaves in the vault for the account.
fn grant(now: DateTime<Utc>) -> Grant {
    Grant {
        kind: LoginKind::Facebook,
        user_id: "10000000000000303".into(),
        token: Sensitive::new("bench-token-never-sent".into()),
        obtained_at: now,
        expires_at: Some(now + TimeDelta::days(60)),
        data_access_expires_at: Some(now + TimeDelta::days(90)),
        scopes: required_scopes(LoginKind::Facebook)
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        accounts: vec![LinkedAccount {
            ig_user_id: IG_USER_ID.into(),
            username: Some("bench.creator".into()),
            page_id: None,
            page_name: None,
            page_token: None,
        }],
    }
}

/// One screen's samples, and what its last call showed (so an empty screen cannot pass
/// for a fast one).
struct Timed {
    name: String,
    samples: Vec<Duration>,
    showed: String,
}

impl Timed {
    fn at(&self, share: f64) -> Duration {
        let index = ((self.samples.len() as f64 * share).ceil() as usize).saturating_sub(1);
        self.samples.get(index).copied().unwrap_or_default()
    }
}

/// Times `RUNS` calls of a screen after one untimed call (a window that is already open has
/// its store pages cached).
async fn time<T, F: Future<Output = T>>(
    name: &str,
    mut screen: impl FnMut(usize) -> F,
    describe: impl Fn(&T) -> String,
) -> Timed {
    screen(0).await;
    let mut samples = Vec::with_capacity(RUNS);
    let mut last = None;
    for run in 0..RUNS {
        let started = Instant::now();
        let shown = screen(run).await;
        samples.push(started.elapsed());
        last = Some(shown);
    }
    samples.sort();
    Timed {
        name: name.to_owned(),
        samples,
        showed: last.as_ref().map(describe).unwrap_or_default(),
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(DataDir::resolve(Some(dir.path().into()), None, None).unwrap());
    config.vault = VaultKind::File;
    config.vault_key = Some(Sensitive::new(
        "a-bench-vault-key-that-is-long-enough-0123".into(),
    ));
    let app = Arc::new(App::new(config, Arc::new(RecordingHost::default())));

    // The screens' "now" is the computer's clock (the main profile talks to real Meta).
    let now = Utc::now();
    let session = app.open_profile(ProfileKind::Main).await.unwrap();
    let started = Instant::now();
    let mut store = Store::open(session.store_path()).unwrap();
    let (account_id, first_day) = write_store(&mut store, now);
    let generation = started.elapsed();
    let counts = store.row_counts().unwrap();
    drop(store);
    session.tokens.save_grant(&grant(now)).unwrap();
    let mut settings = app.settings().await.unwrap();
    settings.time_zone = TIME_ZONE.into();
    app.save_settings(settings).await.unwrap();
    let file_bytes = std::fs::metadata(session.store_path()).unwrap().len();
    println!(
        "generated {DAYS} days ending yesterday ({first_day} to {}) in {:.1} s: {} media, {} readings, \
         {} daily account values, {} demographics buckets; {:.1} MiB; time zone {TIME_ZONE}",
        now.date_naive() - Days::new(1),
        generation.as_secs_f64(),
        counts["media"],
        counts["media_metric"],
        counts["account_daily"],
        counts["demographics_bucket"],
        file_bytes as f64 / (1024.0 * 1024.0),
    );

    let account = Some(IG_USER_ID.to_owned());
    let all_time = RangeChoice::Custom {
        from: first_day.to_string(),
        to: now.date_naive().to_string(),
    };
    let ranges = [
        ("7 days", RangeChoice::Last7),
        ("28 days", RangeChoice::Last28),
        ("90 days", RangeChoice::Last90),
        ("365 days", RangeChoice::LastYear),
        ("all time", all_time.clone()),
    ];
    let mut all = Vec::new();
    for (label, range) in &ranges {
        all.push(
            time(
                &format!("overview, {label}"),
                |_| {
                    app.overview(RangeArgs {
                        account: account.clone(),
                        range: range.clone(),
                    })
                },
                |shown| {
                    let overview = shown.as_ref().unwrap();
                    format!("{} posts in range", overview.posts_in_range)
                },
            )
            .await,
        );
    }
    let content = |range: &RangeChoice, kind: Option<&str>, limit: Option<u32>| ContentArgs {
        account: account.clone(),
        range: range.clone(),
        kind: kind.map(str::to_owned),
        search: None,
        sort: Some("reach".into()),
        ascending: false,
        offset: 0,
        limit,
    };
    for (label, range) in [
        ("365 days", &RangeChoice::LastYear),
        ("all time", &all_time),
    ] {
        all.push(
            time(
                &format!("content page 1 by reach, {label}"),
                |_| app.content(content(range, None, None)),
                |shown| {
                    let page = shown.as_ref().unwrap();
                    format!("{} rows of {}", page.rows.len(), page.total)
                },
            )
            .await,
        );
    }
    // Reels of the last year, in the order the content screen lists them, for post pages.
    let reels: Vec<String> = app
        .content(content(&RangeChoice::LastYear, Some("reel"), Some(500)))
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|row| row.id)
        .collect();
    let mut rng = Rng::new(11);
    let picks: Vec<String> = (0..=RUNS).map(|_| rng.pick(&reels).clone()).collect();
    all.push(
        time(
            "post page (a reel of the last year)",
            |run| {
                app.post_detail(PostArgs {
                    id: picks[run].clone(),
                })
            },
            |shown| {
                let detail = shown.as_ref().unwrap();
                let chart = if detail.growth.is_some() { "a" } else { "no" };
                format!("{} metrics, {chart} growth chart", detail.metrics.len())
            },
        )
        .await,
    );
    all.push(
        time(
            "audience",
            |_| app.audience(account.clone()),
            |shown| {
                let audience = shown.as_ref().unwrap();
                format!("{} demographic groups", audience.demographics.groups.len())
            },
        )
        .await,
    );
    all.push(
        time(
            "best time, 365 days",
            |_| {
                app.best_time(RangeArgs {
                    account: account.clone(),
                    range: RangeChoice::LastYear,
                })
            },
            |shown| {
                let best = shown.as_ref().unwrap();
                format!("{} posts considered", best.best_time.posts_considered)
            },
        )
        .await,
    );

    // What the screens cost besides their numbers: reading the settings opens a store
    // connection, as every screen does twice (time zone, then its data).
    all.push(
        time(
            "settings (read by every screen)",
            |_| app.settings(),
            |shown| format!("time zone {}", shown.as_ref().unwrap().time_zone),
        )
        .await,
    );
    // The content screen asks for each row's cached picture (a file check per picture format).
    let ids: Vec<String> = (0..10_000)
        .map(|serial| format!("{IG_USER_ID}{serial:07}"))
        .collect();
    all.push(
        time(
            "cached-thumbnail checks, 10,000 posts",
            |_| {
                let found = ids
                    .iter()
                    .filter(|id| thumbnails::cached(session.dir(), id).is_some())
                    .count();
                std::future::ready(found)
            },
            |found| format!("{found} found"),
        )
        .await,
    );
    // The report model alone on an open connection: the overview's library call.
    let store = Store::open(session.store_path()).unwrap();
    let tz: Tz = TIME_ZONE.parse().unwrap();
    let today = now.with_timezone(&tz).date_naive();
    for (label, range) in [
        ("7 days", &RangeChoice::Last7),
        ("365 days", &RangeChoice::LastYear),
        ("all time", &all_time),
    ] {
        let request = ReportRequest::new(account_id, range.period(today).unwrap(), tz, now);
        all.push(
            time(
                &format!("build_report alone, {label}"),
                |_| std::future::ready(build_report(&store, &request)),
                |shown| format!("{} posts and stories", shown.as_ref().unwrap().posts.len()),
            )
            .await,
        );
    }

    println!(
        "{:<40} {:>9} {:>9} {:>9}  showed",
        format!("screen ({RUNS} runs)"),
        "p50 ms",
        "p95 ms",
        "max ms"
    );
    for timed in &all {
        println!(
            "{:<40} {:>9.1} {:>9.1} {:>9.1}  {}",
            timed.name,
            ms(timed.at(0.50)),
            ms(timed.at(0.95)),
            ms(timed.samples.last().copied().unwrap_or_default()),
            timed.showed
        );
    }
    drop(store);
    drop(session);
    drop(app);
}

//! A tiny hand-made account whose every report number is worked out by hand in the tests.
//!
//! Bea (`@bea`, "Bea's Bakery") reports in Europe/Berlin (UTC+1 in early March 2025). The
//! report is the week of Monday 3 to Sunday 9 March 2025; the previous week is 24 February to
//! 2 March. `NOW` is Wednesday 12 March 09:00 UTC.
//!
//! | post | kind          | posted (UTC)     | local          | reach | interactions | saved | shares |
//! |------|---------------|------------------|----------------|-------|--------------|-------|--------|
//! | q0   | REELS VIDEO   | 02-10 17:00      | Mon 18:00      |  1200 |  60          |       |        |
//! | q1   | FEED IMAGE    | 02-25 08:00      | Tue 09:00      |   500 |  20          |       |        |
//! | q2   | REELS VIDEO   | 02-27 17:00      | Thu 18:00      |  2000 | 100          |       |        |
//! | p1   | FEED IMAGE    | 03-03 08:00      | Mon 09:00      |  1000 |  50          |   5   |   3    |
//! | p2   | REELS VIDEO   | 03-05 17:30      | Wed 18:30      |  4000 | 120          |  20   |  30    |
//! | p3   | FEED CAROUSEL | 03-07 11:00      | Fri 12:00      |   800 |  64          |  12   |   1    |
//! | p4   | FEED VIDEO    | 03-09 21:30      | Sun 22:30      |   600 |  30          |   2   |   0    |
//! | p5   | FEED IMAGE    | 03-09 23:30      | Mon 10th 00:30 |   999 |  99          |       |        |
//!
//! p5 went up on 9 March in UTC but on Monday 10 March in Berlin: it is not in the week.
//! Reels also have reach readings at 1 h, 6 h, 24 h and 72 h (growth curves):
//! q0 200/600/1000/1200, q2 400/1000/1600/2000, p2 600/1800/3000/4000.
//!
//! Stories: s1 (image, 03-04 19:00) views 200, reach 180, navigation forward 150, back 10,
//! exit 20, swipe 10; s2 (video, 03-06 19:00) views 100, reach 90, navigation (lower-case
//! keys, and an older capture with other numbers) forward 60, back 5, exit 25, swipe 15;
//! s3 (image, 03-08 10:00) expired unread.
//!
//! Follower snapshots: 02-24 980, 02-28 1000, 03-02 1010, 03-03 1012, 03-05 1020, 03-07 1030,
//! 03-09 1050. Daily account figures are in `write_daily`.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use insightdesk_report::{Period, ReportRequest};
use insightdesk_store::{
    AccountDailyValue, AccountId, AccountProfile, Breakdown, CaptureState, DemographicsSnapshot,
    FollowersCounts, LoginKind, MediaId, MediaItem, Store, WriteBatch,
};
use tempfile::TempDir;

pub const BEA: &str = "17841400000000002";
pub const NOW: &str = "2025-03-12T09:00:00Z";

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub fn berlin() -> Tz {
    "Europe/Berlin".parse().unwrap()
}

pub fn week() -> Period {
    Period::week_containing(day("2025-03-05"))
}

/// A fresh store in its own temporary folder (kept alive by the returned guard).
pub fn new_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("profile.sqlite3")).unwrap();
    (dir, store)
}

pub fn profile(ig_user_id: &str, username: &str, name: Option<&str>) -> AccountProfile {
    AccountProfile {
        ig_user_id: ig_user_id.to_owned(),
        login_kind: LoginKind::Facebook,
        username: username.to_owned(),
        name: name.map(str::to_owned),
        profile_picture_url: None,
    }
}

pub fn item(id: &str, product: &str, kind: &str, posted: &str, caption: Option<&str>) -> MediaItem {
    MediaItem {
        ig_media_id: id.to_owned(),
        product_type: product.to_owned(),
        media_type: kind.to_owned(),
        posted_at: at(posted),
        caption: caption.map(str::to_owned),
        permalink: Some(format!("https://www.instagram.com/p/{id}/")),
        media_url: None,
        thumbnail_url: None,
    }
}

pub fn daily(metric: &str, day_text: &str, value: f64) -> AccountDailyValue {
    AccountDailyValue {
        metric: metric.to_owned(),
        day: day(day_text),
        breakdown: None,
        value,
    }
}

pub struct Bea {
    pub account: AccountId,
    pub p2: MediaId,
}

/// Records `values` for `media` at `hours` after `posted`.
fn reading(
    batch: &mut WriteBatch<'_>,
    media: MediaId,
    posted: &str,
    hours: i64,
    values: &[(&str, f64)],
) {
    batch
        .record_media_metrics(media, at(posted) + TimeDelta::hours(hours), values)
        .unwrap();
}

fn nav(kind: &str, value: f64) -> (Breakdown, f64) {
    (Breakdown::new("story_navigation_action_type", kind), value)
}

pub fn write_bea(batch: &mut WriteBatch<'_>) -> Bea {
    let fetched = at(NOW);
    let account = batch
        .upsert_account(&profile(BEA, "bea", Some("Bea's Bakery")), fetched)
        .unwrap();
    let mut add = |id: &str, product: &str, kind: &str, posted: &str, caption: Option<&str>| {
        batch
            .upsert_media(account, &item(id, product, kind, posted, caption), fetched)
            .unwrap()
    };
    let q0 = add(
        "q0",
        "REELS",
        "VIDEO",
        "2025-02-10T17:00:00Z",
        Some("Behind the counter"),
    );
    let q1 = add(
        "q1",
        "FEED",
        "IMAGE",
        "2025-02-25T08:00:00Z",
        Some("Rye, again"),
    );
    let q2 = add(
        "q2",
        "REELS",
        "VIDEO",
        "2025-02-27T17:00:00Z",
        Some("How we fold butter"),
    );
    let p1 = add(
        "p1",
        "FEED",
        "IMAGE",
        "2025-03-03T08:00:00Z",
        Some("Fresh sourdough, out of the oven"),
    );
    let p2 = add(
        "p2",
        "REELS",
        "VIDEO",
        "2025-03-05T17:30:00Z",
        Some("Spring menu: first look"),
    );
    let p3 = add(
        "p3",
        "FEED",
        "CAROUSEL_ALBUM",
        "2025-03-07T11:00:00Z",
        Some("=SUM(A1:A9) tips for flaky croissants"),
    );
    let p4 = add(
        "p4",
        "FEED",
        "VIDEO",
        "2025-03-09T21:30:00Z",
        Some("Late-night bake\nwith, commas and \"quotes\""),
    );
    let p5 = add(
        "p5",
        "FEED",
        "IMAGE",
        "2025-03-09T23:30:00Z",
        Some("Monday already"),
    );
    let s1 = add("s1", "STORY", "IMAGE", "2025-03-04T19:00:00Z", None);
    let s2 = add("s2", "STORY", "VIDEO", "2025-03-06T19:00:00Z", None);
    let s3 = add("s3", "STORY", "IMAGE", "2025-03-08T10:00:00Z", None);

    // Growth curves of the reels (reach only), then their latest full readings.
    for (media, posted, curve) in [
        (q0, "2025-02-10T17:00:00Z", [200.0, 600.0, 1000.0]),
        (q2, "2025-02-27T17:00:00Z", [400.0, 1000.0, 1600.0]),
        (p2, "2025-03-05T17:30:00Z", [600.0, 1800.0, 3000.0]),
    ] {
        for (hours, reach) in [1, 6, 24].into_iter().zip(curve) {
            reading(batch, media, posted, hours, &[("reach", reach)]);
        }
    }
    reading(
        batch,
        q0,
        "2025-02-10T17:00:00Z",
        72,
        &[("reach", 1200.0), ("total_interactions", 60.0)],
    );
    reading(
        batch,
        q2,
        "2025-02-27T17:00:00Z",
        72,
        &[("reach", 2000.0), ("total_interactions", 100.0)],
    );
    reading(
        batch,
        p2,
        "2025-03-05T17:30:00Z",
        72,
        &[
            ("reach", 4000.0),
            ("views", 9000.0),
            ("likes", 80.0),
            ("comments", 5.0),
            ("saved", 20.0),
            ("shares", 30.0),
            ("total_interactions", 120.0),
        ],
    );
    reading(
        batch,
        q1,
        "2025-02-25T08:00:00Z",
        48,
        &[("reach", 500.0), ("total_interactions", 20.0)],
    );
    reading(batch, p1, "2025-03-03T08:00:00Z", 1, &[("reach", 200.0)]);
    reading(
        batch,
        p1,
        "2025-03-03T08:00:00Z",
        48,
        &[
            ("reach", 1000.0),
            ("views", 1500.0),
            ("likes", 40.0),
            ("comments", 2.0),
            ("saved", 5.0),
            ("shares", 3.0),
            ("total_interactions", 50.0),
        ],
    );
    reading(
        batch,
        p3,
        "2025-03-07T11:00:00Z",
        48,
        &[
            ("reach", 800.0),
            ("likes", 40.0),
            ("comments", 6.0),
            ("saved", 12.0),
            ("shares", 1.0),
            ("total_interactions", 64.0),
        ],
    );
    reading(
        batch,
        p4,
        "2025-03-09T21:30:00Z",
        24,
        &[
            ("reach", 600.0),
            ("saved", 2.0),
            ("shares", 0.0),
            ("total_interactions", 30.0),
        ],
    );
    reading(
        batch,
        p5,
        "2025-03-09T23:30:00Z",
        24,
        &[("reach", 999.0), ("total_interactions", 99.0)],
    );

    // Stories.
    reading(
        batch,
        s1,
        "2025-03-04T19:00:00Z",
        20,
        &[("views", 200.0), ("reach", 180.0), ("replies", 3.0)],
    );
    reading(
        batch,
        s2,
        "2025-03-06T19:00:00Z",
        20,
        &[("views", 100.0), ("reach", 90.0)],
    );
    batch
        .record_media_breakdown(
            s1,
            "navigation",
            at("2025-03-05T15:00:00Z"),
            &[
                nav("TAP_FORWARD", 150.0),
                nav("TAP_BACK", 10.0),
                nav("TAP_EXIT", 20.0),
                nav("SWIPE_FORWARD", 10.0),
            ],
        )
        .unwrap();
    // An early capture of s2 that the final one replaces.
    batch
        .record_media_breakdown(
            s2,
            "navigation",
            at("2025-03-06T20:00:00Z"),
            &[nav("tap_exit", 5.0)],
        )
        .unwrap();
    batch
        .record_media_breakdown(
            s2,
            "navigation",
            at("2025-03-07T15:00:00Z"),
            &[
                nav("tap_forward", 60.0),
                nav("tap_back", 5.0),
                nav("tap_exit", 25.0),
                nav("swipe_forward", 15.0),
            ],
        )
        .unwrap();
    batch
        .record_story_capture(
            s1,
            CaptureState::Final {
                at: at("2025-03-05T15:00:00Z"),
            },
        )
        .unwrap();
    batch
        .record_story_capture(
            s2,
            CaptureState::Final {
                at: at("2025-03-07T15:00:00Z"),
            },
        )
        .unwrap();
    batch
        .record_story_capture(s3, CaptureState::Missed)
        .unwrap();

    write_daily(batch, account);
    for (d, count) in [
        ("2025-02-24", 980),
        ("2025-02-28", 1000),
        ("2025-03-02", 1010),
        ("2025-03-03", 1012),
        ("2025-03-05", 1020),
        ("2025-03-07", 1030),
        ("2025-03-09", 1050),
    ] {
        let counts = FollowersCounts {
            followers_count: count,
            follows_count: Some(210),
            media_count: None,
        };
        batch
            .record_followers(account, day(d), &counts, fetched)
            .unwrap();
    }
    for (dimension, buckets) in [
        (
            "age",
            vec![
                ("18-24", 300.0),
                ("25-34", 500.0),
                ("35-44", 150.0),
                ("45-54", 50.0),
            ],
        ),
        ("gender", vec![("F", 600.0), ("M", 380.0), ("U", 20.0)]),
        (
            "country",
            vec![("DE", 700.0), ("AT", 150.0), ("CH", 100.0), ("US", 50.0)],
        ),
        (
            "city",
            vec![
                ("Berlin, Berlin", 400.0),
                ("Hamburg, Hamburg", 100.0),
                ("Vienna, Vienna", 90.0),
            ],
        ),
    ] {
        let snapshot = DemographicsSnapshot {
            metric: "follower_demographics".to_owned(),
            timeframe: None,
            dimension: dimension.to_owned(),
            snapshot_day: day("2025-03-08"),
            buckets: buckets
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        };
        batch
            .record_demographics(account, &snapshot, fetched)
            .unwrap();
    }
    batch
        .add_annotation(
            account,
            at("2025-03-05T17:00:00Z"),
            None,
            "Launched the spring menu",
            fetched,
        )
        .unwrap();
    batch
        .add_annotation(
            account,
            at("2025-03-07T08:00:00Z"),
            Some(at("2025-03-08T16:00:00Z")),
            "Market stall at Kollwitzplatz",
            fetched,
        )
        .unwrap();
    Bea { account, p2 }
}

/// Daily account figures.
///
/// This week (3-9 March): reach 1500, 1800, 1600, 5200, 2100, 1700, 1400 (a series, never
/// summed); views 2000, 2500, 2200, 9800, 3000, 2100, 1900 (sum 23,500); interactions 60, 40,
/// 30, 150, 90, 20, 45 (sum 435); new followers on 3, 4 and 5 March only: 5, 7, 6 (sum 18).
/// Previous week (24 Feb - 2 Mar): views 2000 a day (14,000), interactions 50 a day (350), new
/// followers 4 a day (28).
fn write_daily(batch: &mut WriteBatch<'_>, account: AccountId) {
    let mut values = Vec::new();
    let this_week = ["03", "04", "05", "06", "07", "08", "09"].map(|d| format!("2025-03-{d}"));
    let reach = [1500.0, 1800.0, 1600.0, 5200.0, 2100.0, 1700.0, 1400.0];
    let views = [2000.0, 2500.0, 2200.0, 9800.0, 3000.0, 2100.0, 1900.0];
    let interactions = [60.0, 40.0, 30.0, 150.0, 90.0, 20.0, 45.0];
    for (i, d) in this_week.iter().enumerate() {
        values.push(daily("reach", d, reach[i]));
        values.push(daily("views", d, views[i]));
        values.push(daily("total_interactions", d, interactions[i]));
    }
    for (d, v) in [
        ("2025-03-03", 5.0),
        ("2025-03-04", 7.0),
        ("2025-03-05", 6.0),
    ] {
        values.push(daily("follower_count", d, v));
    }
    for d in [
        "2025-02-24",
        "2025-02-25",
        "2025-02-26",
        "2025-02-27",
        "2025-02-28",
        "2025-03-01",
        "2025-03-02",
    ] {
        values.push(daily("views", d, 2000.0));
        values.push(daily("total_interactions", d, 50.0));
        values.push(daily("follower_count", d, 4.0));
    }
    batch
        .record_account_daily(account, &values, at(NOW))
        .unwrap();
}

/// A new store holding Bea.
pub fn bea_store() -> (TempDir, Store, Bea) {
    let (dir, mut store) = new_store();
    let mut batch = store.batch().unwrap();
    let bea = write_bea(&mut batch);
    batch.commit().unwrap();
    (dir, store, bea)
}

/// The week's report request, with Meta's reach totals for both weeks.
pub fn bea_request(bea: &Bea) -> ReportRequest {
    ReportRequest::new(bea.account, week(), berlin(), at(NOW))
        .with_reach(Some(9800.0), Some(8700.0))
}

/// Where the test artifacts go: `target/artifacts/report/` of the workspace.
pub fn artifacts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/artifacts/report");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

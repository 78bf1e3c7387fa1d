//! A small hand-made account the query tests read back with exact expectations.
//!
//! Alice (Facebook Login) posted, in March 2025 (UTC):
//!
//! | post | kind            | posted            | readings (age: reach / likes)               |
//! |------|-----------------|-------------------|---------------------------------------------|
//! | p1   | FEED IMAGE      | 03-01 10:00       | 1 h: 100 / 10, 24 h: 400 / 30               |
//! | p2   | REELS VIDEO     | 03-03 18:30       | 1 h: 300 / 50, 24 h: 900 / 120, saved 24 h: 7|
//! | p3   | FEED CAROUSEL   | 03-05 08:00       | 24 h: 200 / 40                              |
//! | s1   | STORY IMAGE     | 03-06 09:00       | 2 h: 50, 23 h: 80 (final at 23 h)           |
//! | s2   | STORY VIDEO     | 03-06 20:00       | 1 h: 20 (last seen at 1 h)                  |

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use insightdesk_store::{
    AccountDailyValue, AccountId, AccountProfile, Breakdown, CaptureState, DemographicsSnapshot,
    FollowersCounts, LoginKind, MediaId, MediaItem, Store, WriteBatch,
};
use tempfile::TempDir;

pub const ALICE: &str = "17841400000000001";

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub fn hours(n: i64) -> TimeDelta {
    TimeDelta::hours(n)
}

/// A fresh store in its own temporary folder (kept alive by the returned guard).
pub fn new_store() -> (TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.sqlite3");
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

pub fn profile(ig_user_id: &str, username: &str) -> AccountProfile {
    AccountProfile {
        ig_user_id: ig_user_id.to_owned(),
        login_kind: LoginKind::Facebook,
        username: username.to_owned(),
        name: None,
        profile_picture_url: None,
    }
}

pub fn item(ig_media_id: &str, product: &str, kind: &str, posted: &str) -> MediaItem {
    MediaItem {
        ig_media_id: ig_media_id.to_owned(),
        product_type: product.to_owned(),
        media_type: kind.to_owned(),
        posted_at: at(posted),
        caption: None,
        permalink: Some(format!("https://www.instagram.com/p/{ig_media_id}/")),
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

pub fn daily_cell(
    metric: &str,
    day_text: &str,
    dimension: &str,
    cell: &str,
    value: f64,
) -> AccountDailyValue {
    AccountDailyValue {
        breakdown: Some(Breakdown::new(dimension, cell)),
        ..daily(metric, day_text, value)
    }
}

pub struct Alice {
    pub account: AccountId,
    pub p1: MediaId,
    pub p2: MediaId,
    pub p3: MediaId,
    pub s1: MediaId,
    pub s2: MediaId,
}

/// Writes the table above (and Alice's account series) in one batch. `fetched_at` only moves
/// the volatile columns.
pub fn write_alice(batch: &mut WriteBatch<'_>, fetched_at: DateTime<Utc>) -> Alice {
    let account = batch
        .upsert_account(&profile(ALICE, "alice"), fetched_at)
        .unwrap();
    let mut p1_item = item("p1", "FEED", "IMAGE", "2025-03-01T10:00:00Z");
    p1_item.caption = Some("Spring sale! #flowers".into());
    let p1 = batch.upsert_media(account, &p1_item, fetched_at).unwrap();
    let mut p2_item = item("p2", "REELS", "VIDEO", "2025-03-03T18:30:00Z");
    p2_item.caption = Some("Behind the scenes".into());
    let p2 = batch.upsert_media(account, &p2_item, fetched_at).unwrap();
    let mut p3_item = item("p3", "FEED", "CAROUSEL_ALBUM", "2025-03-05T08:00:00Z");
    p3_item.caption = Some("FLOWERS, part two".into());
    let p3 = batch.upsert_media(account, &p3_item, fetched_at).unwrap();
    let s1 = batch
        .upsert_media(
            account,
            &item("s1", "STORY", "IMAGE", "2025-03-06T09:00:00Z"),
            fetched_at,
        )
        .unwrap();
    let s2 = batch
        .upsert_media(
            account,
            &item("s2", "STORY", "VIDEO", "2025-03-06T20:00:00Z"),
            fetched_at,
        )
        .unwrap();

    let reading =
        |batch: &mut WriteBatch<'_>, media, posted: &str, age: i64, values: &[(&str, f64)]| {
            batch
                .record_media_metrics(media, at(posted) + hours(age), values)
                .unwrap();
        };
    reading(
        batch,
        p1,
        "2025-03-01T10:00:00Z",
        1,
        &[("reach", 100.0), ("likes", 10.0)],
    );
    reading(
        batch,
        p1,
        "2025-03-01T10:00:00Z",
        24,
        &[("reach", 400.0), ("likes", 30.0)],
    );
    reading(
        batch,
        p2,
        "2025-03-03T18:30:00Z",
        1,
        &[("reach", 300.0), ("likes", 50.0)],
    );
    reading(
        batch,
        p2,
        "2025-03-03T18:30:00Z",
        24,
        &[("reach", 900.0), ("likes", 120.0), ("saved", 7.0)],
    );
    reading(
        batch,
        p3,
        "2025-03-05T08:00:00Z",
        24,
        &[("reach", 200.0), ("likes", 40.0)],
    );
    reading(batch, s1, "2025-03-06T09:00:00Z", 2, &[("reach", 50.0)]);
    reading(batch, s1, "2025-03-06T09:00:00Z", 23, &[("reach", 80.0)]);
    reading(batch, s2, "2025-03-06T20:00:00Z", 1, &[("reach", 20.0)]);
    batch
        .record_story_capture(
            s1,
            CaptureState::Final {
                at: at("2025-03-07T08:00:00Z"),
            },
        )
        .unwrap();
    batch
        .record_story_capture(
            s2,
            CaptureState::LastSeen {
                at: at("2025-03-06T21:00:00Z"),
            },
        )
        .unwrap();
    batch
        .record_media_breakdown(
            s1,
            "navigation",
            at("2025-03-07T08:00:00Z"),
            &[
                (
                    Breakdown::new("story_navigation_action_type", "TAP_FORWARD"),
                    30.0,
                ),
                (
                    Breakdown::new("story_navigation_action_type", "TAP_EXIT"),
                    4.0,
                ),
            ],
        )
        .unwrap();

    let mut values: Vec<AccountDailyValue> = (1..=7)
        .map(|d| {
            daily(
                "reach",
                &format!("2025-03-{d:02}"),
                900.0 + 100.0 * f64::from(d),
            )
        })
        .collect();
    values.push(daily("views", "2025-03-01", 5000.0));
    values.push(daily("views", "2025-03-02", 5500.0));
    values.push(daily_cell(
        "reach",
        "2025-03-01",
        "media_product_type",
        "POST",
        600.0,
    ));
    values.push(daily_cell(
        "reach",
        "2025-03-01",
        "media_product_type",
        "REEL",
        400.0,
    ));
    values.push(daily_cell(
        "reach",
        "2025-03-02",
        "media_product_type",
        "REEL",
        700.0,
    ));
    values.push(daily_cell(
        "reach",
        "2025-03-02",
        "follow_type",
        "FOLLOWER",
        800.0,
    ));
    batch
        .record_account_daily(account, &values, fetched_at)
        .unwrap();

    for (d, count) in [
        ("2025-03-01", 5000),
        ("2025-03-02", 5010),
        ("2025-03-04", 5040),
    ] {
        batch
            .record_followers(
                account,
                day(d),
                &FollowersCounts {
                    followers_count: count,
                    follows_count: Some(300),
                    media_count: None,
                },
                fetched_at,
            )
            .unwrap();
    }

    let snapshot = |metric: &str,
                    timeframe: Option<&str>,
                    dimension: &str,
                    d: &str,
                    buckets: &[(&str, f64)]| {
        DemographicsSnapshot {
            metric: metric.to_owned(),
            timeframe: timeframe.map(str::to_owned),
            dimension: dimension.to_owned(),
            snapshot_day: day(d),
            buckets: buckets.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        }
    };
    for s in [
        snapshot(
            "follower_demographics",
            None,
            "age",
            "2025-03-01",
            &[("18-24", 10.0), ("25-34", 25.0)],
        ),
        snapshot(
            "follower_demographics",
            None,
            "age",
            "2025-03-08",
            &[("18-24", 12.0), ("25-34", 30.0), ("35-44", 5.0)],
        ),
        snapshot(
            "engaged_audience_demographics",
            Some("this_week"),
            "country",
            "2025-03-08",
            &[("US", 40.0), ("DE", 10.0)],
        ),
    ] {
        batch.record_demographics(account, &s, fetched_at).unwrap();
    }

    Alice {
        account,
        p1,
        p2,
        p3,
        s1,
        s2,
    }
}

/// A new store holding Alice.
pub fn alice_store() -> (TempDir, PathBuf, Store, Alice) {
    let (dir, path, mut store) = new_store();
    let mut batch = store.batch().unwrap();
    let alice = write_alice(&mut batch, at("2025-03-10T00:00:00Z"));
    batch.commit().unwrap();
    (dir, path, store, alice)
}

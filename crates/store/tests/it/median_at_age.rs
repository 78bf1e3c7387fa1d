//! "This post against the median of its type at the same age".

use chrono::TimeDelta;
use insightdesk_store::{
    AgeMedian, MediaFilter, MediaId, PeerQuery, StoreError, TimeRange, value_at_age,
};

use crate::sample::{ALICE, at, hours, item, new_store, profile};

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

struct Posts {
    account: insightdesk_store::AccountId,
    r4: MediaId,
}

/// Meta's id, product type, media type, when it went up, readings as (age in seconds, reach).
type Post = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(i64, f64)],
);

/// Four reels and a feed post, each with readings at the ages (in seconds) listed.
fn write_posts(store: &mut insightdesk_store::Store) -> Posts {
    let posts: [Post; 5] = [
        (
            "r1",
            "REELS",
            "VIDEO",
            "2025-01-01T10:00:00Z",
            &[(HOUR, 100.0), (DAY, 1000.0), (7 * DAY, 2000.0)],
        ),
        // 23 h and 25 h bracket 24 h: 900 by interpolation.
        (
            "r2",
            "REELS",
            "VIDEO",
            "2025-01-02T10:00:00Z",
            &[
                (HOUR, 200.0),
                (23 * HOUR, 800.0),
                (25 * HOUR, 1000.0),
                (7 * DAY, 3000.0),
            ],
        ),
        // Read 5 minutes late at "1 h" (within a tenth of it), then not until 3 days: no value
        // at 24 h or 7 d.
        (
            "r3",
            "REELS",
            "VIDEO",
            "2025-01-03T10:00:00Z",
            &[(HOUR + 5 * MINUTE, 300.0), (3 * DAY, 5000.0)],
        ),
        (
            "r4",
            "REELS",
            "VIDEO",
            "2025-01-04T10:00:00Z",
            &[(HOUR, 400.0), (DAY, 1200.0), (7 * DAY, 4000.0)],
        ),
        (
            "f1",
            "FEED",
            "IMAGE",
            "2025-01-02T12:00:00Z",
            &[(HOUR, 9999.0), (DAY, 9999.0), (7 * DAY, 9999.0)],
        ),
    ];
    store
        .write(|b| {
            let account = b.upsert_account(&profile(ALICE, "alice"), at("2025-02-01T00:00:00Z"))?;
            let mut r4 = MediaId(0);
            for (id, product, kind, posted, readings) in posts {
                let media = b.upsert_media(
                    account,
                    &item(id, product, kind, posted),
                    at("2025-02-01T00:00:00Z"),
                )?;
                for (age, value) in readings {
                    let captured = at(posted) + TimeDelta::seconds(*age);
                    b.record_media_metrics(
                        media,
                        captured,
                        &[("reach", *value), ("likes", value / 10.0)],
                    )?;
                }
                if id == "r4" {
                    r4 = media;
                }
            }
            Ok::<_, StoreError>(Posts { account, r4 })
        })
        .unwrap()
}

fn medians(rows: &[AgeMedian]) -> Vec<(i64, Option<f64>, u32)> {
    rows.iter()
        .map(|m| (m.age_seconds, m.median, m.media_count))
        .collect()
}

#[test]
fn median_of_the_other_reels_at_each_age() {
    let (_dir, _path, mut store) = new_store();
    let posts = write_posts(&mut store);
    let peers = PeerQuery {
        filter: MediaFilter::account(posts.account).product_type("REELS"),
        excluding: Some(posts.r4),
    };
    let ages = [hours(1), hours(24), hours(7 * 24), hours(30 * 24)];
    let result = store.median_at_ages(&peers, "reach", &ages).unwrap();
    assert_eq!(
        medians(&result),
        [
            (HOUR, Some(200.0), 3),
            (DAY, Some(950.0), 2),
            (7 * DAY, Some(2500.0), 2),
            (30 * DAY, None, 0)
        ]
    );

    // With r4 itself among the peers.
    let everyone = PeerQuery {
        excluding: None,
        ..peers.clone()
    };
    let result = store
        .median_at_ages(&everyone, "reach", &ages[..3])
        .unwrap();
    assert_eq!(
        medians(&result),
        [
            (HOUR, Some(250.0), 4),
            (DAY, Some(1000.0), 3),
            (7 * DAY, Some(3000.0), 3)
        ]
    );

    // Another metric of the same posts.
    let likes = store.median_at_ages(&peers, "likes", &[hours(24)]).unwrap();
    assert_eq!(medians(&likes), [(DAY, Some(95.0), 2)]);
}

#[test]
fn peers_are_narrowed_by_period_and_media_type() {
    let (_dir, _path, mut store) = new_store();
    let posts = write_posts(&mut store);
    // Only r1 and r2 went up in this period.
    let early = PeerQuery {
        filter: MediaFilter::account(posts.account)
            .product_type("REELS")
            .posted(TimeRange::new(
                at("2025-01-01T00:00:00Z"),
                at("2025-01-03T00:00:00Z"),
            )),
        excluding: None,
    };
    assert_eq!(
        medians(&store.median_at_ages(&early, "reach", &[hours(1)]).unwrap()),
        [(HOUR, Some(150.0), 2)]
    );
    let images = PeerQuery {
        filter: MediaFilter::account(posts.account).media_type("IMAGE"),
        excluding: None,
    };
    assert_eq!(
        medians(
            &store
                .median_at_ages(&images, "reach", &[hours(24)])
                .unwrap()
        ),
        [(DAY, Some(9999.0), 1)]
    );
    assert!(
        store
            .median_at_ages(&images, "reach", &[])
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        medians(
            &store
                .median_at_ages(&images, "no_such_metric", &[hours(1)])
                .unwrap()
        ),
        [(HOUR, None, 0)]
    );
}

#[test]
fn a_post_is_compared_at_the_ages_of_its_own_readings() {
    let (_dir, _path, mut store) = new_store();
    let posts = write_posts(&mut store);
    let curve = store.growth_curve(posts.r4, "reach").unwrap();
    let ages: Vec<TimeDelta> = curve
        .iter()
        .map(|r| TimeDelta::seconds(r.age_seconds))
        .collect();
    let peers = PeerQuery {
        filter: MediaFilter::account(posts.account).product_type("REELS"),
        excluding: Some(posts.r4),
    };
    let medians = store.median_at_ages(&peers, "reach", &ages).unwrap();
    let own: Vec<(i64, f64)> = curve.iter().map(|r| (r.age_seconds, r.value)).collect();
    let against: Vec<(f64, Option<f64>)> = medians
        .iter()
        .map(|m| (value_at_age(&own, m.age_seconds).unwrap(), m.median))
        .collect();
    assert_eq!(
        against,
        [
            (400.0, Some(200.0)),
            (1200.0, Some(950.0)),
            (4000.0, Some(2500.0))
        ]
    );
}

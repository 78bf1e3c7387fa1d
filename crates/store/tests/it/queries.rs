//! The dashboard's and reports' reads over Alice's hand-made data (see `sample.rs`), each
//! with its exact answer.

use insightdesk_store::{
    CaptureState, DayRange, MediaFilter, MediaId, MediaQuery, MediaSort, MediaTypeCount, Store,
    StoreError, SyncStatus, TimeRange,
};

use crate::sample::{Alice, alice_store, at, day};

fn ids(page: &insightdesk_store::MediaPage) -> Vec<&str> {
    page.rows
        .iter()
        .map(|r| r.media.item.ig_media_id.as_str())
        .collect()
}

fn page(store: &Store, filter: MediaFilter, sort: MediaSort, descending: bool) -> Vec<String> {
    let query = MediaQuery {
        filter,
        sort,
        descending,
        limit: 50,
        offset: 0,
    };
    ids(&store.media_page(&query).unwrap())
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[test]
fn account_series_with_and_without_breakdowns() {
    let (_dir, _path, store, alice) = alice_store();
    let plain = store
        .account_daily_series(
            alice.account,
            "reach",
            None,
            DayRange::new(day("2025-03-02"), day("2025-03-04")),
        )
        .unwrap();
    let plain: Vec<(String, Option<String>, f64)> = plain
        .into_iter()
        .map(|v| (v.day.to_string(), v.breakdown_value, v.value))
        .collect();
    assert_eq!(
        plain,
        [
            ("2025-03-02".to_owned(), None, 1100.0),
            ("2025-03-03".to_owned(), None, 1200.0),
            ("2025-03-04".to_owned(), None, 1300.0),
        ]
    );

    let by_type = store
        .account_daily_series(
            alice.account,
            "reach",
            Some("media_product_type"),
            DayRange::new(day("2025-03-01"), day("2025-03-07")),
        )
        .unwrap();
    let by_type: Vec<(String, String, f64)> = by_type
        .into_iter()
        .map(|v| (v.day.to_string(), v.breakdown_value.unwrap(), v.value))
        .collect();
    assert_eq!(
        by_type,
        [
            ("2025-03-01".to_owned(), "POST".to_owned(), 600.0),
            ("2025-03-01".to_owned(), "REEL".to_owned(), 400.0),
            ("2025-03-02".to_owned(), "REEL".to_owned(), 700.0),
        ]
    );
    let unknown = store
        .account_daily_series(
            alice.account,
            "impressions",
            None,
            DayRange::ending(day("2025-03-07"), 7),
        )
        .unwrap();
    assert!(unknown.is_empty());
}

#[test]
fn kpi_totals_sum_the_days_of_the_range() {
    let (_dir, _path, store, alice) = alice_store();
    let totals = store
        .account_metric_totals(alice.account, DayRange::ending(day("2025-03-07"), 7))
        .unwrap();
    let totals: Vec<(&str, f64, u32)> = totals
        .iter()
        .map(|t| (t.metric.as_str(), t.sum, t.days))
        .collect();
    assert_eq!(totals, [("reach", 9100.0, 7), ("views", 10500.0, 2)]);

    let last_two = store
        .account_metric_totals(alice.account, DayRange::ending(day("2025-03-07"), 2))
        .unwrap();
    assert_eq!(last_two.len(), 1);
    assert_eq!((last_two[0].sum, last_two[0].days), (3100.0, 2));
}

#[test]
fn followers_series_has_the_snapshots_of_the_range() {
    let (_dir, _path, store, alice) = alice_store();
    let series = store
        .followers_series(
            alice.account,
            DayRange::new(day("2025-03-01"), day("2025-03-03")),
        )
        .unwrap();
    let series: Vec<(String, i64)> = series
        .iter()
        .map(|p| (p.day.to_string(), p.followers_count))
        .collect();
    assert_eq!(
        series,
        [
            ("2025-03-01".to_owned(), 5000),
            ("2025-03-02".to_owned(), 5010)
        ]
    );
}

#[test]
fn content_table_sorts_filters_and_pages() {
    let (_dir, _path, store, alice) = alice_store();
    let all = MediaFilter::account(alice.account);
    let reach = || MediaSort::Metric("reach".into());

    assert_eq!(
        page(&store, all.clone(), reach(), true),
        ["p2", "p1", "p3", "s1", "s2"]
    );
    assert_eq!(
        page(&store, all.clone(), reach(), false),
        ["s2", "s1", "p3", "p1", "p2"]
    );
    // Posts without the metric come last, newest first among themselves.
    assert_eq!(
        page(&store, all.clone(), MediaSort::Metric("saved".into()), true),
        ["p2", "s2", "s1", "p3", "p1"]
    );
    assert_eq!(
        page(
            &store,
            all.clone(),
            MediaSort::Metric("no_such_metric".into()),
            true
        ),
        ["s2", "s1", "p3", "p2", "p1"]
    );
    assert_eq!(
        page(
            &store,
            all.clone().product_type("FEED"),
            MediaSort::PostedAt,
            true
        ),
        ["p3", "p1"]
    );
    assert_eq!(
        page(
            &store,
            all.clone().product_type("FEED").media_type("IMAGE"),
            reach(),
            true
        ),
        ["p1"]
    );
    assert_eq!(
        page(
            &store,
            all.clone().caption_contains("flowers"),
            MediaSort::PostedAt,
            true
        ),
        ["p3", "p1"]
    );
    // LIKE's wildcards in the search text match only themselves.
    for literal in ["%", "_", "sale_", "50%"] {
        assert!(
            page(
                &store,
                all.clone().caption_contains(literal),
                MediaSort::PostedAt,
                true
            )
            .is_empty(),
            "{literal}"
        );
    }
    assert_eq!(
        page(
            &store,
            all.clone().caption_contains("sale!"),
            MediaSort::PostedAt,
            true
        ),
        ["p1"]
    );
    let march_2_to_6 = TimeRange::new(at("2025-03-02T00:00:00Z"), at("2025-03-06T00:00:00Z"));
    assert_eq!(
        page(
            &store,
            all.clone().posted(march_2_to_6),
            MediaSort::PostedAt,
            false
        ),
        ["p2", "p3"]
    );

    let second_page = store
        .media_page(&MediaQuery {
            filter: all,
            sort: reach(),
            descending: true,
            limit: 2,
            offset: 1,
        })
        .unwrap();
    assert_eq!(second_page.total, 5);
    assert_eq!(ids(&second_page), ["p1", "p3"]);

    let p2 = &store
        .media_page(&MediaQuery {
            filter: MediaFilter::account(alice.account),
            sort: reach(),
            descending: true,
            limit: 1,
            offset: 0,
        })
        .unwrap()
        .rows[0];
    let latest: Vec<(&str, f64, i64)> = p2
        .latest
        .iter()
        .map(|(name, r)| (name.as_str(), r.value, r.age_seconds))
        .collect();
    assert_eq!(
        latest,
        [
            ("likes", 120.0, 86_400),
            ("reach", 900.0, 86_400),
            ("saved", 7.0, 86_400)
        ]
    );
    assert_eq!(p2.latest["reach"].captured_at, at("2025-03-04T18:30:00Z"));
    assert_eq!(p2.media.item.caption.as_deref(), Some("Behind the scenes"));
}

#[test]
fn growth_curve_is_the_posts_readings_in_order() {
    let (_dir, _path, store, alice) = alice_store();
    let curve = store.growth_curve(alice.p2, "likes").unwrap();
    let curve: Vec<(i64, f64)> = curve.iter().map(|r| (r.age_seconds, r.value)).collect();
    assert_eq!(curve, [(3600, 50.0), (86_400, 120.0)]);
    assert!(store.growth_curve(alice.p3, "saved").unwrap().is_empty());
}

#[test]
fn stories_come_with_their_capture_state_and_latest_readings() {
    let (_dir, _path, store, alice) = alice_store();
    let stories = store
        .stories(
            alice.account,
            TimeRange::new(at("2025-03-06T00:00:00Z"), at("2025-03-07T00:00:00Z")),
        )
        .unwrap();
    let summary: Vec<(&str, Option<CaptureState>, f64)> = stories
        .iter()
        .map(|s| {
            (
                s.media.item.ig_media_id.as_str(),
                s.capture,
                s.latest["reach"].value,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "s2",
                Some(CaptureState::LastSeen {
                    at: at("2025-03-06T21:00:00Z")
                }),
                20.0
            ),
            (
                "s1",
                Some(CaptureState::Final {
                    at: at("2025-03-07T08:00:00Z")
                }),
                80.0
            ),
        ]
    );
    assert!(
        store
            .stories(
                alice.account,
                TimeRange::new(at("2025-03-07T00:00:00Z"), at("2025-03-08T00:00:00Z"))
            )
            .unwrap()
            .is_empty()
    );
}

#[test]
fn latest_demographics_take_the_newest_snapshot_of_each_breakdown() {
    let (_dir, _path, store, alice) = alice_store();
    let latest = store.latest_demographics(alice.account).unwrap();
    let summary: Vec<String> = latest
        .iter()
        .map(|d| {
            let buckets: Vec<String> = d
                .buckets
                .iter()
                .map(|b| format!("{}={}", b.value_key, b.value))
                .collect();
            format!(
                "{} {:?} {} {}: {}",
                d.metric,
                d.timeframe,
                d.dimension,
                d.snapshot_day,
                buckets.join(" ")
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            r#"engaged_audience_demographics Some("this_week") country 2025-03-08: US=40 DE=10"#,
            "follower_demographics None age 2025-03-08: 25-34=30 18-24=12 35-44=5",
        ]
    );
}

#[test]
fn posting_times_carry_the_latest_value_of_each_requested_metric() {
    let (_dir, _path, store, alice) = alice_store();
    let times = store
        .posting_times(&MediaFilter::account(alice.account), &["reach", "saved"])
        .unwrap();
    let summary: Vec<String> = times
        .iter()
        .map(|t| {
            let media = store.media(t.media_id).unwrap().unwrap();
            let values: Vec<String> = t.values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!(
                "{} {} {}: {}",
                t.product_type,
                media.item.ig_media_id,
                t.posted_at.format("%a %H:%M"),
                values.join(" ")
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "FEED p1 Sat 10:00: reach=400",
            "REELS p2 Mon 18:30: reach=900 saved=7",
            "FEED p3 Wed 08:00: reach=200",
            "STORY s1 Thu 09:00: reach=80",
            "STORY s2 Thu 20:00: reach=20",
        ]
    );
}

#[test]
fn media_totals_and_type_counts_for_the_overview() {
    let (_dir, _path, store, alice) = alice_store();
    let feed = MediaFilter::account(alice.account).product_type("FEED");
    let totals = store
        .media_totals(&feed, &["reach", "likes", "saved"])
        .unwrap();
    let totals: Vec<(&str, f64, u32)> = totals
        .iter()
        .map(|t| (t.metric.as_str(), t.sum, t.media_count))
        .collect();
    assert_eq!(
        totals,
        [("reach", 600.0, 2), ("likes", 70.0, 2), ("saved", 0.0, 0)]
    );

    let counts = store
        .media_type_counts(&MediaFilter::account(alice.account))
        .unwrap();
    let count = |p: &str, m: &str| MediaTypeCount {
        product_type: p.into(),
        media_type: m.into(),
        count: 1,
    };
    assert_eq!(
        counts,
        [
            count("FEED", "CAROUSEL_ALBUM"),
            count("FEED", "IMAGE"),
            count("REELS", "VIDEO"),
            count("STORY", "IMAGE"),
            count("STORY", "VIDEO"),
        ]
    );
}

fn add_notes(store: &mut Store, alice: &Alice) {
    store
        .write(|b| {
            let now = at("2025-03-20T00:00:00Z");
            b.add_annotation(
                alice.account,
                at("2025-03-02T12:00:00Z"),
                None,
                "Started ads",
                now,
            )?;
            b.add_annotation(
                alice.account,
                at("2025-03-10T00:00:00Z"),
                Some(at("2025-03-15T00:00:00Z")),
                "Vacation",
                now,
            )?;
            b.add_annotation(
                alice.account,
                at("2025-03-20T09:00:00Z"),
                None,
                "Launch",
                now,
            )?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

#[test]
fn annotations_overlapping_a_range() {
    let (_dir, _path, mut store, alice) = alice_store();
    add_notes(&mut store, &alice);
    let texts = |start: &str, end: &str| -> Vec<String> {
        store
            .annotations(alice.account, TimeRange::new(at(start), at(end)))
            .unwrap()
            .into_iter()
            .map(|a| a.text)
            .collect()
    };
    assert_eq!(
        texts("2025-03-01T00:00:00Z", "2025-03-11T00:00:00Z"),
        ["Started ads", "Vacation"]
    );
    assert_eq!(
        texts("2025-03-12T00:00:00Z", "2025-03-13T00:00:00Z"),
        ["Vacation"]
    );
    // The range's end is excluded, its start included.
    assert!(texts("2025-03-16T00:00:00Z", "2025-03-20T09:00:00Z").is_empty());
    assert_eq!(
        texts("2025-03-20T09:00:00Z", "2025-03-21T00:00:00Z"),
        ["Launch"]
    );
}

#[test]
fn sync_runs_newest_first() {
    let (_dir, _path, mut store, alice) = alice_store();
    let runs = store
        .write(|b| {
            let first =
                b.start_sync_run(Some(alice.account), "schedule", at("2025-03-10T06:00:00Z"))?;
            b.finish_sync_run(
                first,
                SyncStatus::Failed,
                at("2025-03-10T06:01:00Z"),
                Some("Instagram is not answering."),
            )?;
            let second = b.start_sync_run(None, "cli", at("2025-03-10T07:00:00Z"))?;
            b.finish_sync_run(
                second,
                SyncStatus::Cancelled,
                at("2025-03-10T07:00:30Z"),
                None,
            )?;
            let third =
                b.start_sync_run(Some(alice.account), "user", at("2025-03-10T08:00:00Z"))?;
            Ok::<_, StoreError>([first, second, third])
        })
        .unwrap();
    let listed: Vec<_> = store
        .sync_runs(None, 10)
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.status))
        .collect();
    assert_eq!(
        listed,
        [
            (runs[2], SyncStatus::Running),
            (runs[1], SyncStatus::Cancelled),
            (runs[0], SyncStatus::Failed)
        ]
    );
    let alices: Vec<_> = store
        .sync_runs(Some(alice.account), 1)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(alices, [runs[2]]);
    assert_eq!(
        store.sync_run(runs[0]).unwrap().unwrap().error.as_deref(),
        Some("Instagram is not answering.")
    );
}

#[test]
fn lookups_by_metas_ids() {
    let (_dir, _path, store, alice) = alice_store();
    let account = store
        .account_by_ig_id(crate::sample::ALICE)
        .unwrap()
        .unwrap();
    assert_eq!(account.id, alice.account);
    assert_eq!(
        store
            .account(alice.account)
            .unwrap()
            .unwrap()
            .profile
            .username,
        "alice"
    );
    assert_eq!(store.media_by_ig_id("p3").unwrap().unwrap().id, alice.p3);
    assert_eq!(
        store.media(alice.p3).unwrap().unwrap().item.media_type,
        "CAROUSEL_ALBUM"
    );
    assert!(store.media_by_ig_id("p9").unwrap().is_none());
    assert!(store.media(MediaId(9999)).unwrap().is_none());
    assert_eq!(
        store.metric_names().unwrap(),
        [
            "engaged_audience_demographics",
            "follower_demographics",
            "likes",
            "navigation",
            "reach",
            "saved",
            "views"
        ]
    );
}

#[test]
fn posting_times_refuse_more_metrics_than_they_can_carry() {
    let (_dir, _path, store, alice) = alice_store();
    let many = ["reach"; insightdesk_store::POSTING_TIME_METRICS + 1];
    let error = store
        .posting_times(&MediaFilter::account(alice.account), &many)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Insightdesk can compare at most 8 metrics at once; 9 were asked for."
    );
    let most = ["reach"; insightdesk_store::POSTING_TIME_METRICS];
    assert_eq!(
        store
            .posting_times(&MediaFilter::account(alice.account), &most)
            .unwrap()
            .len(),
        5
    );
}

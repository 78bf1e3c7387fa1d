//! Writes: idempotent upserts, atomic batches, and the merge rules of each table.

use insightdesk_store::{
    ArchivedResponse, CaptureState, Comment, DemographicsSnapshot, LoginKind, Mention, MetricScope,
    RawResponseId, Store, StoreError, SyncStatus, TimeRange,
};

use crate::sample::{
    ALICE, alice_store, at, daily, day, hours, item, new_store, profile, write_alice,
};

#[test]
fn writing_everything_twice_changes_nothing() {
    let (_dir, _path, mut store, _alice) = alice_store();
    let dump = store.canonical_dump().unwrap();
    let counts = store.row_counts().unwrap();

    // The same content again, fetched a day later.
    store
        .write(|batch| {
            write_alice(batch, at("2025-03-11T00:00:00Z"));
            Ok::<_, StoreError>(())
        })
        .unwrap();

    assert_eq!(store.row_counts().unwrap(), counts);
    assert_eq!(store.canonical_dump().unwrap(), dump);
    assert_eq!(counts["media"], 5);
    assert_eq!(counts["media_metric"], 14);
    assert_eq!(counts["account_daily"], 13);
    assert_eq!(counts["demographics_bucket"], 7);
}

#[test]
fn an_error_mid_batch_leaves_nothing_behind() {
    let (_dir, _path, mut store) = new_store();
    let result = store.write(|batch| {
        let account = batch.upsert_account(&profile(ALICE, "alice"), at("2025-03-10T00:00:00Z"))?;
        let media = batch.upsert_media(
            account,
            &item("p1", "FEED", "IMAGE", "2025-03-01T10:00:00Z"),
            at("2025-03-10T00:00:00Z"),
        )?;
        batch.record_media_metrics(media, at("2025-03-01T11:00:00Z"), &[("reach", 1.0)])?;
        // A post that does not exist: the whole batch must go.
        batch.record_media_metrics(
            insightdesk_store::MediaId(media.0 + 100),
            at("2025-03-01T11:00:00Z"),
            &[("reach", 1.0)],
        )?;
        Ok::<_, StoreError>(())
    });
    let error = result.unwrap_err();
    assert!(matches!(error, StoreError::UnknownMedia(_)), "{error:?}");
    assert!(
        store
            .row_counts()
            .unwrap()
            .values()
            .all(|count| *count == 0)
    );
}

#[test]
fn a_batch_dropped_without_commit_is_rolled_back() {
    let (_dir, _path, mut store) = new_store();
    {
        let mut batch = store.batch().unwrap();
        write_alice(&mut batch, at("2025-03-10T00:00:00Z"));
    }
    assert!(store.accounts().unwrap().is_empty());
    assert!(store.metric_names().unwrap().is_empty());

    // The metric names created by the dropped batch are not reused by id in the next one.
    let mut batch = store.batch().unwrap();
    let alice = write_alice(&mut batch, at("2025-03-10T00:00:00Z"));
    batch.commit().unwrap();
    assert_eq!(store.growth_curve(alice.p1, "reach").unwrap().len(), 2);
    assert_eq!(
        store.integrity_check().unwrap().problems,
        Vec::<String>::new()
    );
}

#[test]
fn a_reading_keeps_the_age_of_the_post_and_a_rewrite_replaces_its_value() {
    let (_dir, _path, mut store, alice) = alice_store();
    store
        .write(|batch| {
            batch.record_media_metrics(alice.p1, at("2025-03-02T10:00:00Z"), &[("reach", 410.0)])
        })
        .unwrap();
    let curve = store.growth_curve(alice.p1, "reach").unwrap();
    let points: Vec<(i64, f64)> = curve.iter().map(|r| (r.age_seconds, r.value)).collect();
    assert_eq!(points, [(3600, 100.0), (86_400, 410.0)]);

    // A reading stamped before the post went up (clock skew) counts as age 0.
    store
        .write(|batch| {
            batch.record_media_metrics(alice.p1, at("2025-03-01T09:59:00Z"), &[("reach", 0.0)])
        })
        .unwrap();
    assert_eq!(
        store.growth_curve(alice.p1, "reach").unwrap()[0].age_seconds,
        0
    );
}

#[test]
fn the_latest_reading_is_the_newest_whatever_order_readings_arrive_in() {
    let (_dir, _path, mut store, alice) = alice_store();
    let latest_reach = |store: &Store| {
        let page = store
            .media_page(&insightdesk_store::MediaQuery {
                filter: insightdesk_store::MediaFilter::account(alice.account)
                    .caption_contains("Spring sale"),
                sort: insightdesk_store::MediaSort::PostedAt,
                descending: true,
                limit: 1,
                offset: 0,
            })
            .unwrap();
        let reading = page.rows[0].latest["reach"];
        (reading.age_seconds, reading.value)
    };
    assert_eq!(latest_reach(&store), (86_400, 400.0));
    // A late-arriving older reading (a replayed step) does not displace the newest.
    store
        .write(|b| {
            b.record_media_metrics(alice.p1, at("2025-03-01T16:00:00Z"), &[("reach", 250.0)])
        })
        .unwrap();
    assert_eq!(latest_reach(&store), (86_400, 400.0));
    // A re-read of the newest one replaces its value; a newer one takes over.
    store
        .write(|b| {
            b.record_media_metrics(alice.p1, at("2025-03-02T10:00:00Z"), &[("reach", 420.0)])
        })
        .unwrap();
    assert_eq!(latest_reach(&store), (86_400, 420.0));
    store
        .write(|b| {
            b.record_media_metrics(alice.p1, at("2025-03-04T10:00:00Z"), &[("reach", 500.0)])
        })
        .unwrap();
    assert_eq!(latest_reach(&store), (3 * 86_400, 500.0));
    let curve: Vec<f64> = store
        .growth_curve(alice.p1, "reach")
        .unwrap()
        .iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(curve, [100.0, 250.0, 420.0, 500.0]);
}

#[test]
fn a_corrected_posting_time_moves_the_ages_of_its_readings() {
    let (_dir, _path, mut store, alice) = alice_store();
    // Meta's timestamp for p1 turns out to be an hour earlier.
    store
        .write(|b| {
            let mut p1 = item("p1", "FEED", "IMAGE", "2025-03-01T09:00:00Z");
            p1.caption = Some("Spring sale! #flowers".into());
            b.upsert_media(alice.account, &p1, at("2025-03-11T00:00:00Z"))
        })
        .unwrap();
    let ages: Vec<i64> = store
        .growth_curve(alice.p1, "reach")
        .unwrap()
        .iter()
        .map(|r| r.age_seconds)
        .collect();
    assert_eq!(ages, [2 * 3600, 25 * 3600]);
    let times = store
        .posting_times(
            &insightdesk_store::MediaFilter::account(alice.account).posted(TimeRange::new(
                at("2025-03-01T00:00:00Z"),
                at("2025-03-02T00:00:00Z"),
            )),
            &["reach"],
        )
        .unwrap();
    assert_eq!(times.len(), 1);
    assert_eq!(times[0].posted_at, at("2025-03-01T09:00:00Z"));
    assert_eq!(times[0].values["reach"], 400.0);
    let totals = store
        .media_totals(
            &insightdesk_store::MediaFilter::account(alice.account).posted(TimeRange::new(
                at("2025-03-01T08:30:00Z"),
                at("2025-03-01T09:30:00Z"),
            )),
            &["reach"],
        )
        .unwrap();
    assert_eq!((totals[0].media_count, totals[0].sum), (1, 400.0));
}

#[test]
fn a_reread_account_day_replaces_the_value_and_its_fetch_time() {
    let (_dir, _path, mut store, alice) = alice_store();
    store
        .write(|batch| {
            batch.record_account_daily(
                alice.account,
                &[daily("reach", "2025-03-07", 1750.0)],
                at("2025-03-12T00:00:00Z"),
            )
        })
        .unwrap();
    let series = store
        .account_daily_series(
            alice.account,
            "reach",
            None,
            insightdesk_store::DayRange::new(day("2025-03-06"), day("2025-03-07")),
        )
        .unwrap();
    let values: Vec<f64> = series.iter().map(|v| v.value).collect();
    assert_eq!(values, [1500.0, 1750.0]);

    let mut fetched = Vec::new();
    store
        .export_rows(
            insightdesk_store::ExportTable::named("account_daily").unwrap(),
            |row| {
                if row[2].to_string() == "2025-03-07" && row[3].to_string().is_empty() {
                    fetched.push(row[6].to_string());
                }
                Ok::<_, StoreError>(())
            },
        )
        .unwrap();
    assert_eq!(fetched, ["2025-03-12T00:00:00Z"]);
}

#[test]
fn a_story_capture_only_moves_forward() {
    let (_dir, _path, mut store, alice) = alice_store();
    let state = |store: &Store, media| {
        store
            .stories(alice.account, TimeRange::all())
            .unwrap()
            .into_iter()
            .find(|s| s.media.id == media)
            .unwrap()
            .capture
    };
    // s1 is final: a later "last seen" (e.g. an old sync step replayed) does not undo it.
    store
        .write(|b| {
            b.record_story_capture(
                alice.s1,
                CaptureState::LastSeen {
                    at: at("2025-03-07T09:00:00Z"),
                },
            )
        })
        .unwrap();
    assert_eq!(
        state(&store, alice.s1),
        Some(CaptureState::Final {
            at: at("2025-03-07T08:00:00Z")
        })
    );
    // s2 was last seen at 21:00; an earlier sighting does not move it back, a later one does.
    store
        .write(|b| {
            b.record_story_capture(
                alice.s2,
                CaptureState::LastSeen {
                    at: at("2025-03-06T20:30:00Z"),
                },
            )?;
            b.record_story_capture(alice.s2, CaptureState::Missed)
        })
        .unwrap();
    assert_eq!(
        state(&store, alice.s2),
        Some(CaptureState::LastSeen {
            at: at("2025-03-06T21:00:00Z")
        })
    );
    store
        .write(|b| {
            b.record_story_capture(
                alice.s2,
                CaptureState::LastSeen {
                    at: at("2025-03-07T19:00:00Z"),
                },
            )
        })
        .unwrap();
    assert_eq!(
        state(&store, alice.s2),
        Some(CaptureState::LastSeen {
            at: at("2025-03-07T19:00:00Z")
        })
    );
    // A story first recorded as missed can still be upgraded by a later capture.
    let s3 = store
        .write(|b| {
            let s3 = b.upsert_media(
                alice.account,
                &item("s3", "STORY", "IMAGE", "2025-03-08T09:00:00Z"),
                at("2025-03-10T00:00:00Z"),
            )?;
            b.record_story_capture(s3, CaptureState::Missed)?;
            Ok::<_, StoreError>(s3)
        })
        .unwrap();
    assert_eq!(state(&store, s3), Some(CaptureState::Missed));
    store
        .write(|b| {
            b.record_story_capture(
                s3,
                CaptureState::Final {
                    at: at("2025-03-09T08:00:00Z"),
                },
            )
        })
        .unwrap();
    assert_eq!(
        state(&store, s3),
        Some(CaptureState::Final {
            at: at("2025-03-09T08:00:00Z")
        })
    );
}

#[test]
fn rewriting_a_demographics_snapshot_replaces_its_buckets() {
    let (_dir, _path, mut store, alice) = alice_store();
    store
        .write(|b| {
            b.record_demographics(
                alice.account,
                &DemographicsSnapshot {
                    metric: "follower_demographics".into(),
                    timeframe: None,
                    dimension: "age".into(),
                    snapshot_day: day("2025-03-08"),
                    buckets: vec![("25-34".into(), 31.0), ("45-54".into(), 2.0)],
                },
                at("2025-03-08T12:00:00Z"),
            )
        })
        .unwrap();
    let latest = store.latest_demographics(alice.account).unwrap();
    let age = latest.iter().find(|d| d.dimension == "age").unwrap();
    let buckets: Vec<(&str, f64)> = age
        .buckets
        .iter()
        .map(|b| (b.value_key.as_str(), b.value))
        .collect();
    assert_eq!(buckets, [("25-34", 31.0), ("45-54", 2.0)]);
}

#[test]
fn a_post_is_never_moved_to_another_account() {
    let (_dir, _path, mut store, _alice) = alice_store();
    let error = store
        .write(|b| {
            let bob = b.upsert_account(
                &profile("17841400000000002", "bob"),
                at("2025-03-10T00:00:00Z"),
            )?;
            b.upsert_media(
                bob,
                &item("p1", "FEED", "IMAGE", "2025-03-01T10:00:00Z"),
                at("2025-03-10T00:00:00Z"),
            )
        })
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::MediaOfAnotherAccount { ig_media_id } if ig_media_id == "p1"),
        "{error:?}"
    );
    // The failed batch also took Bob's account with it.
    assert_eq!(store.accounts().unwrap().len(), 1);
}

#[test]
fn the_archive_keeps_one_row_per_distinct_answer_and_gives_the_body_back() {
    let (_dir, _path, mut store, alice) = alice_store();
    let body = br#"{"data":[{"name":"reach","period":"day","values":[{"value":1200,"end_time":"2025-03-02T08:00:00+0000"}]}]}"#;
    let response = ArchivedResponse {
        account: Some(alice.account),
        endpoint: "/v24.0/17841400000000001/insights?metric=reach&period=day",
        api_version: "v24.0",
        body,
    };
    let first = store
        .write(|b| b.archive_response(&response, at("2025-03-02T09:00:00Z")))
        .unwrap();
    let again = store
        .write(|b| b.archive_response(&response, at("2025-03-02T10:00:00Z")))
        .unwrap();
    assert_eq!(first, again);
    let changed = store
        .write(|b| {
            b.archive_response(
                &ArchivedResponse {
                    body: br#"{"data":[]}"#,
                    ..response
                },
                at("2025-03-02T11:00:00Z"),
            )
        })
        .unwrap();
    assert_ne!(first, changed);

    let listed = store
        .raw_responses(TimeRange::all(), Some("/v24.0/17841400000000001/insights"))
        .unwrap();
    let ids: Vec<RawResponseId> = listed.iter().map(|r| r.id).collect();
    assert_eq!(ids, [first, changed]);
    assert_eq!(listed[0].fetched_at, at("2025-03-02T09:00:00Z"));
    assert_eq!(listed[0].body_len, body.len() as u64);
    assert_eq!(store.raw_response_body(first).unwrap().unwrap(), body);
    assert!(
        store
            .raw_responses(TimeRange::all(), Some("/v24.0/other"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_archive_refuses_an_address_with_a_token() {
    let (_dir, _path, mut store) = new_store();
    let error = store
        .write(|b| {
            b.archive_response(
                &ArchivedResponse {
                    account: None,
                    endpoint: "/v24.0/me?fields=id&access_token=EAABsecret",
                    api_version: "v24.0",
                    body: b"{}",
                },
                at("2025-03-02T09:00:00Z"),
            )
        })
        .unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, StoreError::CredentialInEndpoint { .. }),
        "{message}"
    );
    assert!(!message.contains("EAABsecret"), "{message}");
}

#[test]
fn metric_exclusions_are_learned_updated_and_forgotten() {
    let (_dir, _path, mut store, alice) = alice_store();
    let reels = MetricScope::media(
        alice.account,
        LoginKind::Facebook,
        Some("REELS"),
        Some("VIDEO"),
    );
    let page = MetricScope::media(alice.account, LoginKind::Facebook, None, None);
    let totals = MetricScope::user(alice.account, LoginKind::Facebook, Some("total_value"));
    let series = MetricScope::user(alice.account, LoginKind::Facebook, Some("time_series"));
    let learned = at("2025-03-01T00:00:00Z");
    store
        .write(|b| {
            b.exclude_metric(
                &reels,
                "profile_visits",
                "(#100) does not support",
                "v23.0",
                learned,
            )?;
            b.exclude_metric(
                &reels,
                "impressions",
                "(#100) no longer supported",
                "v22.0",
                learned,
            )?;
            b.exclude_metric(
                &series,
                "website_clicks",
                "(#100) metric_type=total_value",
                "v24.0",
                learned,
            )?;
            // Learned again under a newer version: one row, newest facts.
            b.exclude_metric(
                &reels,
                "profile_visits",
                "(#100) still not",
                "v24.0",
                at("2025-03-05T00:00:00Z"),
            )
        })
        .unwrap();

    // Scopes match exactly: the reels exclusion says nothing about expanded media pages, and
    // a metric refused as a time series may still answer as a total.
    assert!(store.is_metric_excluded(&reels, "impressions").unwrap());
    assert!(!store.is_metric_excluded(&page, "impressions").unwrap());
    assert!(store.is_metric_excluded(&series, "website_clicks").unwrap());
    assert!(!store.is_metric_excluded(&totals, "website_clicks").unwrap());
    assert!(!store.is_metric_excluded(&reels, "never_seen").unwrap());

    let all = store.metric_exclusions(alice.account).unwrap();
    let summary: Vec<String> = all
        .iter()
        .map(|e| {
            format!(
                "{} {:?} {:?} {:?} {}: {} ({})",
                e.scope.level.as_str(),
                e.scope.product_type,
                e.scope.media_type,
                e.scope.metric_type,
                e.metric,
                e.reason,
                e.api_version
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            r#"media Some("REELS") Some("VIDEO") None impressions: (#100) no longer supported (v22.0)"#,
            r#"media Some("REELS") Some("VIDEO") None profile_visits: (#100) still not (v24.0)"#,
            r#"user None None Some("time_series") website_clicks: (#100) metric_type=total_value (v24.0)"#,
        ]
    );
    assert_eq!(all[1].learned_at, at("2025-03-05T00:00:00Z"));
    assert_eq!(all[1].scope, reels);

    assert!(
        store
            .write(|b| b.forget_metric_exclusion(&reels, "impressions"))
            .unwrap()
    );
    assert!(
        !store
            .write(|b| b.forget_metric_exclusion(&reels, "impressions"))
            .unwrap()
    );
    assert!(!store.is_metric_excluded(&reels, "impressions").unwrap());
    assert_eq!(store.metric_exclusions(alice.account).unwrap().len(), 2);
}

#[test]
fn a_sync_run_records_progress_counters_and_warnings() {
    let (_dir, _path, mut store, alice) = alice_store();
    let run = store
        .write(|b| b.start_sync_run(Some(alice.account), "schedule", at("2025-03-10T06:00:00Z")))
        .unwrap();
    store
        .write(|b| {
            b.save_sync_progress(run, r#"{"step":"media","after":"QVFIUk"}"#)?;
            b.add_sync_counters(run, &[("http_requests", 3), ("rows_written", 40)])?;
            b.add_sync_warning(run, "Instagram no longer provides impressions for reels.")
        })
        .unwrap();
    store
        .write(|b| {
            b.add_sync_counters(run, &[("http_requests", 2)])?;
            b.add_sync_warning(run, "Instagram no longer provides impressions for reels.")?;
            b.add_sync_warning(run, "Story 1790 had fewer than 5 viewers.")
        })
        .unwrap();

    let unfinished = store
        .unfinished_sync_run(Some(alice.account))
        .unwrap()
        .unwrap();
    assert_eq!(unfinished.id, run);
    assert_eq!(unfinished.status, SyncStatus::Running);
    assert_eq!(
        unfinished.resume_state.as_deref(),
        Some(r#"{"step":"media","after":"QVFIUk"}"#)
    );
    assert_eq!(unfinished.counters["http_requests"], 5);
    assert_eq!(unfinished.counters["rows_written"], 40);
    assert_eq!(
        unfinished.warnings,
        [
            "Instagram no longer provides impressions for reels.",
            "Story 1790 had fewer than 5 viewers."
        ]
    );
    assert!(store.unfinished_sync_run(None).unwrap().is_none());

    store
        .write(|b| b.finish_sync_run(run, SyncStatus::Succeeded, at("2025-03-10T06:02:00Z"), None))
        .unwrap();
    assert!(
        store
            .unfinished_sync_run(Some(alice.account))
            .unwrap()
            .is_none()
    );
    let finished = store.sync_run(run).unwrap().unwrap();
    assert_eq!(finished.status, SyncStatus::Succeeded);
    assert_eq!(finished.finished_at, Some(at("2025-03-10T06:02:00Z")));

    let missing = insightdesk_store::SyncRunId(run.0 + 1);
    let error = store
        .write(|b| b.save_sync_progress(missing, "{}"))
        .unwrap_err();
    assert!(matches!(error, StoreError::UnknownSyncRun(_)), "{error:?}");
    let error = store
        .write(|b| b.add_sync_counters(missing, &[("x", 1)]))
        .unwrap_err();
    assert!(matches!(error, StoreError::UnknownSyncRun(_)), "{error:?}");
}

#[test]
fn fetch_state_tells_the_sync_what_is_still_fresh() {
    let (_dir, _path, mut store, alice) = alice_store();
    store
        .write(|b| {
            b.mark_fetched(
                alice.account,
                "demographics",
                at("2025-03-08T00:00:00Z"),
                None,
            )?;
            b.mark_fetched(
                alice.account,
                "media_list",
                at("2025-03-10T05:00:00Z"),
                Some("QVFIUk"),
            )
        })
        .unwrap();
    let now = at("2025-03-10T06:00:00Z");
    assert!(
        store
            .is_fresh(alice.account, "media_list", hours(2), now)
            .unwrap()
    );
    assert!(
        !store
            .is_fresh(alice.account, "media_list", hours(1), now)
            .unwrap()
    );
    assert!(
        store
            .is_fresh(alice.account, "demographics", hours(7 * 24), now)
            .unwrap()
    );
    assert!(
        !store
            .is_fresh(alice.account, "account_daily", hours(24), now)
            .unwrap()
    );

    let kinds: Vec<(String, Option<String>)> = store
        .fetch_states(alice.account)
        .unwrap()
        .into_iter()
        .map(|s| (s.data_kind, s.cursor))
        .collect();
    assert_eq!(
        kinds,
        [
            ("demographics".to_owned(), None),
            ("media_list".to_owned(), Some("QVFIUk".to_owned()))
        ]
    );
}

#[test]
fn settings_alerts_comments_and_mentions_round_trip() {
    let (_dir, _path, mut store, alice) = alice_store();
    store
        .write(|b| {
            b.set_setting("time_zone", "Europe/Berlin")?;
            b.set_setting("time_zone", "Europe/Paris")?;
            b.set_setting("theme", "dark")?;
            b.delete_setting("theme")?;
            b.set_alert_state(
                alice.account,
                "token_expiry",
                r#"{"warned_days":7}"#,
                Some(at("2025-03-09T00:00:00Z")),
                at("2025-03-09T00:00:00Z"),
            )?;
            let comment = Comment {
                ig_comment_id: "c1".into(),
                ig_media_id: "p1".into(),
                parent_ig_comment_id: None,
                username: Some("carol".into()),
                text: "Love it".into(),
                commented_at: Some(at("2025-03-01T12:00:00Z")),
                source: "webhook".into(),
            };
            b.upsert_comment(alice.account, &comment, at("2025-03-01T12:00:05Z"))?;
            b.upsert_comment(
                alice.account,
                &Comment {
                    text: "Love it!".into(),
                    source: "poll".into(),
                    ..comment
                },
                at("2025-03-02T00:00:00Z"),
            )?;
            let mention = Mention {
                ig_media_id: "m9".into(),
                ig_comment_id: None,
                username: Some("dave".into()),
                text: Some("with @alice".into()),
                mentioned_at: Some(at("2025-03-03T00:00:00Z")),
            };
            b.upsert_mention(alice.account, &mention, at("2025-03-03T00:00:00Z"))?;
            b.upsert_mention(alice.account, &mention, at("2025-03-04T00:00:00Z"))
        })
        .unwrap();

    assert_eq!(
        store.setting("time_zone").unwrap().as_deref(),
        Some("Europe/Paris")
    );
    assert_eq!(store.setting("theme").unwrap(), None);
    let alerts = store.alert_states(alice.account).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].state, r#"{"warned_days":7}"#);
    let comments = store.comments(alice.account, Some("p1")).unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(
        (comments[0].text.as_str(), comments[0].source.as_str()),
        ("Love it!", "poll")
    );
    assert!(
        store
            .comments(alice.account, Some("p2"))
            .unwrap()
            .is_empty()
    );
    let mentions = store.mentions(alice.account).unwrap();
    assert_eq!(mentions.len(), 1);
    assert_eq!(mentions[0].ig_comment_id, None);
}

#[test]
fn annotations_are_added_changed_and_deleted() {
    let (_dir, _path, mut store, alice) = alice_store();
    let note = store
        .write(|b| {
            b.add_annotation(
                alice.account,
                at("2025-03-02T12:00:00Z"),
                None,
                "Started ads",
                at("2025-03-02T13:00:00Z"),
            )
        })
        .unwrap();
    assert!(
        store
            .write(|b| b.update_annotation(
                note,
                at("2025-03-02T12:00:00Z"),
                None,
                "Started paid ads",
                at("2025-03-03T00:00:00Z")
            ))
            .unwrap()
    );
    let notes = store.annotations(alice.account, TimeRange::all()).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "Started paid ads");
    assert_eq!(notes[0].created_at, at("2025-03-02T13:00:00Z"));
    assert_eq!(notes[0].updated_at, at("2025-03-03T00:00:00Z"));
    assert!(store.write(|b| b.delete_annotation(note)).unwrap());
    assert!(!store.write(|b| b.delete_annotation(note)).unwrap());
    assert!(
        store
            .annotations(alice.account, TimeRange::all())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn demographics_history_lists_one_metric_day_by_day_within_the_range() {
    let (_dir, _path, mut store, alice) = alice_store();
    store
        .write(|b| {
            for (d, v) in [
                ("2025-03-01", 10.0),
                ("2025-03-02", 20.0),
                ("2025-03-05", 30.0),
            ] {
                b.record_demographics(
                    alice.account,
                    &DemographicsSnapshot {
                        metric: "online_followers".into(),
                        timeframe: None,
                        dimension: "hour".into(),
                        snapshot_day: day(d),
                        buckets: vec![("0".into(), v), ("1".into(), v + 1.0)],
                    },
                    at("2025-03-08T12:00:00Z"),
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let history = store
        .demographics_history(
            alice.account,
            "online_followers",
            "hour",
            insightdesk_store::DayRange::new(day("2025-03-02"), day("2025-03-05")),
        )
        .unwrap();
    let days: Vec<String> = history.iter().map(|d| d.snapshot_day.to_string()).collect();
    assert_eq!(days, ["2025-03-02", "2025-03-05"]);
    assert_eq!(history[1].buckets[0].value_key, "1");
    assert_eq!(history[1].buckets[0].value, 31.0);
    assert!(
        store
            .demographics_history(
                alice.account,
                "follower_demographics",
                "hour",
                insightdesk_store::DayRange::new(day("2025-03-01"), day("2025-03-31")),
            )
            .unwrap()
            .is_empty()
    );
}

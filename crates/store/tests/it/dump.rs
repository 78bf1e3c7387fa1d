//! The canonical dump and the export it is built on.

use insightdesk_store::{
    AccountId, ExportTable, ExportValue, FollowersCounts, StoreError, WriteBatch,
};

use crate::sample::{ALICE, alice_store, at, day, item, new_store, profile, write_alice};

/// An account with one feed image posted at 10:00 UTC on `day_text`, one reach reading an
/// hour later, and that day's follower snapshot; fetched on 10 March 2025.
fn write_small_account(
    b: &mut WriteBatch<'_>,
    ig_user_id: &str,
    username: &str,
    ig_media_id: &str,
    day_text: &str,
    reach: f64,
    followers: i64,
) -> Result<AccountId, StoreError> {
    let fetched = at("2025-03-10T00:00:00Z");
    let account = b.upsert_account(&profile(ig_user_id, username), fetched)?;
    let media = b.upsert_media(
        account,
        &item(
            ig_media_id,
            "FEED",
            "IMAGE",
            &format!("{day_text}T10:00:00Z"),
        ),
        fetched,
    )?;
    b.record_media_metrics(
        media,
        at(&format!("{day_text}T11:00:00Z")),
        &[("reach", reach)],
    )?;
    b.record_followers(
        account,
        day(day_text),
        &FollowersCounts {
            followers_count: followers,
            follows_count: None,
            media_count: Some(1),
        },
        fetched,
    )?;
    Ok(account)
}

#[test]
fn the_dump_of_a_tiny_store_reads_exactly_so() {
    let (_dir, _path, mut store) = new_store();
    store
        .write(|b| {
            let fetched = at("2025-03-10T00:00:00Z");
            let account = write_small_account(b, ALICE, "alice", "p1", "2025-03-01", 12.0, 5000)?;
            let run = b.start_sync_run(Some(account), "cli", fetched)?;
            b.add_sync_counters(run, &[("rows_written", 3)])?;
            b.mark_fetched(account, "media_list", fetched, Some("QVFIUk"))
        })
        .unwrap();
    let expected = r#"insightdesk store, schema 2
## account (ig_user_id, login_kind, username, name, profile_picture_url)
["17841400000000001","facebook","alice",null,null]
## metric (name)
["reach"]
## media (account, ig_media_id, product_type, media_type, posted_at, caption, permalink, media_url, thumbnail_url)
["17841400000000001","p1","FEED","IMAGE","2025-03-01T10:00:00Z",null,"https://www.instagram.com/p/p1/",null,null]
## media_metric (ig_media_id, metric, captured_at, age_seconds, value)
["p1","reach","2025-03-01T11:00:00Z",3600,12.0]
## media_metric_breakdown (ig_media_id, metric, captured_at, dimension, dimension_value, value)
## account_daily (account, metric, day, dimension, dimension_value, value)
## account_window (account, metric, first_day, last_day, dimension, dimension_value, value)
## followers_snapshot (account, day, followers_count, follows_count, media_count)
["17841400000000001","2025-03-01",5000,null,1]
## demographics (account, metric, timeframe, dimension, snapshot_day, dimension_value, value)
## story (ig_media_id, capture_state, seen_at)
## raw_response (account, endpoint, api_version, body_sha256, body_len)
## metric_exclusion (account, login_kind, level, product_type, media_type, metric_type, metric, reason, api_version)
## sync_run (id, account, started_by, status, error, resume_state)
[1,"17841400000000001","cli","running",null,null]
## sync_run_counter (run_id, name, value)
[1,"rows_written",3]
## sync_run_warning (run_id, message)
## annotation (id, account, starts_at, ends_at, text, created_at, updated_at)
## comment (account, ig_comment_id, ig_media_id, parent_ig_comment_id, username, text, commented_at, source)
## mention (account, ig_media_id, ig_comment_id, username, text, mentioned_at)
## alert_state (account, alert, state, last_fired_at)
## setting (key, value)
## fetch_state (account, data_kind, cursor)
["17841400000000001","media_list","QVFIUk"]
"#;
    assert_eq!(store.canonical_dump().unwrap(), expected);
}

#[test]
fn the_same_content_written_in_another_order_dumps_the_same() {
    let (_dir, _path, store, _alice) = alice_store();

    // Another store gets a story and a metric first (so its internal ids differ), then the
    // whole of Alice in two batches, fetched at other times.
    let (_other_dir, _other_path, mut other) = new_store();
    other
        .write(|b| {
            let account = b.upsert_account(&profile(ALICE, "alice"), at("2025-04-01T00:00:00Z"))?;
            let s2 = b.upsert_media(
                account,
                &item("s2", "STORY", "VIDEO", "2025-03-06T20:00:00Z"),
                at("2025-04-01T00:00:00Z"),
            )?;
            b.record_media_metrics(s2, at("2025-03-06T21:00:00Z"), &[("reach", 20.0)])?;
            b.record_account_daily(
                account,
                &[crate::sample::daily("views", "2025-03-02", 5500.0)],
                at("2025-04-01T00:00:00Z"),
            )
        })
        .unwrap();
    other
        .write(|b| {
            write_alice(b, at("2025-04-02T00:00:00Z"));
            Ok::<_, StoreError>(())
        })
        .unwrap();

    let ours = store.canonical_dump().unwrap();
    assert_eq!(other.canonical_dump().unwrap(), ours);
    assert_ne!(
        store.media_by_ig_id("s2").unwrap().unwrap().id,
        other.media_by_ig_id("s2").unwrap().unwrap().id,
        "the test must exercise different internal ids"
    );
    // Dumping twice gives the same text.
    assert_eq!(store.canonical_dump().unwrap(), ours);
}

#[test]
fn a_changed_value_changes_the_dump() {
    let (_dir, _path, mut store, alice) = alice_store();
    let before = store.canonical_dump().unwrap();
    store
        .write(|b| {
            b.record_media_metrics(alice.p3, at("2025-03-06T08:00:00Z"), &[("reach", 201.0)])
        })
        .unwrap();
    let after = store.canonical_dump().unwrap();
    assert_ne!(before, after);
    assert!(
        after.contains(r#"["p3","reach","2025-03-06T08:00:00Z",86400,201.0]"#),
        "{after}"
    );
}

#[test]
fn every_table_is_exported_in_its_stable_order() {
    let (_dir, _path, store, _alice) = alice_store();
    let names: Vec<&str> = ExportTable::all().iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "account",
            "metric",
            "media",
            "media_metric",
            "media_metric_breakdown",
            "account_daily",
            "account_window",
            "followers_snapshot",
            "demographics",
            "story",
            "raw_response",
            "metric_exclusion",
            "sync_run",
            "sync_run_counter",
            "sync_run_warning",
            "annotation",
            "comment",
            "mention",
            "alert_state",
            "setting",
            "fetch_state",
        ]
    );

    let counts = store.row_counts().unwrap();
    for table in ExportTable::all() {
        let mut rows = 0_u64;
        store
            .export_rows(table, |row| {
                assert_eq!(row.len(), table.columns.len());
                rows += 1;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        // Demographics export one row per bucket; the rest one row per stored row.
        let stored = match table.name {
            "demographics" => counts["demographics_bucket"],
            name => counts[name],
        };
        assert_eq!(rows, stored, "{}", table.name);
    }

    assert_eq!(
        exported(&store, "media_metric", None)[..3],
        [
            "p1,likes,2025-03-01T11:00:00Z,3600,10",
            "p1,likes,2025-03-02T10:00:00Z,86400,30",
            "p1,reach,2025-03-01T11:00:00Z,3600,100",
        ]
    );
}

#[test]
fn an_export_visitor_can_stop_the_walk_with_its_own_error() {
    #[derive(Debug)]
    enum CsvError {
        Full,
        Store,
    }
    impl From<StoreError> for CsvError {
        fn from(_: StoreError) -> Self {
            CsvError::Store
        }
    }
    let (_dir, _path, store, _alice) = alice_store();
    let mut seen = 0;
    let result = store.export_rows(ExportTable::named("media_metric").unwrap(), |_| {
        seen += 1;
        if seen == 2 {
            Err(CsvError::Full)
        } else {
            Ok(())
        }
    });
    assert!(matches!(result, Err(CsvError::Full)));
    assert_eq!(seen, 2);
}

#[test]
fn archived_bodies_are_exported_as_text() {
    let (_dir, _path, mut store) = new_store();
    store
        .write(|b| {
            b.archive_response(
                &insightdesk_store::ArchivedResponse {
                    account: None,
                    endpoint: "/v24.0/me?fields=id,username",
                    api_version: "v24.0",
                    body: br#"{"id":"1","username":"alice"}"#,
                },
                at("2025-03-01T00:00:00Z"),
            )
        })
        .unwrap();
    let mut rows = Vec::new();
    store
        .export_rows(ExportTable::named("raw_response").unwrap(), |row| {
            rows.push(row.iter().map(ExportValue::to_string).collect::<Vec<_>>());
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_eq!(
        rows,
        [[
            "",
            "/v24.0/me?fields=id,username",
            "v24.0",
            "56d71e5c3deacb508e126df4bdcf49e2560fac411db651213c963e5326933f3d",
            "29",
            r#"{"id":"1","username":"alice"}"#,
            "2025-03-01T00:00:00Z"
        ]]
    );
}

#[test]
fn a_store_can_be_handed_to_another_thread() {
    let (_dir, _path, store, _alice) = alice_store();
    let dump = std::thread::spawn(move || store.canonical_dump().unwrap())
        .join()
        .unwrap();
    assert!(dump.contains(ALICE));
}

/// Every row of `table` in the export of `account` (every account's with `None`), as text.
fn exported(store: &insightdesk_store::Store, table: &str, account: Option<&str>) -> Vec<String> {
    let mut rows = Vec::new();
    store
        .export_account_rows(ExportTable::named(table).unwrap(), account, |row| {
            rows.push(
                row.iter()
                    .map(ExportValue::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            );
            Ok::<_, StoreError>(())
        })
        .unwrap();
    rows
}

#[test]
fn an_export_of_one_account_holds_only_that_accounts_rows() {
    const BEN: &str = "17841400000000009";
    let (_dir, _path, mut store, alice) = alice_store();
    store
        .write(|b| {
            let fetched = at("2025-03-10T00:00:00Z");
            let ben = write_small_account(b, BEN, "ben", "b1", "2025-03-02", 7.0, 70)?;
            b.record_account_daily(
                ben,
                &[crate::sample::daily("reach", "2025-03-02", 70.0)],
                fetched,
            )?;
            for (account, started_by) in [(ben, "ben's run"), (alice.account, "alice's run")] {
                let run = b.start_sync_run(Some(account), started_by, fetched)?;
                b.add_sync_counters(run, &[("rows_written", 1)])?;
                b.add_sync_warning(run, started_by)?;
            }
            b.add_annotation(ben, fetched, None, "ben's note", fetched)?;
            b.set_setting("ui.theme", "dark")
        })
        .unwrap();

    for table in ExportTable::all() {
        let everything = exported(&store, table.name, None);
        let alices = exported(&store, table.name, Some(ALICE));
        let bens = exported(&store, table.name, Some(BEN));
        match table.name {
            // The names of metrics belong to no account.
            "metric" => {
                assert_eq!(alices, everything);
                assert_eq!(bens, everything);
            }
            // The profile's settings list every account's reports: never in one account's.
            "setting" => {
                assert!(!everything.is_empty());
                assert!(alices.is_empty() && bens.is_empty(), "{alices:?} {bens:?}");
            }
            // Every other row belongs to exactly one of the two.
            name => {
                let mut both: Vec<String> = alices.iter().chain(&bens).cloned().collect();
                let mut all = everything.clone();
                both.sort();
                all.sort();
                assert_eq!(both, all, "{name}");
            }
        }
        for row in &alices {
            assert!(
                !row.contains(BEN) && !row.contains("b1") && !row.contains("ben"),
                "{}: {row}",
                table.name
            );
        }
        for row in &bens {
            assert!(
                !row.contains(ALICE) && !row.contains("p1") && !row.contains("alice"),
                "{}: {row}",
                table.name
            );
        }
    }
    // Tables reached through a post or a run are narrowed too, not only those naming the
    // account.
    assert_eq!(
        exported(&store, "media_metric", Some(BEN)),
        ["b1,reach,2025-03-02T11:00:00Z,3600,7"]
    );
    assert_eq!(
        exported(&store, "sync_run_warning", Some(BEN)),
        ["1,ben's run"]
    );
    assert_eq!(exported(&store, "account", Some(BEN)).len(), 1);
    assert!(exported(&store, "media", Some("17841499999999999")).is_empty());
}

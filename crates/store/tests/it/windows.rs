//! Account totals over windows of days (schema 2): kept apart from daily values, keyed by
//! their window, re-read in place, and refused when they run backwards.

use insightdesk_store::{
    AccountWindowValue, Breakdown, DayRange, ExportTable, StoreError, WindowValue,
};

use crate::sample::{alice_store, at, day};

fn window(
    metric: &str,
    first: &str,
    last: &str,
    cell: Option<(&str, &str)>,
    value: f64,
) -> AccountWindowValue {
    AccountWindowValue {
        metric: metric.to_owned(),
        first_day: day(first),
        last_day: day(last),
        breakdown: cell.map(|(d, v)| Breakdown::new(d, v)),
        value,
    }
}

#[test]
fn window_totals_are_their_own_rows_and_never_join_the_daily_sums() {
    let (_dir, _path, mut store, alice) = alice_store();
    let days_before = store
        .account_metric_totals(
            alice.account,
            DayRange::new(day("2025-02-01"), day("2025-03-31")),
        )
        .unwrap();
    store
        .write(|batch| {
            batch.record_account_window(
                alice.account,
                &[
                    window("views", "2025-02-01", "2025-03-02", None, 9000.0),
                    window(
                        "views",
                        "2025-02-01",
                        "2025-03-02",
                        Some(("media_product_type", "REEL")),
                        6000.0,
                    ),
                    window(
                        "views",
                        "2025-02-01",
                        "2025-03-02",
                        Some(("media_product_type", "POST")),
                        3000.0,
                    ),
                    // The same metric over a shorter window is another reading, not a conflict.
                    window("views", "2025-02-01", "2025-02-28", None, 8500.0),
                    window("reach", "2025-02-01", "2025-03-02", None, 2500.0),
                ],
                at("2025-03-12T00:00:00Z"),
            )
        })
        .unwrap();
    // The daily queries do not see window totals: nothing gets summed with a 30-day total.
    assert_eq!(
        store
            .account_metric_totals(
                alice.account,
                DayRange::new(day("2025-02-01"), day("2025-03-31"))
            )
            .unwrap(),
        days_before
    );
    assert!(
        store
            .account_daily_series(
                alice.account,
                "views",
                None,
                DayRange::new(day("2025-02-01"), day("2025-02-28"))
            )
            .unwrap()
            .is_empty()
    );

    let totals = store
        .account_window_values(
            alice.account,
            "views",
            None,
            DayRange::new(day("2025-03-01"), day("2025-03-31")),
        )
        .unwrap();
    assert_eq!(
        totals,
        [WindowValue {
            first_day: day("2025-02-01"),
            last_day: day("2025-03-02"),
            breakdown_value: None,
            value: 9000.0
        }],
        "only the window that overlaps March"
    );
    let cells = store
        .account_window_values(
            alice.account,
            "views",
            Some("media_product_type"),
            DayRange::new(day("2025-02-15"), day("2025-02-16")),
        )
        .unwrap();
    let cells: Vec<(Option<&str>, f64)> = cells
        .iter()
        .map(|c| (c.breakdown_value.as_deref(), c.value))
        .collect();
    assert_eq!(cells, [(Some("POST"), 3000.0), (Some("REEL"), 6000.0)]);
    assert!(
        store
            .account_window_values(
                alice.account,
                "views",
                None,
                DayRange::new(day("2025-03-03"), day("2025-03-31"))
            )
            .unwrap()
            .is_empty(),
        "a window that ended before the range is not returned"
    );
}

#[test]
fn a_reread_window_replaces_its_value_and_a_backwards_one_is_refused() {
    let (_dir, _path, mut store, alice) = alice_store();
    for (value, fetched) in [
        (100.0, "2025-03-10T00:00:00Z"),
        (120.0, "2025-03-11T00:00:00Z"),
    ] {
        store
            .write(|batch| {
                batch.record_account_window(
                    alice.account,
                    &[window("likes", "2025-01-01", "2025-01-30", None, value)],
                    at(fetched),
                )
            })
            .unwrap();
    }
    let rows = store.row_counts().unwrap()["account_window"];
    assert_eq!(rows, 1);
    let mut seen = Vec::new();
    store
        .export_rows(ExportTable::named("account_window").unwrap(), |row| {
            seen.push(
                row.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("|"),
            );
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_eq!(
        seen,
        [format!(
            "{}|likes|2025-01-01|2025-01-30|||120|2025-03-11T00:00:00Z",
            crate::sample::ALICE
        )]
    );

    let error = store
        .write(|batch| {
            batch.record_account_window(
                alice.account,
                &[window("likes", "2025-01-30", "2025-01-01", None, 1.0)],
                at("2025-03-12T00:00:00Z"),
            )
        })
        .unwrap_err();
    assert!(
        matches!(error, StoreError::BackwardsWindow { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("ends (2025-01-01) before it starts (2025-01-30)"),
        "{error}"
    );
}

#[test]
fn a_store_of_schema_1_gains_the_window_table_and_keeps_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        // A schema-1 file as the previous release wrote it.
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch(include_str!("../../migrations/0001_initial.sql"))
            .unwrap();
        raw.pragma_update(None, "user_version", 1).unwrap();
        raw.execute(
            "INSERT INTO account (ig_user_id, login_kind, username, fetched_at)
             VALUES ('1784', 'facebook', 'old', 0)",
            [],
        )
        .unwrap();
    }
    let mut store = insightdesk_store::Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    let account = store.accounts().unwrap()[0].id;
    store
        .write(|batch| {
            batch.record_account_window(
                account,
                &[window("views", "2025-01-01", "2025-01-30", None, 5.0)],
                at("2025-03-12T00:00:00Z"),
            )
        })
        .unwrap();
    assert_eq!(store.row_counts().unwrap()["account_window"], 1);
    assert!(store.integrity_check().unwrap().is_ok());
}

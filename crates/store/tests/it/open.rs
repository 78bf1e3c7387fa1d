//! Opening files: new, existing, from a newer version, foreign, damaged, unwritable.

use insightdesk_store::{APPLICATION_ID, SCHEMA_VERSION, Store, StoreError};
use rusqlite::Connection;

use crate::sample::{ALICE, alice_store, at, hours, new_store};

fn file_bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_new_file_gets_the_whole_schema_in_wal_mode() {
    let (_dir, path, store) = new_store();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);

    let raw = Connection::open(&path).unwrap();
    let journal: String = raw
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let app: i32 = raw
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    let tables: Vec<String> = raw
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        tables,
        [
            "account",
            "account_daily",
            "account_window",
            "alert_state",
            "annotation",
            "comment",
            "demographics_bucket",
            "demographics_snapshot",
            "fetch_state",
            "followers_snapshot",
            "media",
            "media_metric",
            "media_metric_breakdown",
            "media_metric_latest",
            "mention",
            "metric",
            "metric_exclusion",
            "raw_response",
            "setting",
            "story",
            "sync_run",
            "sync_run_counter",
            "sync_run_warning",
        ]
    );
}

#[test]
fn reopening_keeps_the_data_and_applies_nothing_twice() {
    let (_dir, path, store, _alice) = alice_store();
    let before = store.canonical_dump().unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.canonical_dump().unwrap(), before);
    assert_eq!(store.accounts().unwrap()[0].profile.ig_user_id, ALICE);
    drop(store);
    // A third open of an up-to-date file is just as quiet.
    assert_eq!(
        Store::open(&path).unwrap().canonical_dump().unwrap(),
        before
    );
}

#[test]
fn foreign_keys_are_enforced() {
    let (_dir, _path, mut store) = new_store();
    let error = store
        .write(|batch| {
            batch.record_followers(
                insightdesk_store::AccountId(42),
                crate::sample::day("2025-01-01"),
                &insightdesk_store::FollowersCounts {
                    followers_count: 1,
                    follows_count: None,
                    media_count: None,
                },
                crate::sample::at("2025-01-01T00:00:00Z"),
            )
        })
        .unwrap_err();
    assert!(matches!(error, StoreError::UnknownAccount(42)), "{error:?}");
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_untouched() {
    let (_dir, path, store) = new_store();
    drop(store);
    let raw = Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 7)
        .unwrap();
    drop(raw);
    let before = file_bytes(&path);

    let error = Store::open(&path).unwrap_err();
    assert!(
        matches!(error, StoreError::TooNew { found, supported }
            if found == SCHEMA_VERSION + 7 && supported == SCHEMA_VERSION),
        "{error:?}"
    );
    assert!(error.to_string().contains("Update Insightdesk"), "{error}");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn another_programs_database_is_not_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    drop(raw);
    let before = file_bytes(&path);

    let error = Store::open(&path).unwrap_err();
    assert!(
        matches!(error, StoreError::NotInsightdesk { .. }),
        "{error:?}"
    );
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.sqlite3");
    std::fs::write(
        &path,
        b"this is a holiday photo, not a database".repeat(200),
    )
    .unwrap();

    let error = Store::open(&path).unwrap_err();
    assert!(
        matches!(error, StoreError::NotInsightdesk { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with(&path.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("is not an Insightdesk database"),
        "{message}"
    );
}

/// Alice plus 3,000 more readings, so the reading table spans many pages; checkpointed and
/// closed, so everything is in the main file.
fn store_with_many_pages() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path, mut store, alice) = alice_store();
    store
        .write(|batch| {
            for hour in 0..3000 {
                let captured = at("2025-03-01T10:00:00Z") + hours(hour);
                batch.record_media_metrics(alice.p1, captured, &[("reach", hour as f64)])?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store.checkpoint().unwrap();
    drop(store);
    (dir, path)
}

fn overwrite_pages(path: &std::path::Path, pages: std::ops::Range<usize>) {
    let mut bytes = file_bytes(path);
    let page_size = 4096;
    let end = (pages.end * page_size).min(bytes.len());
    for byte in &mut bytes[pages.start * page_size..end] {
        *byte = 0xA5;
    }
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn a_damaged_schema_is_reported_when_opening() {
    let (_dir, path) = store_with_many_pages();
    let pages = file_bytes(&path).len() / 4096;
    overwrite_pages(&path, pages / 2..pages);

    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("is damaged"), "{message}");
}

#[test]
fn a_damaged_table_is_reported_when_read() {
    let (_dir, path) = store_with_many_pages();
    let root: usize = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'media_metric'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Page numbers start at 1.
    overwrite_pages(&path, root - 1..root);

    let store = Store::open(&path).unwrap();
    assert!(!store.integrity_check().unwrap().is_ok());
    let error = store.canonical_dump().unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    // Tables that were not hit still read.
    assert_eq!(store.accounts().unwrap()[0].profile.ig_user_id, ALICE);
}

#[test]
fn a_folder_that_cannot_hold_the_file_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    // The "folder" is a regular file: nothing can be created below it, even by root.
    let not_a_folder = dir.path().join("data");
    std::fs::write(&not_a_folder, b"").unwrap();
    let path = not_a_folder.join("profile.sqlite3");

    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::CannotWrite { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("--data-dir"), "{message}");
}

#[test]
fn a_folder_nobody_may_write_to_gets_a_clear_error() {
    // sysfs refuses new files with "permission denied" for every user, root included (a
    // chmod-based test would pass vacuously under root).
    let error = Store::open("/sys/insightdesk-profile.sqlite3").unwrap_err();
    assert!(matches!(error, StoreError::CannotWrite { .. }), "{error:?}");
}

#[test]
fn a_second_writer_waits_then_gets_a_clear_busy_error_while_readers_go_on() {
    let (_dir, path, mut first, alice) = alice_store();
    let mut second = Store::open(&path).unwrap();

    let mut batch = first.batch().unwrap();
    batch
        .record_media_metrics(alice.p1, at("2025-03-03T10:00:00Z"), &[("reach", 450.0)])
        .unwrap();
    // WAL: the other connection reads the last committed state while the batch is open.
    assert_eq!(second.growth_curve(alice.p1, "reach").unwrap().len(), 2);

    let started = std::time::Instant::now();
    let error = second.batch().unwrap_err();
    assert!(
        matches!(error, StoreError::Busy { seconds: 5 }),
        "{error:?}"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(4),
        "did not wait"
    );
    assert!(error.to_string().contains("busy"), "{error}");
    assert!(error.is_retryable());

    batch.commit().unwrap();
    assert_eq!(second.growth_curve(alice.p1, "reach").unwrap().len(), 3);
    second
        .write(|b| b.set_setting("after", "the first writer finished"))
        .unwrap();
}

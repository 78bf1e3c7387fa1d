//! Crash safety: a writer process is SIGKILLed at random points, again and again, on the same
//! file. Afterwards the file must pass `integrity_check`, hold every batch the writer reported
//! as committed, and hold no part of any other batch.
//!
//! The writer is this same test binary, started again with `CHILD_ENV` set and told to run only
//! [`child_writer`]. Each of its batches is one sync step: a post, 200 readings, 30 daily cells,
//! an archived response, the run's counters and its resume state — the state says which batch
//! was last committed, and the next writer resumes after it, as a resumed sync would.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::TimeDelta;
use insightdesk_store::{
    AccountDailyValue, ArchivedResponse, Breakdown, MediaItem, Store, StoreError, SyncRunId,
};
use rand::{Rng, SeedableRng};

use crate::sample::{ALICE, at, profile};

const CHILD_ENV: &str = "INSIGHTDESK_STORE_CRASH_CHILD_DB";
const READINGS_PER_BATCH: usize = 40;
const METRICS: [&str; 5] = ["reach", "views", "likes", "saved", "shares"];
const DAILY_CELLS_PER_BATCH: usize = 30;

/// The writer process. Ignored in normal runs: it only does something when
/// `killed_writers_leave_only_whole_batches` starts it with `CHILD_ENV` set.
#[test]
#[ignore = "writer process of crash::killed_writers_leave_only_whole_batches"]
fn child_writer() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(&path).unwrap();
    let (run, first) = resume_or_start(&mut store);
    let mut stdout = std::io::stdout().lock();
    for batch in first.. {
        write_batch(&mut store, run, batch).unwrap();
        writeln!(stdout, "committed {batch}").unwrap();
        stdout.flush().unwrap();
    }
}

fn resume_or_start(store: &mut Store) -> (SyncRunId, u64) {
    let account = store.account_by_ig_id(ALICE).unwrap().map(|a| a.id);
    if let Some(account) = account
        && let Some(run) = store.unfinished_sync_run(Some(account)).unwrap()
    {
        let next = run
            .resume_state
            .as_deref()
            .map_or(0, |state| state.parse::<u64>().unwrap() + 1);
        return (run.id, next);
    }
    let run = store
        .write(|b| {
            let account = b.upsert_account(&profile(ALICE, "alice"), at("2025-01-01T00:00:00Z"))?;
            b.start_sync_run(Some(account), "crash-test", at("2025-01-01T00:00:00Z"))
        })
        .unwrap();
    (run, 0)
}

fn write_batch(store: &mut Store, run: SyncRunId, batch: u64) -> Result<(), StoreError> {
    let account = store.account_by_ig_id(ALICE)?.map(|a| a.id);
    let Some(account) = account else {
        return Err(StoreError::UnknownAccount(0));
    };
    let posted = at("2025-01-01T00:00:00Z") + TimeDelta::hours(batch as i64);
    let day = posted.date_naive() + chrono::Days::new(batch);
    let body = format!("{{\"batch\":{batch},\"pad\":\"{}\"}}", "x".repeat(2000));
    store.write(|b| {
        let media = b.upsert_media(
            account,
            &MediaItem {
                ig_media_id: format!("m{batch}"),
                product_type: "FEED".into(),
                media_type: "IMAGE".into(),
                posted_at: posted,
                caption: Some(format!("batch {batch}")),
                permalink: None,
                media_url: None,
                thumbnail_url: None,
            },
            posted,
        )?;
        for reading in 0..READINGS_PER_BATCH {
            let values: Vec<(&str, f64)> = METRICS
                .iter()
                .map(|m| (*m, (batch * 1000 + reading as u64) as f64))
                .collect();
            b.record_media_metrics(
                media,
                posted + TimeDelta::minutes(reading as i64 * 30),
                &values,
            )?;
        }
        let cells: Vec<AccountDailyValue> = (0..DAILY_CELLS_PER_BATCH)
            .map(|cell| AccountDailyValue {
                metric: "reach".into(),
                day,
                breakdown: Some(Breakdown::new("city", format!("city {cell}"))),
                value: batch as f64,
            })
            .collect();
        b.record_account_daily(account, &cells, posted)?;
        b.archive_response(
            &ArchivedResponse {
                account: Some(account),
                endpoint: &format!("/v24.0/m{batch}/insights?metric=reach"),
                api_version: "v24.0",
                body: body.as_bytes(),
            },
            posted,
        )?;
        b.add_sync_counters(run, &[("batches", 1)])?;
        b.save_sync_progress(run, &batch.to_string())
    })
}

/// Checks the file after a kill; returns the last committed batch (if any).
fn check_whole(path: &Path, reported: Option<u64>) -> Option<u64> {
    let store = Store::open(path).unwrap();
    let report = store.integrity_check().unwrap();
    assert!(report.is_ok(), "integrity_check: {:?}", report.problems);
    let Some(account) = store.account_by_ig_id(ALICE).unwrap() else {
        assert_eq!(
            reported, None,
            "a reported batch is missing with its account"
        );
        return None;
    };
    let run = store
        .unfinished_sync_run(Some(account.id))
        .unwrap()
        .unwrap();
    let last = run
        .resume_state
        .as_deref()
        .map(|s| s.parse::<u64>().unwrap());
    let batches = last.map_or(0, |l| l + 1);
    assert!(
        reported.is_none_or(|r| last.is_some_and(|l| l >= r)),
        "batch {reported:?} was reported committed but the store ends at {last:?}"
    );
    let counts = store.row_counts().unwrap();
    let per_batch = |n: usize| n as u64 * batches;
    assert_eq!(counts["media"], batches, "posts");
    assert_eq!(
        counts["media_metric"],
        per_batch(READINGS_PER_BATCH * METRICS.len()),
        "readings"
    );
    assert_eq!(
        counts["account_daily"],
        per_batch(DAILY_CELLS_PER_BATCH),
        "daily cells"
    );
    assert_eq!(counts["raw_response"], batches, "archived responses");
    assert_eq!(
        run.counters.get("batches").copied().unwrap_or(0),
        batches as i64,
        "counters move with their batch"
    );
    if let Some(last) = last {
        // The newest batch is complete down to its last reading.
        let post = store.media_by_ig_id(&format!("m{last}")).unwrap().unwrap();
        let curve = store.growth_curve(post.id, "shares").unwrap();
        assert_eq!(curve.len(), READINGS_PER_BATCH);
        assert_eq!(
            curve.last().unwrap().value,
            (last * 1000 + READINGS_PER_BATCH as u64 - 1) as f64
        );
        assert!(
            store
                .media_by_ig_id(&format!("m{}", last + 1))
                .unwrap()
                .is_none()
        );
    }
    last
}

#[test]
fn killed_writers_leave_only_whole_batches() {
    let seed: u64 = std::env::var("INSIGHTDESK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("crash test seed {seed} (set INSIGHTDESK_CRASH_SEED to replay)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.sqlite3");
    let exe = std::env::current_exe().unwrap();
    let mut last = None;
    for round in 0..8 {
        let mut child = Command::new(&exe)
            .args(["crash::child_writer", "--exact", "--ignored", "--nocapture"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Wait until the writer is in its loop, then kill it at a random moment of it.
        let first: u64 = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix("committed ")?.parse().ok())
            .unwrap_or_else(|| panic!("round {round}: the writer died before its first commit"));
        std::thread::sleep(Duration::from_millis(rng.random_range(0..150)));
        // SIGKILL: no destructor, no rollback, no checkpoint runs in the child.
        child.kill().unwrap();
        let reported = lines
            .map_while(Result::ok)
            .filter_map(|line| line.strip_prefix("committed ")?.parse().ok())
            .max()
            .unwrap_or(first);
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the writer ended on its own: {status}"
        );

        let now = check_whole(&path, Some(reported));
        assert!(now > last, "round {round}: no progress from {last:?}");
        last = now;
    }
    eprintln!(
        "crash test: 8 writers killed, {} whole batches",
        last.map_or(0, |l| l + 1)
    );
}

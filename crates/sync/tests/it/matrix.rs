//! The fault matrix (`docs/RELIABILITY.md`): every fault kind the sandbox injects, throttling,
//! a token that dies mid-run and a sync process SIGKILLed at random points, each during a
//! FIRST sync (an empty store) and during an INCREMENTAL sync (the store of a clean first sync,
//! with the sandbox's clock moved on by [`INCREMENTAL_AFTER`]).
//!
//! Every row starts from a copy of the same store, lets the faulted sync and the syncs after
//! it run until one completes (signing in again when the token died), and compares the store
//! with a clean run from that start (`canonical_dump` without the sync history). The sandbox's
//! clock stands still during a phase, so every run answers from the same world; only a sign-in
//! happens a second later (Meta refuses every token issued at or before a session
//! invalidation), and the clock goes back before the next sync. The test prints the table;
//! `INSIGHTDESK_MATRIX_SEED` replays the kill points of a run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use insightdesk_graph::LoginKind;
use insightdesk_sandbox::FaultPlan;
use insightdesk_secret::Sensitive;
use insightdesk_store::Store;
use insightdesk_sync::{SyncError, SyncPolicy};
use tempfile::TempDir;

use crate::kill;
use crate::support::{self, Meta, at};

/// How long after the first sync the incremental one runs: new posts, growth readings at
/// 24 h, 3 d and 7 d, expired and new stories, the recent days again, and the weekly
/// demographics.
const INCREMENTAL_AFTER: chrono::Duration = chrono::Duration::days(8);
/// Sync processes started (and killed at a random point) per phase.
const KILL_ROUNDS: u32 = 6;
/// The seed of the kill points when `INSIGHTDESK_MATRIX_SEED` is not set: a fixed one, so the
/// figures in RELIABILITY.md come back.
const DEFAULT_SEED: u64 = 20261126;

/// One row of the table.
#[derive(Debug)]
struct Row {
    phase: &'static str,
    fault: &'static str,
    spec: String,
    /// Sync runs until one completed.
    runs: u32,
    /// Requests the sandbox answered with a fault.
    injected: usize,
    /// Sync processes killed mid-run.
    kills: u32,
    equal: bool,
}

/// A store file every row of a phase copies, the sandbox instant of the phase, and the
/// content of a clean run from that start.
struct Start {
    phase: &'static str,
    _dir: TempDir,
    file: PathBuf,
    now: DateTime<Utc>,
    expected: String,
    /// Requests of the clean run: where the faults are placed.
    requests: u64,
    /// The HTTP requests the start's own sync history counts.
    runs_before: u64,
    /// A killed process has written at most this many steps (an incremental sync has few).
    kill_after_steps: u32,
}

/// The HTTP requests every sync run in the store counted, failed ones included.
fn requests_sent(store: &Store) -> u64 {
    store
        .sync_runs(None, 1_000)
        .unwrap()
        .iter()
        .map(|run| {
            run.counters
                .get("http_requests")
                .copied()
                .unwrap_or(0)
                .max(0) as u64
        })
        .sum()
}

/// A copy of `file` (closed, so the WAL is already folded in) in a fresh folder.
fn copy_of(file: &Path) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.sqlite3");
    std::fs::copy(file, &path).unwrap();
    (dir, path)
}

/// What the sync needs to go on after a row's fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// Nothing: the sync absorbs the fault by itself.
    Nothing,
    /// Signing in again, at the phase's instant: the old token alone is dead.
    SignIn,
    /// Signing in again a second after the phase's instant: Meta refuses every token issued
    /// at or before a session invalidation, so a sign-in at the same second would not help.
    SignInLater,
}

/// One fault row: its name, the sandbox's fault plan, and what the sync needs after it.
struct FaultSpec {
    fault: &'static str,
    spec: String,
    after: After,
}

/// The faults of each row, placed at fractions of a clean run's `requests`.
fn fault_specs(requests: u64) -> Vec<FaultSpec> {
    let at = |fraction: f64| ((requests as f64 * fraction).round() as u64).clamp(1, requests);
    let row = |fault: &'static str, spec: String, after: After| FaultSpec { fault, spec, after };
    let absorbed = |fault: &'static str, spec: String| row(fault, spec, After::Nothing);
    vec![
        absorbed(
            "5xx",
            format!("5xx@{},5xx@{}:503,5xx@{}:502", at(0.1), at(0.4), at(0.8)),
        ),
        absorbed(
            "reset",
            format!("reset@{},reset@{},reset@{}", at(0.1), at(0.5), at(0.9)),
        ),
        absorbed(
            "delay past the timeout",
            format!("delay@{}:3s,delay@{}:3s", at(0.2), at(0.7)),
        ),
        absorbed(
            "truncate",
            format!("truncate@{},truncate@{}", at(0.1), at(0.6)),
        ),
        absorbed(
            "malformed",
            format!("malformed@{},malformed@{}", at(0.2), at(0.7)),
        ),
        absorbed(
            "throttle (codes 4, 613, 80002)",
            format!(
                "throttle@{}:4,throttle@{}:613,throttle@{}",
                at(0.1),
                at(0.5),
                at(0.8)
            ),
        ),
        absorbed(
            "throttled for 10 minutes",
            format!("throttle_after={}:10m", at(0.5)),
        ),
        absorbed(
            "transient",
            format!(
                "transient@{}-{},transient@{}",
                at(0.2),
                at(0.2) + 1,
                at(0.8)
            ),
        ),
        row("token expiry", format!("expire@{}", at(0.5)), After::SignIn),
        row(
            "sessions invalidated",
            format!("invalidate@{}", at(0.5)),
            After::SignInLater,
        ),
        absorbed(
            "all at random",
            "5xx=0.1,reset=0.05,truncate=0.05,malformed=0.05,transient=0.05,throttle=0.05:4"
                .to_owned(),
        ),
    ]
}

/// The runner of a phase: the token in use (a row that kills the token signs in again, and
/// the rows after it use the new one).
struct Runner<'a> {
    meta: &'a Meta,
    token: Sensitive<String>,
}

/// How a row's syncs went until one completed.
struct Through {
    runs: u32,
    /// Runs that stopped with "sign in again".
    sign_ins: u32,
}

impl Runner<'_> {
    /// Signs in again the way a creator does after the fault. After a session invalidation
    /// that is a second after the sandbox's instant (a token issued at the invalidation's
    /// second is refused too), and the clock then goes back, so the next sync reads the world
    /// the clean run read. Otherwise at the instant itself, so the new token is one a later
    /// invalidation at this instant kills.
    async fn sign_in_again(&mut self, after: After) {
        let now = self.meta.sandbox.now();
        if after == After::SignInLater {
            self.meta
                .sandbox
                .set_now(now + chrono::Duration::seconds(1));
        }
        self.token = self.meta.sign_in_again().await;
        self.meta.sandbox.set_now(now);
    }

    /// Syncs `store` until a run completes, signing in again as `after` says when a run
    /// stops with "sign in again".
    async fn sync_through(&mut self, store: &mut Store, what: &str, after: After) -> Through {
        let ig = self.meta.creds.ig_user_id.clone();
        let mut errors = Vec::new();
        let mut sign_ins = 0;
        for run in 1..=4 {
            let builder = self
                .meta
                .builder_with(LoginKind::Facebook, self.token.clone())
                .timeout(Duration::from_secs(1));
            let result = self
                .meta
                .sync_with(store, builder, &ig, SyncPolicy::default())
                .await;
            match result {
                Ok(_) => {
                    return Through {
                        runs: run,
                        sign_ins,
                    };
                }
                Err(error) => {
                    assert!(store.integrity_check().unwrap().is_ok(), "{what}: {error}");
                    if error.needs_reauth() {
                        sign_ins += 1;
                        self.sign_in_again(after).await;
                    } else {
                        assert!(
                            !matches!(error, SyncError::RateLimited { .. }),
                            "{what}: a short throttle is waited out: {error}"
                        );
                    }
                    errors.push(error.to_string());
                }
            }
        }
        panic!("{what}: no run completed: {errors:?}");
    }

    /// Runs every fault row and the kill row of a phase.
    async fn phase(&mut self, start: &Start, seed: u64) -> Vec<Row> {
        let mut rows = Vec::new();
        for FaultSpec { fault, spec, after } in fault_specs(start.requests) {
            let what = format!("{} sync, {fault} ({spec})", start.phase);
            let (_dir, path) = copy_of(&start.file);
            let mut store = Store::open(&path).unwrap();
            self.meta.sandbox.clear_ledger();
            self.meta
                .sandbox
                .set_faults(FaultPlan::parse(&spec).unwrap());
            let through = self.sync_through(&mut store, &what, after).await;
            self.meta.sandbox.set_faults(FaultPlan::none());
            // A dead token stops the run with "sign in again" once; the run after signing in
            // completes. Every other fault is absorbed without a sign-in.
            let expected = if after != After::Nothing {
                (2, 1)
            } else {
                (through.runs, 0)
            };
            assert_eq!((through.runs, through.sign_ins), expected, "{what}");
            let runs = through.runs;
            // A delayed request whose client gave up is not in the sandbox's ledger (the
            // server drops it unanswered): those are the requests sent beyond the ledger's.
            let ledger = self.meta.sandbox.ledger();
            let answered_with_a_fault = ledger.iter().filter(|e| e.fault.is_some()).count();
            let abandoned = requests_sent(&store)
                .saturating_sub(start.runs_before)
                .saturating_sub(self.meta.sandbox.http_requests());
            let injected = answered_with_a_fault + abandoned as usize;
            assert!(injected > 0, "{what}: no fault fired");
            let equal = same_content(&store, start, &what);
            rows.push(Row {
                phase: start.phase,
                fault,
                spec,
                runs,
                injected,
                kills: 0,
                equal,
            });
        }

        let (_dir, path) = copy_of(&start.file);
        let kills = kill::kill_rounds(
            self.meta,
            self.token.expose(),
            &path,
            start.now,
            (KILL_ROUNDS, start.kill_after_steps),
            seed,
        )
        .await;
        assert!(
            kills.killed_mid_run >= 2,
            "{} sync (seed {seed}): only {} kills landed mid-run",
            start.phase,
            kills.killed_mid_run
        );
        let mut store = Store::open(&path).unwrap();
        let what = format!("{} sync after kills (seed {seed})", start.phase);
        let runs = self
            .sync_through(&mut store, &what, After::SignIn)
            .await
            .runs;
        let equal = same_content(&store, start, &what);
        rows.push(Row {
            phase: start.phase,
            fault: "SIGKILL at random points",
            spec: format!("{KILL_ROUNDS} processes, seed {seed}"),
            runs: kills.started + runs,
            injected: 0,
            kills: kills.killed_mid_run,
            equal,
        });
        rows
    }
}

/// Whether the store holds what the clean run from the same start holds (it must).
fn same_content(store: &Store, start: &Start, what: &str) -> bool {
    let content = support::content(store);
    let equal = content == start.expected;
    assert!(
        equal,
        "{what}: {}",
        support::first_difference(&content, &start.expected)
    );
    equal
}

/// A clean sync of a copy of `file` (or of an empty store): its content and request count.
async fn clean_run(
    meta: &Meta,
    token: &Sensitive<String>,
    file: Option<&Path>,
) -> (TempDir, PathBuf, String, u64) {
    let (dir, path) = match file {
        Some(file) => copy_of(file),
        None => {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("profile.sqlite3");
            Store::open(&path).unwrap();
            (dir, path)
        }
    };
    let mut store = Store::open(&path).unwrap();
    let ig = meta.creds.ig_user_id.clone();
    let builder = meta.builder_with(LoginKind::Facebook, token.clone());
    let report = meta
        .sync_with(&mut store, builder, &ig, SyncPolicy::default())
        .await
        .unwrap();
    let content = support::content(&store);
    (dir, path, content, report.http_requests)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_during_a_first_and_an_incremental_sync_ends_with_a_clean_runs_store() {
    let seed: u64 = std::env::var("INSIGHTDESK_MATRIX_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let meta = support::start().await;
    let now = at(support::NOW);

    // The first sync starts from an empty store; its clean run's file is where the
    // incremental phase starts.
    let (empty_dir, empty) = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profile.sqlite3");
        Store::open(&path).unwrap();
        (dir, path)
    };
    let mut runner = Runner {
        meta: &meta,
        token: meta.token(LoginKind::Facebook),
    };
    let (first_dir, first_file, first_expected, first_requests) =
        clean_run(&meta, &runner.token, None).await;
    let first = Start {
        phase: "first",
        _dir: empty_dir,
        file: empty,
        now,
        expected: first_expected,
        requests: first_requests,
        runs_before: 0,
        kill_after_steps: 4,
    };
    let mut rows = runner.phase(&first, seed).await;

    let later = now + INCREMENTAL_AFTER;
    meta.sandbox.set_now(later);
    let (_clean_dir, _clean, expected, requests) =
        clean_run(&meta, &runner.token, Some(&first_file)).await;
    assert_ne!(
        expected, first.expected,
        "the incremental sync added readings"
    );
    let runs_before = requests_sent(&Store::open(&first_file).unwrap());
    let incremental = Start {
        runs_before,
        kill_after_steps: 1,
        phase: "incremental",
        _dir: first_dir,
        file: first_file,
        now: later,
        expected,
        requests,
    };
    rows.extend(runner.phase(&incremental, seed.wrapping_add(1)).await);

    eprintln!(
        "fault matrix: first sync {} requests clean, incremental sync (+{} h) {} requests clean",
        first.requests,
        INCREMENTAL_AFTER.num_hours(),
        incremental.requests
    );
    eprintln!("| phase | fault | spec | runs | faults injected | kills | equal dump |");
    eprintln!("|---|---|---|---|---|---|---|");
    for row in &rows {
        eprintln!(
            "| {} | {} | `{}` | {} | {} | {} | {} |",
            row.phase,
            row.fault,
            row.spec,
            row.runs,
            row.injected,
            row.kills,
            if row.equal { "yes" } else { "no" }
        );
    }
    let total = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    eprintln!(
        "| all | {} rows | | {} | {} | {} | {} of {} |",
        rows.len(),
        total(|r| r.runs as usize),
        total(|r| r.injected),
        total(|r| r.kills as usize),
        rows.iter().filter(|r| r.equal).count(),
        rows.len()
    );
}

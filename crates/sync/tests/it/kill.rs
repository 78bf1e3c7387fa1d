//! A sync process killed (SIGKILL) at random points, again and again, on one store: after
//! each kill the file passes SQLite's integrity check. The fault matrix (`matrix.rs`) runs
//! these rounds during a first and an incremental sync and checks that the sync that finally
//! completes leaves the store an uninterrupted sync leaves.
//!
//! The sync process is this test binary, started again with `CHILD_ENV` set and told to run
//! only [`child_sync`], against the sandbox this test serves (its base URL and token are
//! passed in). The sandbox's clock stands still, so every process sees the same world.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use insightdesk_graph::{ApiVersion, Clock, Endpoints, GraphClient, LoginKind, ManualClock};
use insightdesk_secret::Sensitive;
use insightdesk_store::Store;
use insightdesk_sync::{ProgressUpdate, SyncJob};
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::{self, quick_retry};

const CHILD_ENV: &str = "INSIGHTDESK_SYNC_KILL_CHILD";

/// What the sync process needs to know.
#[derive(Debug, Serialize, Deserialize)]
struct ChildSpec {
    base: String,
    token: String,
    secret: String,
    account: String,
    store: PathBuf,
    now: DateTime<Utc>,
}

/// The sync process. Ignored in normal runs: it only does something when [`kill_rounds`]
/// starts it with `CHILD_ENV`.
#[tokio::test]
#[ignore = "the sync process of kill::kill_rounds (the fault matrix)"]
async fn child_sync() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let spec: ChildSpec = serde_json::from_str(&spec).unwrap();
    let mut store = Store::open(&spec.store).unwrap();
    let builder = GraphClient::builder(LoginKind::Facebook)
        .endpoints(Endpoints::sandbox(&spec.base))
        .version(ApiVersion::LATEST)
        .token(Sensitive::new(spec.token))
        .app_secret(Sensitive::new(spec.secret))
        .clock(Arc::new(ManualClock::new(spec.now)) as Arc<dyn Clock>)
        .retry(quick_retry())
        .timeout(Duration::from_secs(10));
    let progress =
        |p: ProgressUpdate| println!("progress {} {}/{}", p.phase.as_str(), p.done, p.total);
    let report = SyncJob::new(&mut store, builder, &spec.account)
        .progress(&progress)
        .started_by("child")
        .run()
        .await
        .unwrap();
    println!("done {}", report.run_id);
}

/// What [`kill_rounds`] did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kills {
    /// Sync processes started.
    pub started: u32,
    /// Processes SIGKILLed before they finished their sync.
    pub killed_mid_run: u32,
}

/// Starts the sync process `rounds` times on the store file at `path`, each against the
/// sandbox at `now` with `token`, and SIGKILLs it at a random point: after up to `max_steps`
/// written steps. After every kill the file must pass SQLite's integrity check.
pub async fn kill_rounds(
    meta: &support::Meta,
    token: &str,
    path: &Path,
    now: DateTime<Utc>,
    (rounds, max_steps): (u32, u32),
    seed: u64,
) -> Kills {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let spec = serde_json::to_string(&ChildSpec {
        base: meta.sandbox.base_url(),
        token: token.to_owned(),
        secret: meta.creds.facebook_app.app_secret.clone(),
        account: meta.creds.ig_user_id.clone(),
        store: path.to_path_buf(),
        now,
    })
    .unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut kills = Kills::default();
    for round in 0..rounds {
        let mut child = tokio::process::Command::new(&exe)
            .args(["kill::child_sync", "--exact", "--ignored", "--nocapture"])
            .env(CHILD_ENV, &spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        kills.started += 1;
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill at a random point: after a random number of written steps (none: while it
        // starts or reads the overview), plus a random moment of the next one (mid request or
        // mid write).
        let steps: u32 = rng.random_range(0..=max_steps);
        let delay = Duration::from_millis(rng.random_range(0..if steps == 0 { 400 } else { 60 }));
        let mut seen = 0;
        let mut finished = false;
        let mut last_step = String::from("before its first step");
        while seen < steps && !finished {
            match lines.next_line().await {
                Ok(Some(line)) if line.starts_with("done ") => finished = true,
                Ok(Some(line)) if line.starts_with("progress ") => {
                    seen += 1;
                    last_step = line;
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        tokio::time::sleep(delay).await;
        // SIGKILL: no destructor, no rollback, no checkpoint runs in the child.
        child.start_kill().ok();
        let status = child.wait().await.unwrap();
        if !finished && !status.success() {
            kills.killed_mid_run += 1;
        }
        eprintln!(
            "round {round}: {} {} ms after {last_step}",
            if finished { "finished" } else { "killed" },
            delay.as_millis()
        );
        let store = Store::open(path).unwrap();
        let check = store.integrity_check().unwrap();
        assert!(
            check.is_ok(),
            "round {round} (seed {seed}): {:?}",
            check.problems
        );
    }
    kills
}

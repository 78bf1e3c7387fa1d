//! Figures for the notes, printed (and kept in target/e2e/figures.txt), never asserted: how
//! long from launch to an overview with data and to the demo ready, and how much memory the
//! idle app holds.

use std::time::Duration;

use crate::harness::{Launch, Session, prerequisites_met, pss_kib, report_figure};

/// How long the app idles before its memory is read.
const IDLE: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread")]
async fn launch_to_overview_with_data_and_idle_memory() {
    if !prerequisites_met() {
        return;
    }
    // `--demo` on a fresh data folder: the simulated Meta starts in the app, the creator is
    // signed in, the first sync reads the history and the overview shows it.
    let session = Session::launch(Launch::default().arg("--demo")).await;
    let followers = session
        .wait_number(
            "[data-testid=kpi-followers] [data-testid=kpi-value]",
            Duration::from_secs(180),
        )
        .await;
    let elapsed = session.launched_at.elapsed();
    assert!(followers > 0.0);
    let build = build_label();
    report_figure(&format!(
        "launch to overview with data (--demo, fresh data folder, Xvfb, {build}): {:.1} s",
        elapsed.as_secs_f64()
    ));

    // The demo's first weeks replayed and the present synced: the demo is ready.
    session
        .wait_text("[data-testid=sync-text]", Duration::from_secs(300), |t| {
            t.starts_with("Synced")
        })
        .await;
    report_figure(&format!(
        "launch to the demo ready (its last 30 days replayed, the present synced; {build}): {:.1} s",
        session.launched_at.elapsed().as_secs_f64()
    ));

    // Idle: no sync running, nothing clicked.
    tokio::time::sleep(IDLE).await;
    let processes = session.app_processes();
    assert!(!processes.is_empty(), "the app's processes were not found");
    let mut total = 0;
    let mut parts = Vec::new();
    for (pid, name) in &processes {
        let kib = pss_kib(*pid).unwrap_or(0);
        total += kib;
        parts.push(format!("{name} {:.0} MiB", kib as f64 / 1024.0));
    }
    report_figure(&format!(
        "idle PSS after {} s ({build}): {:.0} MiB = {}",
        IDLE.as_secs(),
        total as f64 / 1024.0,
        parts.join(" + ")
    ));
    session.close().await;
}

/// Which binary the figures are of: this test build's, or the one `INSIGHTDESK_E2E_APP` names.
fn build_label() -> String {
    match std::env::var("INSIGHTDESK_E2E_APP") {
        Ok(path) if !path.is_empty() => format!("binary {path}"),
        _ => "debug build".to_owned(),
    }
}

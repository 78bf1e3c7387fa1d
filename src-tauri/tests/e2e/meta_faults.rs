//! The app against an `insightdesk sandbox` running beside it, whose faults change at run
//! time: Instagram's limits pausing a sync (the bar says until when, then the sync goes on),
//! and an expired sign-in (the bar offers "Sign in again", the browser step is played by a
//! script standing in for the browser, and syncing works again).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::external_meta::{ExternalMeta, VAULT_KEY};
use crate::harness::{Launch, Session, prerequisites_met};

const SYNC: Duration = Duration::from_secs(180);

/// The desktop on the main profile in `dir`, talking to `meta`, with tokens in the file vault.
fn against(meta: &ExternalMeta, dir: tempfile::TempDir) -> Launch {
    let path = dir.path().display().to_string();
    Launch::default()
        .arg("--data-dir")
        .arg(path)
        .arg("--meta-base")
        .arg(meta.base_url.clone())
        .arg("--vault")
        .arg("file")
        .env("INSIGHTDESK_VAULT_KEY", VAULT_KEY)
        .data_dir(dir)
}

/// A simulated Meta with a main profile signed in through the command line, then the fault
/// plan `faults` (given the creator's account id) set for what the app does next.
async fn provisioned(
    seed: u64,
    own_app: bool,
    faults: impl Fn(&str) -> String,
) -> (ExternalMeta, tempfile::TempDir) {
    let meta = ExternalMeta::start(seed);
    let dir = tempfile::tempdir().expect("data folder");
    meta.provision(dir.path(), own_app);
    meta.set_faults(&faults(&meta.creator())).await;
    (meta, dir)
}

/// The sync ends well and the overview shows what it read; a screenshot to keep.
async fn finished_with_figures(session: Session, screenshot: &str) {
    session
        .wait_text("[data-testid=sync-text]", SYNC, |t| t.starts_with("Synced"))
        .await;
    session
        .wait_number(
            "[data-testid=kpi-followers] [data-testid=kpi-value]",
            Duration::from_secs(30),
        )
        .await;
    session.screenshot(screenshot).await;
    session.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_paused_by_instagrams_limits_says_until_when_and_goes_on() {
    if !prerequisites_met() {
        return;
    }
    // From the second call about the creator's account on, Meta refuses every call for the
    // account for a minute (code 80002, with the time to regain access in its usage header).
    let (meta, dir) = provisioned(11, false, |creator| {
        format!("throttle_after=1:60s~/{creator}")
    })
    .await;
    let session = Session::launch(against(&meta, dir)).await;

    let paused = session
        .wait_text("[data-testid=sync-text]", SYNC, |t| {
            t.starts_with("Instagram limits reached, resuming at ")
        })
        .await;
    assert!(
        paused.contains("Everything read so far is saved"),
        "{paused}"
    );
    let tone = session
        .js("return document.querySelector('[data-testid=sync-bar]').className")
        .await;
    assert!(
        tone.as_str().is_some_and(|c| c.contains("tone-warn")),
        "{tone}"
    );
    session.screenshot("sync-paused-by-limits").await;

    // After the minute, the same sync goes on and finishes.
    finished_with_figures(session, "sync-resumed-after-limits").await;
}

/// Waits for the stand-in browser to be given an address.
async fn opened_address(log: &Path, within: Duration) -> String {
    let deadline = Instant::now() + within;
    loop {
        if let Ok(text) = std::fs::read_to_string(log)
            && let Some(line) = text.lines().find(|l| !l.trim().is_empty())
        {
            return line.trim().to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "the app never opened the browser"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_sign_in_offers_sign_in_again_and_syncing_works_after_it() {
    if !prerequisites_met() {
        return;
    }
    // The first call about the creator's account finds the token expired (190/463).
    let (meta, dir) = provisioned(12, true, |creator| format!("expire@1~/{creator}")).await;

    // The browser: xdg-open hands the sign-in address to $BROWSER, which writes it down.
    let browser_dir = tempfile::tempdir().expect("browser folder");
    let log = browser_dir.path().join("opened.txt");
    let script = browser_dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .expect("write the stand-in browser");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .expect("make it executable");
    }
    let session =
        Session::launch(against(&meta, dir).env("BROWSER", script.display().to_string())).await;

    let said = session
        .wait_text("[data-testid=sync-text]", SYNC, |t| {
            t.contains("sign in again")
        })
        .await;
    assert!(
        !said.contains("190") && !said.contains("OAuth"),
        "no codes: {said}"
    );
    session.find("[data-testid=sign-in-again]", SYNC).await;
    session.screenshot("sync-needs-sign-in").await;

    session.click("[data-testid=sign-in-again]").await;
    let address = opened_address(&log, Duration::from_secs(30)).await;
    assert!(
        address.starts_with(&meta.base_url) && address.contains("/dialog/oauth"),
        "{address}"
    );
    // The creator presses Allow on Meta's page; Meta sends the browser back to the app.
    insightdesk_app::demo::approve_consent(&address)
        .await
        .expect("the consent page leads back to the app");

    finished_with_figures(session, "signed-in-again").await;
}

//! The freshness windows of the settings reach the sync: a changed window changes what the
//! next sync asks Instagram for, and a window out of range is refused with a sentence.

use insightdesk_app::rpc;
use insightdesk_sandbox::Sandbox;
use serde_json::json;

use crate::support::test_app;

/// Requests for audience demographics the demo's simulated Meta answered since its ledger
/// was cleared.
fn demographics_asked(sandbox: &Sandbox) -> usize {
    sandbox
        .ledger()
        .iter()
        .filter(|entry| entry.path.contains("demographics"))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_freshness_window_changes_what_the_next_sync_asks_for() {
    let t = test_app();
    let state = t.app.explore_demo().await.unwrap();
    let account = state.active_account.unwrap();
    let view = rpc::dispatch(&t.app, "settings_get", json!({}))
        .await
        .unwrap();
    assert_eq!(
        view["settings"]["freshness"],
        json!({
            "profile": 1440,
            "media_list": 60,
            "stories": 60,
            "account_metrics": 1440,
            "demographics": 10080,
        }),
        "the defaults are the sync's own windows"
    );
    t.app.sync_account(&account, "test").await.unwrap();
    let session = t.app.session().await.unwrap();
    let sandbox = session.sandbox().unwrap();
    assert!(demographics_asked(sandbox) > 0, "the first sync reads them");

    // Two days later the audience is still fresh by default (a week): not asked.
    sandbox.advance(chrono::Duration::days(2));
    sandbox.clear_ledger();
    t.app.sync_account(&account, "test").await.unwrap();
    assert_eq!(demographics_asked(sandbox), 0);

    // With a one-day window the same moment makes it due.
    let mut settings = view["settings"].clone();
    settings["freshness"]["demographics"] = json!(24 * 60);
    let saved = rpc::dispatch(&t.app, "settings_save", settings)
        .await
        .unwrap();
    assert_eq!(saved["settings"]["freshness"]["demographics"], json!(1440));
    sandbox.clear_ledger();
    t.app.sync_account(&account, "test").await.unwrap();
    assert!(demographics_asked(sandbox) > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_freshness_window_out_of_range_is_refused_with_a_sentence() {
    let t = test_app();
    t.app.explore_demo().await.unwrap();
    let view = rpc::dispatch(&t.app, "settings_get", json!({}))
        .await
        .unwrap();
    let with = |kind: &str, minutes: u32| {
        let mut settings = view["settings"].clone();
        settings["freshness"][kind] = json!(minutes);
        settings
    };
    let refused = rpc::dispatch(&t.app, "settings_save", with("stories", 24 * 60))
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "The freshness window for stories must be between 15 minutes and 12 hours; 1 day is \
         outside that."
    );
    let refused = rpc::dispatch(&t.app, "settings_save", with("demographics", 90))
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "The freshness window for the audience must be between 1 day and 30 days; 90 minutes \
         is outside that."
    );
    let kept = rpc::dispatch(&t.app, "settings_get", json!({}))
        .await
        .unwrap();
    assert_eq!(kept["settings"]["freshness"], view["settings"]["freshness"]);
}

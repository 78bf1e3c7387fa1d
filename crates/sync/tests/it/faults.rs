//! What a sync says and keeps when Meta's side fails it: a token that expires half way, and a
//! rate limit longer than the sync may wait. Each run ends with an intact store, and the next
//! sync ends with the store of a run that met no fault. Every fault kind during a first and
//! an incremental sync is the fault matrix (`matrix.rs`).

use insightdesk_graph::LoginKind;
use insightdesk_sandbox::{BucConfig, FaultPlan};
use insightdesk_store::SyncStatus;
use insightdesk_sync::{SyncError, SyncPolicy};

use crate::support::{self, Meta, new_store};

/// The content of a sync that met no fault, at the sandbox's instant.
async fn reference(meta: &Meta) -> String {
    let (_dir, _path, mut store) = new_store();
    meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    support::content(&store)
}

#[tokio::test]
async fn a_token_expiring_mid_sync_stops_cleanly_and_the_next_run_loses_nothing() {
    let meta = support::start().await;
    let expected = reference(&meta).await;
    let (_dir, _path, mut store) = new_store();
    // The overview, the listing, then a few insights batches go through.
    meta.sandbox
        .set_faults(FaultPlan::parse("expire@8").unwrap());
    let error = meta
        .sync(&mut store, LoginKind::Facebook)
        .await
        .unwrap_err();
    assert!(error.needs_reauth(), "{error}");
    assert!(error.to_string().contains("sign in again"), "{error}");
    assert!(
        error
            .to_string()
            .contains("Everything read so far is saved"),
        "{error}"
    );
    let account = store.accounts().unwrap()[0].id;
    let failed = store.sync_runs(Some(account), 1).unwrap().pop().unwrap();
    assert_eq!(failed.status, SyncStatus::Failed);
    assert!(failed.error.as_deref().unwrap().contains("sign in again"));
    assert!(failed.counters["http_requests"] >= 8);
    let kept = store.row_counts().unwrap();
    assert_eq!(kept["media"], 608, "the listing is kept");
    assert!(
        kept["media_metric"] > 1000,
        "the insights steps before the expiry are kept: {kept:?}"
    );
    assert!(store.integrity_check().unwrap().is_ok());

    // The old token stays dead: the next run stops at once, costing one request.
    let again = meta
        .sync(&mut store, LoginKind::Facebook)
        .await
        .unwrap_err();
    assert!(again.needs_reauth());

    meta.sandbox.set_faults(FaultPlan::none());
    let token = meta.sign_in_again().await;
    let ig = meta.creds.ig_user_id.clone();
    let report = meta
        .sync_with(
            &mut store,
            meta.builder_with(LoginKind::Facebook, token),
            &ig,
            SyncPolicy::default(),
        )
        .await
        .unwrap();
    let last_failed = store.sync_runs(Some(account), 2).unwrap().pop().unwrap();
    assert_eq!(report.resumed_from, Some(last_failed.id.0));
    let content = support::content(&store);
    assert!(
        content == expected,
        "{}",
        support::first_difference(&content, &expected)
    );
}

#[tokio::test]
async fn a_rate_limit_longer_than_the_sync_may_wait_stops_it_with_the_time_to_resume() {
    let meta = support::start().await;
    let full = reference(&meta).await;
    let (_dir, _path, mut store) = new_store();
    // The account's budget runs out 300 calls into this sync (the reference spent the rest of
    // the rolling 24 hours): Meta refuses every further call with 80002.
    let spent = meta.sandbox.counted_calls();
    meta.sandbox.set_buc(BucConfig {
        budget: Some(spent + 300),
        ..BucConfig::default()
    });
    let error = meta
        .sync(&mut store, LoginKind::Facebook)
        .await
        .unwrap_err();
    let SyncError::RateLimited { resume_at } = &error else {
        panic!("{error}");
    };
    assert!(*resume_at > support::at(support::NOW), "{resume_at}");
    assert!(
        error
            .to_string()
            .starts_with("Instagram limits reached, resuming at "),
        "{error}"
    );
    let account = store.accounts().unwrap()[0].id;
    let failed = store.sync_runs(Some(account), 1).unwrap().pop().unwrap();
    assert_eq!(failed.status, SyncStatus::Failed);

    // Nothing throttled was written as "no data": every row the stopped run wrote is a row a
    // fault-free sync writes too.
    let partial = support::content(&store);
    let sections = |dump: &str, table: &str| -> Vec<String> {
        let mut inside = false;
        dump.lines()
            .filter(|line| {
                if let Some(header) = line.strip_prefix("## ") {
                    inside = header.starts_with(&format!("{table} "));
                    return false;
                }
                inside
            })
            .map(str::to_owned)
            .collect()
    };
    for table in [
        "media_metric",
        "account_daily",
        "account_window",
        "demographics",
        "story",
    ] {
        let full_rows = sections(&full, table);
        for row in sections(&partial, table) {
            assert!(full_rows.contains(&row), "{table}: {row}");
        }
    }
    // Once the calls have left Meta's 24-hour window, the next sync continues and completes.
    meta.sandbox
        .set_now(support::at(support::NOW) + chrono::Duration::hours(25));
    let report = meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    assert_eq!(report.resumed_from, Some(failed.id.0));
    assert!(store.integrity_check().unwrap().is_ok());
}

//! Throttling: the client paces itself by Meta's usage headers, waits out blocks, resumes,
//! and never spends beyond the budget. Waiting moves the sandbox's clock, not real time.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::TryStreamExt;
use insightdesk_graph::models::Media;
use insightdesk_graph::{ErrorClass, LoginKind, Permit, RetryPolicy};
use insightdesk_sandbox::{BucConfig, FaultPlan};

use crate::support::{self, NOW};

fn patient() -> RetryPolicy {
    RetryPolicy {
        max_wait: Duration::from_secs(48 * 3600),
        ..support::quick_retry()
    }
}

#[tokio::test]
async fn stays_within_a_small_budget_waits_for_the_window_and_resumes() {
    let budget = 40;
    let buc = BucConfig {
        budget: Some(budget),
        ..BucConfig::default()
    };
    let meta = support::start_with(NOW, FaultPlan::none(), buc).await;
    let client = meta
        .builder(LoginKind::Facebook)
        .retry(patient())
        .build()
        .unwrap();
    let ig = meta.creds.ig_user_id.clone();
    let start = meta.sandbox.now();
    // More pages than the budget allows in one day.
    let media: Vec<Media> = client
        .user(&ig)
        .media()
        .limit(5)
        .cap(300)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(media.len(), 300);
    let unique: BTreeSet<&str> = media.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(unique.len(), 300);

    let ledger = meta.api_ledger();
    assert!(
        ledger.iter().all(|e| e.status == 200),
        "Meta never had to refuse a call"
    );
    // No rolling 24 h window holds more calls than the budget.
    let times: Vec<_> = ledger
        .iter()
        .filter(|e| e.counted_calls > 0)
        .map(|e| e.at)
        .collect();
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|u| **u - *t < chrono::Duration::hours(24))
            .count();
        assert!(
            in_window as u64 <= budget,
            "{in_window} calls within 24 h of {t}"
        );
    }
    assert!(
        meta.sandbox.now() - start >= chrono::Duration::hours(24),
        "it waited for the window to roll"
    );
    assert!(meta.clock.slept() >= Duration::from_secs(24 * 3600));
    // And it can say when the next calls may go out.
    let status = client.governor().status(meta.sandbox.now());
    assert!(status.percent.is_some());
    match client.governor().permit(budget, meta.sandbox.now()) {
        Permit::At(at) => assert!(at > meta.sandbox.now()),
        Permit::Now => panic!("a whole budget cannot be spent now"),
    }
}

#[tokio::test]
async fn waits_out_the_regain_estimate_after_a_block() {
    let meta = support::start_with(
        NOW,
        FaultPlan::parse("throttle_after=3:30m").unwrap(),
        BucConfig::default(),
    )
    .await;
    let client = meta.client(LoginKind::Facebook);
    let ig = meta.creds.ig_user_id.clone();
    let media: Vec<Media> = client
        .user(&ig)
        .media()
        .limit(10)
        .cap(60)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(media.len(), 60);
    let refused: Vec<_> = meta
        .api_ledger()
        .into_iter()
        .filter(|e| e.status != 200)
        .collect();
    assert_eq!(
        refused.len(),
        1,
        "one refusal, then the client stopped until the block ended"
    );
    assert!(
        meta.clock.slept() >= Duration::from_secs(30 * 60),
        "{:?}",
        meta.clock.slept()
    );
    assert!(
        meta.clock.slept() < Duration::from_secs(40 * 60),
        "{:?}",
        meta.clock.slept()
    );
}

#[tokio::test]
async fn a_one_off_refusal_waits_metas_estimate_or_the_default_block_and_resumes() {
    // The sandbox's injected 80002 says 3 minutes in its usage header; a 613 says nothing, so
    // the client waits its own default of 5.
    for (spec, waited) in [("throttle@2:613", 5 * 60), ("throttle@2:80002", 3 * 60)] {
        let meta =
            support::start_with(NOW, FaultPlan::parse(spec).unwrap(), BucConfig::default()).await;
        let client = meta.client(LoginKind::Facebook);
        let media: Vec<Media> = client
            .user(&meta.creds.ig_user_id)
            .media()
            .limit(10)
            .cap(30)
            .stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(media.len(), 30, "{spec}");
        assert_eq!(meta.clock.slept(), Duration::from_secs(waited), "{spec}");
    }
}

#[tokio::test]
async fn a_block_longer_than_the_client_may_wait_is_reported_not_mistaken_for_no_data() {
    let meta = support::start_with(
        NOW,
        FaultPlan::parse("throttle_after=1:3h").unwrap(),
        BucConfig::default(),
    )
    .await;
    let client = meta.client(LoginKind::Facebook);
    let user = client.user(&meta.creds.ig_user_id);
    user.profile().await.unwrap();
    let error = user.insights().metrics(["reach"]).send().await.unwrap_err();
    let ErrorClass::Throttled {
        retry_after: Some(wait),
    } = error.class()
    else {
        panic!("expected Throttled with a wait, got {error}");
    };
    assert!(wait >= Duration::from_secs(2 * 3600), "{wait:?}");
    assert_eq!(
        meta.clock.slept(),
        Duration::ZERO,
        "it did not sit out three hours"
    );
    // The governor now holds every call back, and says until when.
    let error = user.profile().await.unwrap_err();
    assert!(
        matches!(error.class(), ErrorClass::Throttled { .. }),
        "{error}"
    );
    assert_eq!(
        meta.api_ledger().iter().filter(|e| e.status != 200).count(),
        1,
        "no call was wasted on a known block"
    );
}

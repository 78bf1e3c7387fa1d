//! Every fault kind the sandbox injects: the client retries what may pass and ends with the
//! same data as a fault-free run, counting what Meta counts.

use std::time::Duration;

use futures::TryStreamExt;
use insightdesk_graph::models::Media;
use insightdesk_graph::{ErrorClass, GraphClient, InsightsAnswer, LoginKind, RetryPolicy};
use insightdesk_sandbox::FaultPlan;

use crate::support::{self, Meta};

/// What a sync would read: a listing and the insights of a few media (metric names and
/// whether each has a value: the values themselves grow while the client waits, since waiting
/// moves the sandbox's clock).
async fn read_everything(
    client: &GraphClient,
    meta: &Meta,
) -> (Vec<String>, Vec<(String, Vec<(String, bool)>)>) {
    let media: Vec<Media> = client
        .user(&meta.creds.ig_user_id)
        .media()
        .limit(25)
        .cap(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = media.iter().map(|m| m.id.clone()).collect();
    let mut insights = Vec::new();
    let marks = meta.sandbox.landmarks();
    for m in media.iter().filter(|m| {
        Some(&m.id) == marks.latest_image.as_ref() || Some(&m.id) == marks.latest_reel.as_ref()
    }) {
        let answer: InsightsAnswer = client.media(&m.id).insights_for(m, &[]).await.unwrap();
        let values = answer
            .metrics
            .iter()
            .map(|x| (x.name.clone(), x.single_value().is_some()))
            .collect();
        insights.push((m.id.clone(), values));
    }
    (ids, insights)
}

fn patient() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        ..support::quick_retry()
    }
}

#[tokio::test]
async fn every_fault_kind_ends_with_the_fault_free_answer() {
    let meta = support::start().await;
    let client = meta
        .builder(LoginKind::Facebook)
        .retry(patient())
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    let baseline = read_everything(&client, &meta).await;
    assert_eq!(baseline.0.len(), 100);
    assert_eq!(baseline.1.len(), 2);
    for spec in [
        "5xx@2",
        "5xx@2:503",
        "5xx@1-3:502",
        "reset@2",
        "delay@2:2s",
        "truncate@2",
        "malformed@2",
        "transient@2-3",
        "throttle@2",
        "reset@1~/insights",
        "5xx=0.15,reset=0.1,truncate=0.1,malformed=0.1,transient=0.1",
    ] {
        meta.sandbox.set_faults(FaultPlan::parse(spec).unwrap());
        meta.sandbox.clear_ledger();
        let before = client.counts();
        let faulty = read_everything(&client, &meta).await;
        assert_eq!(faulty, baseline, "{spec}");
        let after = client.counts();
        let (sent, counted) = (
            after.http_requests - before.http_requests,
            after.counted_calls - before.counted_calls,
        );
        if spec.starts_with("delay") {
            // The client gave up on the delayed request (and counted it); the sandbox drops a
            // request whose client went away without logging it.
            assert_eq!(
                sent,
                meta.sandbox.http_requests() + 1,
                "{spec}: one request timed out and was sent again"
            );
            continue;
        }
        assert!(
            meta.api_ledger().iter().any(|e| e.fault.is_some()),
            "{spec}: the fault fired"
        );
        assert_eq!(sent, meta.sandbox.http_requests(), "{spec}: HTTP requests");
        assert_eq!(
            counted,
            meta.sandbox.counted_calls(),
            "{spec}: counted calls"
        );
    }
}

#[tokio::test]
async fn faults_that_do_not_pass_are_reported_with_their_class() {
    let meta = support::start().await;
    let client = meta
        .builder(LoginKind::Instagram)
        .retry(RetryPolicy {
            max_attempts: 3,
            ..support::quick_retry()
        })
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    for (spec, timed_out) in [
        ("reset=1", false),
        ("delay=1:2s", true),
        ("truncate=1", false),
        ("malformed=1", false),
        ("5xx=1:503", false),
    ] {
        meta.sandbox.set_faults(FaultPlan::parse(spec).unwrap());
        let before = client.counts().http_requests;
        let error = client.me().instagram_user().await.unwrap_err();
        assert_eq!(error.class(), ErrorClass::Transient, "{spec}: {error}");
        assert_eq!(
            client.counts().http_requests - before,
            3,
            "{spec}: three tries, then the error"
        );
        if timed_out {
            assert!(
                matches!(
                    error,
                    insightdesk_graph::GraphError::Transport {
                        timed_out: true,
                        ..
                    }
                ),
                "{spec}: {error:?}"
            );
        }
    }
}

#[tokio::test]
async fn cancelling_stops_waits_and_requests() {
    let meta = support::start().await;
    let cancel = tokio_util::sync::CancellationToken::new();
    let client = meta
        .builder(LoginKind::Facebook)
        .cancel(cancel.clone())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    meta.sandbox
        .set_faults(FaultPlan::parse("delay=1:20s").unwrap());
    let ig = meta.creds.ig_user_id.clone();
    let pending = tokio::spawn({
        let client = client.clone();
        async move { client.user(&ig).profile().await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    cancel.cancel();
    let result = tokio::time::timeout(Duration::from_secs(5), pending)
        .await
        .unwrap()
        .unwrap();
    assert!(result.unwrap_err().is_cancelled());
    let error = client
        .user(&meta.creds.ig_user_id)
        .profile()
        .await
        .unwrap_err();
    assert!(
        error.is_cancelled(),
        "a cancelled client sends nothing more"
    );
}

//! Each error class, produced by the sandbox the way Meta produces it, and read from Meta's
//! error object (never from the status alone). Every message is a sentence without a token.

use insightdesk_graph::models::Media;
use insightdesk_graph::models::insights::Period;
use insightdesk_graph::{ErrorClass, GraphError, LoginKind, MetricType, RetryPolicy};
use insightdesk_sandbox::FaultPlan;
use insightdesk_secret::Sensitive;

use crate::support::{self, Meta, at};

fn sentence(meta: &Meta, error: &GraphError) {
    let text = error.to_string();
    assert!(
        text.ends_with('.') && text.chars().next().is_some_and(char::is_uppercase),
        "{text}"
    );
    for token in [
        meta.token(LoginKind::Facebook),
        meta.token(LoginKind::Instagram),
    ] {
        assert!(
            !text.contains(token.expose().as_str())
                && !format!("{error:?}").contains(token.expose().as_str())
        );
    }
}

async fn media(meta: &Meta, id: &str) -> Media {
    meta.client(LoginKind::Facebook)
        .media(id)
        .get(&["id", "media_type", "media_product_type", "timestamp"])
        .await
        .unwrap()
}

#[tokio::test]
async fn needs_reauth_when_the_session_is_gone() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let garbage = client.with_token(Sensitive::new("not-a-token".into()));
    let error = garbage
        .user(&meta.creds.ig_user_id)
        .profile()
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::NeedsReauth, "{error}");
    meta.sandbox
        .invalidate_sessions(insightdesk_sandbox::LoginKind::Facebook);
    let error = client
        .user(&meta.creds.ig_user_id)
        .profile()
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::NeedsReauth, "{error}");
    assert_eq!(error.meta().and_then(|m| m.subcode), Some(460));
    sentence(&meta, &error);
    // The same through the fault plan's `invalidate` kind, under Instagram Login.
    let ig = meta.client(LoginKind::Instagram);
    meta.sandbox
        .set_faults(FaultPlan::parse("invalidate@1").unwrap());
    let error = ig.me().instagram_user().await.unwrap_err();
    assert_eq!(error.class(), ErrorClass::NeedsReauth, "{error}");
    assert_eq!(error.meta().and_then(|m| m.subcode), Some(460));
}

#[tokio::test]
async fn throttled_for_every_throttle_code() {
    let meta = support::start().await;
    let client = meta
        .builder(LoginKind::Facebook)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    for code in [4, 17, 32, 613, 80001, 80002] {
        meta.sandbox
            .set_faults(FaultPlan::parse(&format!("throttle@1:{code}")).unwrap());
        let error = client
            .user(&meta.creds.ig_user_id)
            .profile()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.class(),
                ErrorClass::Throttled {
                    retry_after: Some(_)
                }
            ),
            "{code}: {error}"
        );
        sentence(&meta, &error);
    }
}

#[tokio::test]
async fn metric_unsupported_is_dropped_recorded_and_retried_once() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let reel = meta.sandbox.landmarks().latest_reel.unwrap();
    // One removed metric: dropped, the call tried again without it.
    let answer = client
        .media(&reel)
        .insights()
        .metrics(["reach", "plays", "likes"])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.dropped, ["plays"]);
    let names: Vec<&str> = answer.metrics.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["reach", "likes"]);
    let recorded = meta.exclusions.entries();
    assert_eq!(recorded.len(), 1);
    assert!(
        recorded[0].reason.contains("plays"),
        "{}",
        recorded[0].reason
    );
    // Remembered: the next request of this scope does not ask for it.
    meta.sandbox.clear_ledger();
    client
        .media(&reel)
        .insights()
        .metrics(["reach", "plays"])
        .send()
        .await
        .unwrap();
    let paths: Vec<String> = meta.api_ledger().into_iter().map(|e| e.path).collect();
    assert_eq!(paths.len(), 1);
    assert!(!paths[0].contains("plays"), "{}", paths[0]);
    // Two refused metrics: one retry only, then the error names the second.
    let error = client
        .media(&reel)
        .insights()
        .metrics([
            "reach",
            "clips_replays_count",
            "ig_reels_aggregated_all_plays_count",
        ])
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.class(),
            ErrorClass::MetricUnsupported { metric: Some(_) }
        ),
        "{error}"
    );
    sentence(&meta, &error);
    assert_eq!(meta.exclusions.entries().len(), 3);
}

#[tokio::test]
async fn not_enough_viewers_and_media_before_conversion() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let marks = meta.sandbox.landmarks();
    let story = media(&meta, &marks.story_under_5_viewers.unwrap()).await;
    let error = client
        .media(&story.id)
        .insights_for(&story, &[])
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::NotEnoughViewers, "{error}");
    sentence(&meta, &error);
    let old = media(&meta, &marks.media_before_conversion).await;
    let error = client
        .media(&old.id)
        .insights_for(&old, &[])
        .await
        .unwrap_err();
    assert_eq!(
        error.class(),
        ErrorClass::MediaBeforeBusinessConversion,
        "{error}"
    );
    sentence(&meta, &error);
    assert!(
        meta.exclusions.entries().is_empty(),
        "a media-level refusal drops no metric"
    );
}

#[tokio::test]
async fn transient_is_retried_until_the_policy_gives_up() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    meta.sandbox
        .set_faults(FaultPlan::parse("transient@1").unwrap());
    client.user(&meta.creds.ig_user_id).profile().await.unwrap();
    meta.sandbox
        .set_faults(FaultPlan::parse("transient@1-5").unwrap());
    meta.sandbox.clear_ledger();
    let error = client
        .user(&meta.creds.ig_user_id)
        .profile()
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Transient, "{error}");
    assert_eq!(meta.sandbox.http_requests(), 5, "five tries in all");
    sentence(&meta, &error);
}

#[tokio::test]
async fn permission_when_the_object_is_not_visible() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Instagram);
    let error = client
        .user(&meta.creds.small_ig_user_id)
        .profile()
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Permission, "{error}");
    sentence(&meta, &error);
}

#[tokio::test]
async fn other_for_a_parameter_meta_refuses() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let until = at("2026-10-01T00:00:00Z");
    let error = client
        .user(&meta.creds.ig_user_id)
        .insights()
        .metrics(["follower_count"])
        .metric_type(MetricType::TimeSeries)
        .period(Period::Day)
        .range(until - chrono::Duration::days(20), until)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Other, "{error}");
    assert!(
        meta.exclusions.entries().is_empty(),
        "a range error is not an unsupported metric"
    );
    sentence(&meta, &error);
    // The client refuses a range Meta would refuse, without calling.
    let calls = client.counts().http_requests;
    let error = client
        .user(&meta.creds.ig_user_id)
        .insights()
        .metrics(["reach"])
        .range(until - chrono::Duration::days(45), until)
        .send()
        .await
        .unwrap_err();
    assert_eq!(client.counts().http_requests, calls, "{error}");
    assert!(
        matches!(error, GraphError::RangeTooLong { days: 45 }),
        "{error}"
    );
}

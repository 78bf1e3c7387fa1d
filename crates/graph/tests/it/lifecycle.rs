//! Meta changing under a running client: a metric removed mid-run (the sandbox's clock moved
//! across a removal date) and a token expiring mid-run.

use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use insightdesk_graph::models::Media;
use insightdesk_graph::{
    ApiVersion, Clock, ErrorClass, ExclusionScope, LoginKind, ManualClock, MetricExclusions,
};
use insightdesk_sandbox::FaultPlan;

use crate::support::{self, at};

async fn image(client: &insightdesk_graph::GraphClient, id: &str) -> Media {
    client
        .media(id)
        .get(&["id", "media_type", "media_product_type", "timestamp"])
        .await
        .unwrap()
}

fn names(answer: &insightdesk_graph::InsightsAnswer) -> Vec<String> {
    answer.metrics.iter().map(|m| m.name.clone()).collect()
}

#[tokio::test]
async fn a_metric_removed_mid_run_is_dropped_once_and_remembered() {
    // The day before `impressions` left every version (21 Apr 2025), on v21.
    let meta = support::start_at("2025-04-20T12:00:00Z").await;
    let v21 = ApiVersion::new(21);
    let client = meta
        .builder(LoginKind::Facebook)
        .version(v21)
        .build()
        .unwrap();
    let id = meta.sandbox.landmarks().latest_image.unwrap();
    let media = image(&client, &id).await;
    let before = client.media(&id).insights_for(&media, &[]).await.unwrap();
    assert!(
        names(&before).contains(&"impressions".to_owned()),
        "{:?}",
        names(&before)
    );
    // v21 refused `views` on some feed media (API-FACTS (d), Airbyte PR #62902): the catalog
    // cannot know which, so Meta's refusal is what drops it.
    assert_eq!(before.dropped, ["views"], "{:?}", meta.exclusions.entries());

    // A client whose clock (and so whose catalog) still says 20 Apr, while Meta has moved on.
    meta.sandbox.set_now(at("2025-04-21T12:00:00Z"));
    let stale = meta
        .builder(LoginKind::Facebook)
        .version(v21)
        .clock(Arc::new(ManualClock::new(at("2025-04-20T13:00:00Z"))) as Arc<dyn Clock>)
        .build()
        .unwrap();
    meta.sandbox.clear_ledger();
    let after = stale.media(&id).insights_for(&media, &[]).await.unwrap();
    assert_eq!(after.dropped, ["impressions"]);
    assert!(!names(&after).contains(&"impressions".to_owned()));
    let mut expected = names(&before);
    expected.retain(|n| n != "impressions");
    assert_eq!(names(&after), expected, "everything else still read");
    let scope = ExclusionScope::media(
        &meta.creds.ig_user_id,
        LoginKind::Facebook,
        media.media_product_type.clone(),
        media.media_type.clone(),
    );
    assert!(
        meta.exclusions.is_excluded(&scope, "impressions"),
        "{:?}",
        meta.exclusions.entries()
    );
    let plain_groups = meta
        .api_ledger()
        .into_iter()
        .filter(|e| !e.path.contains("breakdown"))
        .count();
    assert_eq!(plain_groups, 2, "the refused call, then the one retry");

    // Remembered: the next media of the same kind does not ask for it at all.
    meta.sandbox.clear_ledger();
    stale.media(&id).insights_for(&media, &[]).await.unwrap();
    assert!(
        meta.api_ledger()
            .iter()
            .all(|e| !e.path.contains("impressions"))
    );

    // A client whose clock is Meta's knows from the catalog and never asks.
    meta.sandbox.clear_ledger();
    let current = client.media(&id).insights_for(&media, &[]).await.unwrap();
    assert!(current.dropped.is_empty());
    assert!(meta.api_ledger().iter().all(|e| e.status == 200));
}

#[tokio::test]
async fn a_token_expiring_mid_run_stops_with_needs_reauth_and_no_retry() {
    let meta = support::start_with(
        support::NOW,
        FaultPlan::parse("expire_after=2").unwrap(),
        Default::default(),
    )
    .await;
    let client = meta.client(LoginKind::Facebook);
    let results: Vec<_> = client
        .user(&meta.creds.ig_user_id)
        .media()
        .limit(10)
        .stream()
        .collect()
        .await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        20,
        "two pages, then the token expired"
    );
    let last = results.last().unwrap().as_ref().unwrap_err();
    assert_eq!(last.class(), ErrorClass::NeedsReauth, "{last}");
    assert_eq!(last.meta().and_then(|m| m.subcode), Some(463));
    assert_eq!(meta.api_ledger().len(), 3, "no retry of an expired token");
    // And it stays expired.
    let again = client
        .user(&meta.creds.ig_user_id)
        .profile()
        .await
        .unwrap_err();
    assert_eq!(again.class(), ErrorClass::NeedsReauth);
}

#[tokio::test]
async fn a_token_past_its_sixty_days_needs_reauth() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Instagram);
    client.me().instagram_user().await.unwrap();
    meta.sandbox.advance(chrono::Duration::days(61));
    let error = client.me().instagram_user().await.unwrap_err();
    assert_eq!(error.class(), ErrorClass::NeedsReauth, "{error}");
    assert!(
        error
            .to_string()
            .starts_with("Instagram needs you to sign in again"),
        "{error}"
    );
}

#[tokio::test]
async fn expanded_pages_survive_refused_metrics_and_media_without_insights() {
    let meta = support::start_at("2025-04-20T12:00:00Z").await;
    let ig = meta.creds.ig_user_id.clone();
    let client = meta
        .builder(LoginKind::Facebook)
        .version(ApiVersion::new(21))
        .build()
        .unwrap();
    let plain: Vec<Media> = client
        .user(&ig)
        .media()
        .limit(50)
        .stream()
        .try_collect()
        .await
        .unwrap();
    meta.sandbox.clear_ledger();
    let before = client.counts();
    let expanded: Vec<Media> = client
        .user(&ig)
        .media()
        .limit(50)
        .with_common_insights()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids = |list: &[Media]| list.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(&expanded),
        ids(&plain),
        "the same media, insights or not"
    );
    // v21 refuses `views` on feed images: dropped from the expanded set and remembered there.
    let page_scope = ExclusionScope::media_page(&ig, LoginKind::Facebook);
    assert!(
        meta.exclusions.is_excluded(&page_scope, "views"),
        "{:?}",
        meta.exclusions.entries()
    );
    // A page holding a media from before the business conversion is listed without insights.
    let old = meta.sandbox.landmarks().media_before_conversion;
    assert!(
        expanded
            .iter()
            .find(|m| m.id == old)
            .unwrap()
            .insights
            .is_none()
    );
    let with = expanded.iter().filter(|m| m.insights.is_some()).count();
    assert!(
        with >= 50 && with < expanded.len(),
        "{with} of {}",
        expanded.len()
    );
    let after = client.counts();
    assert_eq!(
        after.http_requests - before.http_requests,
        meta.sandbox.http_requests()
    );
    // A refused expanded call: Meta does not say how many media it billed before refusing (the
    // sandbox bills those it read), so the client counts only the request. Undercounting keeps
    // the governor's budget estimate (usage % ÷ calls it knows of) on the safe side.
    assert!(after.counted_calls - before.counted_calls <= meta.sandbox.counted_calls());
    assert!(
        after.counted_calls - before.counted_calls >= meta.sandbox.http_requests() + with as u64
    );
}

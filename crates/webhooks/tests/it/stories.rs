//! `story_insights`: the recorded envelope, `-1` as "under 5", a story the store never saw,
//! and replays.

use insightdesk_store::{CaptureState, MediaItem, TimeRange};
use insightdesk_webhooks::{STORY_WEBHOOK_METRICS, under_five_flag};

use crate::support::{self, STORY_ACCOUNT, fixture};

const STORY: &str = "18023345989012587";

fn with_values(values: serde_json::Value) -> Vec<u8> {
    let mut body: serde_json::Value =
        serde_json::from_slice(&fixture("webhook_story_insights_envelope_meta_doc.json")).unwrap();
    let value = &mut body[0]["entry"][0]["changes"][0]["value"];
    for (name, v) in values.as_object().unwrap() {
        value[name] = v.clone();
    }
    serde_json::to_vec(&body).unwrap()
}

#[tokio::test]
async fn the_recorded_story_insights_are_stored_as_the_storys_final_numbers() {
    let harness = support::start().await;
    let body = fixture("webhook_story_insights_envelope_meta_doc.json");
    assert_eq!(harness.deliver(&body).await, 200);

    let store = harness.store();
    let account = harness.account(STORY_ACCOUNT);
    let stories = store.stories(account, TimeRange::all()).unwrap();
    assert_eq!(stories.len(), 1, "{stories:?}");
    let story = &stories[0];
    assert_eq!(story.media.item.ig_media_id, STORY);
    assert_eq!(story.media.item.product_type, "STORY");
    let event = chrono::DateTime::from_timestamp(1_547_687_043, 0).unwrap();
    assert_eq!(story.capture, Some(CaptureState::Final { at: event }));
    assert_eq!(
        story.media.item.posted_at,
        event - chrono::Duration::hours(24),
        "a story the store never saw is dated 24 h before the event"
    );
    let latest: Vec<(&str, f64)> = story
        .latest
        .iter()
        .map(|(name, reading)| (name.as_str(), reading.value))
        .collect();
    assert_eq!(
        latest,
        [
            ("exits", 1.0),
            ("impressions", 28.0),
            ("reach", 17.0),
            ("replies", 0.0),
            ("taps_back", 0.0),
            ("taps_forward", 12.0)
        ]
    );
    assert!(story.latest.values().all(|r| r.captured_at == event));
    // The raw delivery is archived beside the readings.
    let archived = store
        .raw_responses(TimeRange::all(), Some("webhook:story_insights"))
        .unwrap();
    assert_eq!(archived.len(), 1);
    assert_eq!(
        store.raw_response_body(archived[0].id).unwrap().unwrap(),
        body
    );
}

#[tokio::test]
async fn minus_one_is_stored_as_under_five_and_never_as_a_count() {
    let harness = support::start().await;
    let body = with_values(serde_json::json!({ "reach": -1, "replies": -1, "exits": 3 }));
    assert_eq!(harness.deliver(&body).await, 200);
    let store = harness.store();
    let story = store
        .stories(harness.account(STORY_ACCOUNT), TimeRange::all())
        .unwrap()
        .remove(0);
    assert!(!story.latest.contains_key("reach"), "{:?}", story.latest);
    assert!(!story.latest.contains_key("replies"));
    assert_eq!(story.latest[&under_five_flag("reach")].value, 1.0);
    assert_eq!(story.latest["reach.under_5"].value, 1.0);
    assert_eq!(story.latest["replies.under_5"].value, 1.0);
    assert_eq!(story.latest["exits"].value, 3.0);
    assert!(!story.latest.contains_key("exits.under_5"));
    assert!(
        story.latest.values().all(|r| r.value >= 0.0),
        "{:?}",
        story.latest
    );
    // Not even an older reading of reach: the value is unknown, not a number.
    let curve = store.growth_curve(story.media.id, "reach").unwrap();
    assert!(curve.is_empty());
}

#[tokio::test]
async fn a_story_the_sync_stored_gets_the_readings_and_keeps_its_details() {
    let harness = support::start().await;
    let account = harness.account(STORY_ACCOUNT);
    let posted_at = chrono::DateTime::from_timestamp(1_547_600_000, 0).unwrap();
    let mut store = harness.store();
    let media = store
        .write(|batch| {
            batch.upsert_media(
                account,
                &MediaItem {
                    ig_media_id: STORY.into(),
                    product_type: "STORY".into(),
                    media_type: "IMAGE".into(),
                    posted_at,
                    caption: None,
                    permalink: None,
                    media_url: None,
                    thumbnail_url: None,
                },
                posted_at,
            )
        })
        .unwrap();
    let body = fixture("webhook_story_insights_envelope_meta_doc.json");
    assert_eq!(harness.deliver(&body).await, 200);
    let stored = store.media(media).unwrap().unwrap();
    assert_eq!(stored.item.media_type, "IMAGE");
    assert_eq!(stored.item.posted_at, posted_at);
    let curve = store.growth_curve(media, "reach").unwrap();
    assert_eq!(curve.len(), 1);
    assert_eq!(curve[0].value, 17.0);
}

#[tokio::test]
async fn a_replayed_story_delivery_adds_no_reading() {
    let harness = support::start().await;
    let body = fixture("webhook_story_insights_envelope_meta_doc.json");
    for _ in 0..4 {
        assert_eq!(harness.deliver(&body).await, 200);
    }
    let store = harness.store();
    let story = store
        .stories(harness.account(STORY_ACCOUNT), TimeRange::all())
        .unwrap()
        .remove(0);
    for metric in STORY_WEBHOOK_METRICS {
        assert_eq!(
            store.growth_curve(story.media.id, metric).unwrap().len(),
            1,
            "{metric}"
        );
    }
    assert_eq!(
        store
            .raw_responses(TimeRange::all(), Some("webhook:"))
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_story_of_another_account_is_not_moved() {
    let harness = support::start().await;
    assert_eq!(
        harness
            .deliver(&fixture("webhook_story_insights_envelope_meta_doc.json"))
            .await,
        200
    );
    // The same story id, claimed by another account the store holds.
    let mut body: serde_json::Value =
        serde_json::from_slice(&with_values(serde_json::json!({ "reach": 99 }))).unwrap();
    body[0]["entry"][0]["id"] = serde_json::json!(support::MENTIONS_ACCOUNT);
    assert_eq!(
        harness.deliver(&serde_json::to_vec(&body).unwrap()).await,
        200
    );
    let store = harness.store();
    let media = store.media_by_ig_id(STORY).unwrap().unwrap();
    assert_eq!(media.account_id, harness.account(STORY_ACCOUNT));
    assert_eq!(
        store.growth_curve(media.id, "reach").unwrap()[0].value,
        17.0
    );
    assert_eq!(harness.server.stats().skipped, 1);
}

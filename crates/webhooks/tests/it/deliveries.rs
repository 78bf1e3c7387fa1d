//! Signed deliveries with Meta's recorded payloads: what is stored, what is refused, and that
//! a replay is stored once.

use insightdesk_secret::Sensitive;
use insightdesk_webhooks::{MAX_BODY_BYTES, signature_header};

use crate::support::{
    self, APP_SECRET, COMMENTS_ACCOUNT, MENTIONS_ACCOUNT, comments_delivery, fixture,
};

fn sign(body: &[u8]) -> String {
    signature_header(&Sensitive::new(APP_SECRET.into()), body)
}

#[tokio::test]
async fn a_comment_is_stored_as_meta_sent_it() {
    let harness = support::start().await;
    assert_eq!(harness.deliver(&comments_delivery()).await, 200);
    let store = harness.store();
    let comments = store
        .comments(harness.account(COMMENTS_ACCOUNT), None)
        .unwrap();
    assert_eq!(comments.len(), 1, "{comments:?}");
    let comment = &comments[0];
    assert_eq!(comment.ig_comment_id, "17865799348089039");
    assert_eq!(comment.ig_media_id, "123123123");
    assert_eq!(comment.parent_ig_comment_id.as_deref(), Some("1231231234"));
    assert_eq!(comment.username.as_deref(), Some("test"));
    assert_eq!(comment.text, "This is an example.");
    assert_eq!(comment.source, "webhook");
    assert_eq!(
        comment.commented_at.map(|t| t.timestamp()),
        Some(1_764_158_400),
        "dated by the entry's time"
    );
}

/// Meta signs with the secret of the app that subscribed: a server for a Facebook Login app
/// and an Instagram Login app takes both, and nothing else.
#[tokio::test]
async fn a_delivery_signed_by_any_served_app_is_stored_and_by_another_refused() {
    let instagram_app = Sensitive::new("instagram-login-app-secret".to_owned());
    let added = instagram_app.clone();
    let harness = support::start_with(move |config| config.app_secrets.push(added)).await;
    let body = comments_delivery();
    let by_instagram_app = signature_header(&instagram_app, &body);
    assert_eq!(harness.post(&body, Some(&by_instagram_app)).await, 200);
    let stranger = signature_header(&Sensitive::new("another-app-secret".into()), &body);
    assert_eq!(harness.post(&body, Some(&stranger)).await, 403);
    assert_eq!(harness.deliver(&body).await, 200, "the first app's still");
    let (stats, store, _dir) = harness.stop().await;
    assert_eq!((stats.accepted, stats.bad_signature), (2, 1));
    let account = store.account_by_ig_id(COMMENTS_ACCOUNT).unwrap().unwrap();
    assert_eq!(store.comments(account.id, None).unwrap().len(), 1);
}

#[tokio::test]
async fn a_server_without_an_app_secret_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let config =
        insightdesk_webhooks::ServerConfig::for_apps(Vec::new(), Sensitive::new("t".into()));
    let refused = insightdesk_webhooks::WebhookServer::start(
        "127.0.0.1:0".parse().unwrap(),
        dir.path().join("unused.sqlite").as_path(),
        config,
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("App Secret"), "{refused}");
}

#[tokio::test]
async fn a_mention_from_the_recorded_envelope_is_stored() {
    let harness = support::start().await;
    let body = fixture("webhook_mentions_comment_envelope_meta_doc.json");
    assert_eq!(harness.deliver(&body).await, 200);
    let mentions = harness
        .store()
        .mentions(harness.account(MENTIONS_ACCOUNT))
        .unwrap();
    assert_eq!(mentions.len(), 1, "{mentions:?}");
    assert_eq!(mentions[0].ig_media_id, "17918195224117851");
    assert_eq!(
        mentions[0].ig_comment_id.as_deref(),
        Some("17894227972186120")
    );
    assert_eq!(
        mentions[0].mentioned_at.map(|t| t.timestamp()),
        Some(1_520_622_968)
    );
}

#[tokio::test]
async fn a_replayed_delivery_is_stored_once() {
    let harness = support::start().await;
    let comments = comments_delivery();
    let mentions = fixture("webhook_mentions_comment_envelope_meta_doc.json");
    for _ in 0..3 {
        assert_eq!(harness.deliver(&comments).await, 200);
        assert_eq!(harness.deliver(&mentions).await, 200);
    }
    let store = harness.store();
    assert_eq!(
        store
            .comments(harness.account(COMMENTS_ACCOUNT), None)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .mentions(harness.account(MENTIONS_ACCOUNT))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(harness.server.stats().accepted, 6);
}

#[tokio::test]
async fn a_one_byte_change_in_body_or_signature_is_refused() {
    let harness = support::start().await;
    let body = comments_delivery();
    let good = sign(&body);

    // One byte of the body changed ("example" → "exbmple"), the signature of the original.
    let mut tampered = body.clone();
    let at = tampered.windows(7).position(|w| w == b"example").unwrap();
    tampered[at + 2] = b'b';
    assert_eq!(harness.post(&tampered, Some(&good)).await, 403);

    // One hex digit of the signature changed.
    let mut digits = good.clone().into_bytes();
    let last = digits.len() - 1;
    digits[last] = if digits[last] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(digits).unwrap();
    assert_eq!(harness.post(&body, Some(&flipped)).await, 403);

    // No header, another scheme, a signature made with another secret, an empty value.
    assert_eq!(harness.post(&body, None).await, 403);
    let sha1 = good.replace("sha256=", "sha1=");
    assert_eq!(harness.post(&body, Some(&sha1)).await, 403);
    let other = signature_header(&Sensitive::new("another-secret".into()), &body);
    assert_eq!(harness.post(&body, Some(&other)).await, 403);
    assert_eq!(harness.post(&body, Some("")).await, 403);

    let account = harness.account(COMMENTS_ACCOUNT);
    assert!(harness.store().comments(account, None).unwrap().is_empty());
    assert_eq!(harness.server.stats().bad_signature, 6);

    // The original, as signed, passes.
    assert_eq!(harness.post(&body, Some(&good)).await, 200);
    assert_eq!(harness.store().comments(account, None).unwrap().len(), 1);
}

#[tokio::test]
async fn refusals_are_logged_without_the_body_or_the_secret() {
    let harness = support::start().await;
    let body = br#"{"object":"instagram","entry":[{"id":"1","changes":[{"field":"comments","value":{"id":"1","text":"CANARYBODYTEXT"}}]}]}"#;
    assert_eq!(harness.post(body, Some("sha256=00")).await, 403);
    let lines = support::logged();
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("refused a delivery of {} bytes", body.len()))),
        "{lines:?}"
    );
    for line in &lines {
        assert!(!line.contains("CANARYBODYTEXT"), "{line}");
        assert!(!line.contains(APP_SECRET), "{line}");
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read_whole() {
    let harness = support::start().await;
    // A valid, signed delivery padded with white space past the limit.
    let mut body = comments_delivery();
    body.resize(MAX_BODY_BYTES + 1, b' ');
    assert_eq!(harness.deliver(&body).await, 413);
    // Just within the limit it is accepted.
    body.truncate(MAX_BODY_BYTES);
    assert_eq!(harness.deliver(&body).await, 200);
    let stats = harness.server.stats();
    assert_eq!((stats.too_large, stats.accepted), (1, 1));
}

#[tokio::test]
async fn malformed_json_with_a_valid_signature_is_answered_400_and_the_server_goes_on() {
    let harness = support::start().await;
    for body in [
        &b"{\"object\":\"instagram\",\"entry\":[{"[..],
        b"",
        b"\xff\xfe not utf-8",
        br#"{"object":"instagram","entry":5}"#,
        br#"{"entry":[]}"#,
        br#"[1,2,3]"#,
    ] {
        assert_eq!(
            harness.deliver(body).await,
            400,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    assert_eq!(harness.server.stats().malformed, 6);
    assert_eq!(harness.deliver(&comments_delivery()).await, 200);
}

#[tokio::test]
async fn fields_that_are_not_stored_are_acknowledged_and_ignored() {
    let harness = support::start().await;
    let body = serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [
            { "id": COMMENTS_ACCOUNT, "time": 1_764_158_400, "changes": [
                { "field": "messages", "value": { "text": "hello" } },
                { "field": "live_comments", "value": {
                    "id": "1790000000000001", "text": "live!", "media": { "id": "55" } } },
                { "field": "message_reactions", "value": {} }
            ]},
            { "id": COMMENTS_ACCOUNT, "time": 1_764_158_400, "messaging": [
                { "sender": { "id": "1" }, "message": { "text": "hi" } } ] }
        ]
    }))
    .unwrap();
    assert_eq!(harness.deliver(&body).await, 200);
    // Another Meta object (a Page subscription's feed) is acknowledged too.
    let page = br#"{"object":"page","entry":[{"id":"1","time":1,"changes":[{"field":"feed","value":{}}]}]}"#;
    assert_eq!(harness.deliver(page).await, 200);

    let account = harness.account(COMMENTS_ACCOUNT);
    let store = harness.store();
    assert!(store.comments(account, None).unwrap().is_empty());
    assert!(store.mentions(account).unwrap().is_empty());
    let stats = harness.server.stats();
    assert_eq!((stats.accepted, stats.ignored), (2, 4));
}

#[tokio::test]
async fn entries_of_accounts_the_store_does_not_hold_are_acknowledged_and_skipped() {
    let harness = support::start().await;
    let body = serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [
            { "id": "99999999", "time": 1_764_158_400, "changes": [
                { "field": "comments", "value": {
                    "id": "1", "text": "not yours", "media": { "id": "2" } } } ] },
            { "id": COMMENTS_ACCOUNT, "time": 1_764_158_400, "changes": [
                { "field": "comments", "value": {
                    "id": "3", "text": "yours", "media": { "id": "4" } } } ] }
        ]
    }))
    .unwrap();
    assert_eq!(harness.deliver(&body).await, 200);
    let store = harness.store();
    let all: usize = store
        .accounts()
        .unwrap()
        .iter()
        .map(|a| store.comments(a.id, None).unwrap().len())
        .sum();
    assert_eq!(all, 1, "only the known account's comment is stored");
    assert!(store.account_by_ig_id("99999999").unwrap().is_none());
    let stats = harness.server.stats();
    assert_eq!((stats.skipped, stats.comments), (1, 1));
    assert!(
        support::logged()
            .iter()
            .any(|l| l.contains("99999999") && l.contains("does not hold")),
        "the skip is logged"
    );
}

#[tokio::test]
async fn a_change_whose_value_cannot_be_read_is_skipped_and_the_rest_stored() {
    let harness = support::start().await;
    let body = serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [{ "id": COMMENTS_ACCOUNT, "time": 1_764_158_400, "changes": [
            { "field": "comments", "value": { "text": "no id" } },
            { "field": "comments", "value": { "id": "5", "text": "no media" } },
            { "field": "mentions", "value": { "comment_id": "1" } },
            { "field": "comments", "value": { "id": "7", "text": "fine", "media": { "id": "8" } } }
        ]}]
    }))
    .unwrap();
    assert_eq!(harness.deliver(&body).await, 200);
    let comments = harness
        .store()
        .comments(harness.account(COMMENTS_ACCOUNT), None)
        .unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].text, "fine");
    assert_eq!(harness.server.stats().unreadable, 3);
}

#[tokio::test]
async fn stop_writes_what_was_accepted_and_reports_it() {
    let harness = support::start().await;
    assert_eq!(harness.deliver(&comments_delivery()).await, 200);
    let (stats, store, _dir) = harness.stop().await;
    assert_eq!(
        (stats.accepted, stats.comments, stats.write_batches),
        (1, 1, 1)
    );
    assert_eq!(
        store.integrity_check().unwrap().problems,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_delivery_the_store_cannot_take_is_answered_500_so_meta_sends_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = insightdesk_store::Store::open(dir.path().join("full.sqlite")).unwrap();
    let account = store
        .write(|batch| {
            batch.upsert_account(
                &support::profile(COMMENTS_ACCOUNT, "commented"),
                support::received_at(),
            )
        })
        .unwrap();
    // A full disk: the file may not grow any further.
    store.limit_file_size(store.size_bytes().unwrap()).unwrap();
    let config = insightdesk_webhooks::ServerConfig::new(
        Sensitive::new(APP_SECRET.into()),
        Sensitive::new("t".into()),
    );
    let server =
        insightdesk_webhooks::WebhookServer::start("127.0.0.1:0".parse().unwrap(), store, config)
            .await
            .unwrap();
    let body = serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [{ "id": COMMENTS_ACCOUNT, "time": 1_764_158_400, "changes": [
            { "field": "comments", "value": {
                "id": "1", "text": "x".repeat(200_000), "media": { "id": "2" } } } ] }]
    }))
    .unwrap();
    let status = reqwest::Client::new()
        .post(format!("http://{}/", server.local_addr()))
        .header("x-hub-signature-256", sign(&body))
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 500);
    let stats = server.stop().await.unwrap();
    assert_eq!((stats.failed, stats.accepted), (1, 0));
    let store = insightdesk_store::Store::open(dir.path().join("full.sqlite")).unwrap();
    assert!(store.comments(account, None).unwrap().is_empty());
}

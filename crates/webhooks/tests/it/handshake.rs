//! The subscription handshake Meta runs when the callback URL is saved.

use crate::support::{self, VERIFY_TOKEN};

async fn get(harness: &support::Harness, query: &str) -> (u16, String) {
    let answer = harness
        .http
        .get(harness.url(&format!("/webhooks/instagram?{query}")))
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.text().await.unwrap())
}

#[tokio::test]
async fn the_right_verify_token_gets_the_challenge_back() {
    let harness = support::start().await;
    let (status, body) = get(
        &harness,
        &format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, "1158201444"));
    // At the root too: the callback path is the publisher's choice.
    let answer = harness
        .http
        .get(harness.url(&format!(
            "/?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=42"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(
        answer.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(answer.text().await.unwrap(), "42");
    assert_eq!(harness.server.stats().handshakes, 2);
}

#[tokio::test]
async fn anything_else_is_forbidden_and_does_not_echo() {
    let harness = support::start().await;
    for query in [
        "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=CHALLENGE".to_owned(),
        // One character short, one character more, other case.
        format!(
            "hub.mode=subscribe&hub.verify_token={}&hub.challenge=CHALLENGE",
            &VERIFY_TOKEN[..VERIFY_TOKEN.len() - 1]
        ),
        format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}x&hub.challenge=CHALLENGE"),
        format!(
            "hub.mode=subscribe&hub.verify_token={}&hub.challenge=CHALLENGE",
            VERIFY_TOKEN.to_uppercase()
        ),
        format!("hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=CHALLENGE"),
        format!("hub.verify_token={VERIFY_TOKEN}&hub.challenge=CHALLENGE"),
        "hub.mode=subscribe&hub.challenge=CHALLENGE".to_owned(),
        format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}"),
        "hub.mode=%ZZ".to_owned(),
        String::new(),
    ] {
        let (status, body) = get(&harness, &query).await;
        assert_eq!(status, 403, "{query}");
        assert!(!body.contains("CHALLENGE"), "{query}: {body}");
    }
    let stats = harness.server.stats();
    assert_eq!((stats.handshakes, stats.handshakes_refused), (0, 10));
    assert!(
        support::logged()
            .iter()
            .all(|line| !line.contains(VERIFY_TOKEN)),
        "the verify token reached a log line"
    );
}

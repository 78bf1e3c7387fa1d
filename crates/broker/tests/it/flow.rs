//! The broker's four endpoints, its refusals, and the canary over its logs and answers.

use chrono::Duration;
use serde_json::Value;

use crate::logger;
use crate::support::{self, Harness, consent, location, params};

const NONCE: &str = "ZGVza3RvcC1ub25jZS0wMTIzNDU2Nzg5MDEyMzQ1Njc";
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9qWhV2bAh8NjrsOhBCb7u5zv0";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const PORT: u16 = 47813;

fn start_url(h: &Harness, kind: &str) -> String {
    let mut url = format!("{}/start?kind={kind}&port={PORT}&state={NONCE}", h.broker);
    if kind == "facebook" {
        url.push_str(&format!("&code_challenge={CHALLENGE}"));
    }
    url
}

/// `/start` → Meta's dialog → consent → `/callback` → the bounce to the desktop.
async fn bounce(h: &Harness, kind: &str, allow: bool) -> String {
    let start = h.http.get(start_url(h, kind)).send().await.unwrap();
    assert_eq!(start.status(), 302);
    assert_eq!(start.headers()["cache-control"], "no-store");
    let dialog = location(&start);
    let asked = params(&dialog);
    assert_eq!(asked["redirect_uri"], format!("{}/callback", h.broker));
    assert_ne!(asked["state"], NONCE, "Meta sees the broker's signed state");
    assert_eq!(asked.contains_key("code_challenge"), kind == "facebook");
    let to_broker = consent(h, &dialog, allow).await;
    assert!(
        to_broker.starts_with(&format!("{}/callback?", h.broker)),
        "{to_broker}"
    );
    let callback = h.http.get(&to_broker).send().await.unwrap();
    assert_eq!(callback.status(), 302);
    location(&callback)
}

async fn exchange(h: &Harness, body: Value) -> (u16, Value) {
    let answer = h
        .http
        .post(format!("{}/exchange", h.broker))
        .json(&body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.json().await.unwrap())
}

#[tokio::test]
async fn facebook_and_instagram_codes_bounce_to_the_desktop_and_exchange_for_long_lived_tokens() {
    let h = support::start().await;
    for kind in ["facebook", "instagram"] {
        let desktop = bounce(&h, kind, true).await;
        assert!(
            desktop.starts_with(&format!("http://127.0.0.1:{PORT}/callback?")),
            "{desktop}"
        );
        let back = params(&desktop);
        assert_eq!(back["state"], NONCE, "the desktop gets its own nonce back");
        let mut body = serde_json::json!({ "kind": kind, "code": back["code"] });
        if kind == "facebook" {
            body["code_verifier"] = VERIFIER.into();
        }
        let (status, token) = exchange(&h, body.clone()).await;
        assert_eq!(status, 200, "{token}");
        assert_eq!(token["expires_in"], 5_183_944);
        let access = token["access_token"].as_str().unwrap();
        let host = if kind == "facebook" {
            "graph.facebook.com"
        } else {
            "graph.instagram.com"
        };
        let me = h
            .http
            .get(format!("{}/{host}/v26.0/me", h.sandbox.base_url()))
            .bearer_auth(access)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200, "the long-lived token works");
        if kind == "instagram" {
            assert_eq!(token["user_id"], h.creds.ig_user_id.as_str());
            assert!(
                token["permissions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p == "instagram_business_manage_insights")
            );
        }
        // A code works once.
        let (status, again) = exchange(&h, body).await;
        assert_eq!(status, 401, "{again}");
        assert_eq!(again["error"]["class"], "needs_reauth");
    }
}

#[tokio::test]
async fn deny_is_passed_on_to_the_desktop() {
    let h = support::start().await;
    let desktop = bounce(&h, "instagram", false).await;
    let back = params(&desktop);
    assert_eq!(back["error"], "access_denied");
    assert_eq!(back["state"], NONCE);
    assert!(!back.contains_key("code"));
}

#[tokio::test]
async fn start_refuses_what_it_cannot_sign() {
    let h = support::start().await;
    let good = format!("kind=facebook&port={PORT}&state={NONCE}&code_challenge={CHALLENGE}");
    for (query, why) in [
        (
            good.replace("kind=facebook", "kind=myspace"),
            "unknown kind",
        ),
        (
            good.replace(&format!("port={PORT}"), "port=80"),
            "a privileged port",
        ),
        (
            good.replace(&format!("port={PORT}"), "port=http"),
            "not a port",
        ),
        (good.replace(NONCE, "short"), "a short nonce"),
        (
            good.replace(NONCE, &format!("{}%20", &NONCE[1..])),
            "a nonce with a space",
        ),
        (
            good.replace(&format!("&code_challenge={CHALLENGE}"), ""),
            "Facebook without PKCE",
        ),
        (good.replace(CHALLENGE, "x"), "a malformed challenge"),
    ] {
        let answer = h
            .http
            .get(format!("{}/start?{query}", h.broker))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{why}");
        assert!(
            answer
                .text()
                .await
                .unwrap()
                .contains("Cannot start signing in"),
            "{why}"
        );
    }
}

#[tokio::test]
async fn callback_refuses_forged_and_expired_states() {
    let h = support::start().await;
    let start = h.http.get(start_url(&h, "instagram")).send().await.unwrap();
    let dialog = location(&start);
    let to_broker = consent(&h, &dialog, true).await;
    let signed = params(&to_broker)["state"].clone();
    let code = params(&to_broker)["code"].clone();
    let (payload, tag) = signed.split_once('.').unwrap();

    let callback = |state: String| {
        let url = format!("{}/callback?code={code}&state={state}", h.broker);
        let http = h.http.clone();
        async move {
            let answer = http.get(url).send().await.unwrap();
            (answer.status().as_u16(), answer.text().await.unwrap())
        }
    };
    let (status, page) = callback(format!("{payload}.{}", &tag[..tag.len() - 2])).await;
    assert_eq!(status, 400);
    assert!(
        page.contains("not started by this sign-in service"),
        "{page}"
    );
    assert_eq!(
        callback(NONCE.to_owned()).await.0,
        400,
        "a desktop nonce is not a broker state"
    );
    assert_eq!(callback(String::new()).await.0, 400);
    let no_state = h
        .http
        .get(format!("{}/callback?code={code}", h.broker))
        .send()
        .await
        .unwrap();
    assert_eq!(no_state.status(), 400);

    h.clock.advance(std::time::Duration::from_secs(16 * 60));
    let (status, page) = callback(signed.clone()).await;
    assert_eq!(status, 400);
    assert!(page.contains("took too long"), "{page}");
}

#[tokio::test]
async fn exchange_and_refresh_refuse_bad_requests_with_json_errors() {
    let h = support::start().await;
    let bad = h
        .http
        .post(format!("{}/exchange", h.broker))
        .body("not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let (status, body) =
        exchange(&h, serde_json::json!({ "kind": "facebook", "code": "AQx" })).await;
    assert_eq!(status, 400, "Facebook needs the verifier: {body}");
    let (status, body) = exchange(
        &h,
        serde_json::json!({ "kind": "instagram", "code": "AQnope" }),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    let huge = "x".repeat(64 * 1024);
    let (status, _) = {
        let answer = h
            .http
            .post(format!("{}/exchange", h.broker))
            .json(&serde_json::json!({ "kind": "instagram", "code": huge }))
            .send()
            .await
            .unwrap();
        (answer.status().as_u16(), ())
    };
    assert_eq!(status, 413, "bodies are small");
    let refresh = h
        .http
        .post(format!("{}/refresh", h.broker))
        .json(&serde_json::json!({ "access_token": "IGAAnotatoken" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), 401);
}

#[tokio::test]
async fn refresh_gives_a_fresh_instagram_token() {
    let h = support::start().await;
    // The demo token was issued two days ago, past Instagram's 24-hour rule.
    let answer = h
        .http
        .post(format!("{}/refresh", h.broker))
        .json(&serde_json::json!({ "access_token": h.creds.instagram_token.access_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    assert_ne!(
        body["access_token"],
        h.creds.instagram_token.access_token.as_str()
    );
    assert_eq!(body["expires_in"], 5_183_944);
    h.sandbox.advance(Duration::hours(1));
}

#[tokio::test]
async fn the_broker_logs_and_shows_no_token_code_or_secret() {
    logger::install();
    let h = support::start().await;
    let mut secrets = vec![
        h.creds.facebook_app.app_secret.clone(),
        h.creds.instagram_app.app_secret.clone(),
        h.creds.instagram_token.access_token.clone(),
        VERIFIER.to_owned(),
    ];
    let mut shown: Vec<String> = Vec::new();
    // Codes must reach the desktop through the bounce's Location, so they are checked
    // everywhere but there.
    let mut codes = Vec::new();
    let mut bounces = Vec::new();
    for kind in ["facebook", "instagram"] {
        let start = h.http.get(start_url(&h, kind)).send().await.unwrap();
        shown.push(format!("{:?}", start.headers()));
        let dialog = location(&start);
        let to_broker = consent(&h, &dialog, true).await;
        let code = params(&to_broker)["code"].clone();
        codes.push(code.clone());
        let callback = h.http.get(&to_broker).send().await.unwrap();
        let headers = format!("{:?}", callback.headers());
        bounces.push(format!("{headers} {}", callback.text().await.unwrap()));
        let mut body = serde_json::json!({ "kind": kind, "code": code });
        if kind == "facebook" {
            body["code_verifier"] = VERIFIER.into();
        }
        let (_, token) = exchange(&h, body.clone()).await;
        secrets.push(token["access_token"].as_str().unwrap().to_owned());
        // The second use fails; that error answer must not quote the code or the secret.
        let (_, error) = exchange(&h, body).await;
        shown.push(error.to_string());
    }
    let refresh = h
        .http
        .post(format!("{}/refresh", h.broker))
        .json(&serde_json::json!({ "access_token": h.creds.instagram_token.access_token }))
        .send()
        .await
        .unwrap();
    let fresh: Value = refresh.json().await.unwrap();
    secrets.push(fresh["access_token"].as_str().unwrap().to_owned());
    let expired = h
        .http
        .post(format!("{}/refresh", h.broker))
        .json(&serde_json::json!({ "access_token": format!("{}x", h.creds.instagram_token.access_token) }))
        .send()
        .await
        .unwrap();
    shown.push(expired.text().await.unwrap());

    let lines = logger::lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("exchange: instagram long-lived token issued")),
        "{lines:?}"
    );
    let log = lines.join("\n");
    for code in &codes {
        assert!(!log.contains(code.as_str()), "the log holds a code: {log}");
        for text in &shown {
            assert!(
                !text.contains(code.as_str()),
                "an answer holds a code: {text}"
            );
        }
    }
    shown.extend(bounces);
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the log holds a secret: {log}"
        );
        for text in &shown {
            assert!(
                !text.contains(secret.as_str()),
                "an answer holds a secret: {text}"
            );
        }
    }
}

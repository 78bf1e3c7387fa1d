//! A distinctive token never appears in any `Display`/`Debug` output, log line or error,
//! whatever the client does with it (requests, OAuth calls with secrets in parameters,
//! failures, retries).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use insightdesk_graph::models::{Insights, TokenResponse};
use insightdesk_graph::parse::parse_json;
use insightdesk_graph::{
    AppCredentials, AuthorizeParams, BatchRequest, Endpoints, GraphClient, GraphError, LoginKind,
    ManualClock, MetaError, RetryPolicy,
};
use insightdesk_secret::Sensitive;

use crate::logger;

pub const CANARY: &str = "CANARYtok3n9f8e7dQX";
const CANARY_SECRET: &str = "CANARYsecret51z";
const CANARY_CODE: &str = "CANARYcode77ab";

fn leaks(text: &str) -> bool {
    text.contains("CANARY")
}

fn assert_clean(what: &str, text: &str) {
    assert!(!leaks(text), "{what} leaks a secret: {text}");
}

fn check_error(error: &GraphError) {
    assert_clean("Display", &error.to_string());
    assert_clean("Debug", &format!("{error:?}"));
}

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_788_000_000, 0).unwrap_or_default()
}

/// Every call the client makes, against a port nothing listens on: each one fails (after a
/// retry), so the request URL lands in errors and log lines.
#[tokio::test]
async fn a_token_never_shows_offline() {
    logger::install();
    let token = Sensitive::new(CANARY.to_owned());
    let secret = Sensitive::new(CANARY_SECRET.to_owned());
    let app = AppCredentials {
        app_id: "1234".into(),
        app_secret: Some(secret.clone()),
    };
    let code = Sensitive::new(format!("{CANARY_CODE}#_"));
    let retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(1),
        ..RetryPolicy::default()
    };
    for login in LoginKind::ALL {
        let client = GraphClient::builder(login)
            .endpoints(Endpoints::sandbox("http://127.0.0.1:1"))
            .token(token.clone())
            .app_secret(secret.clone())
            .clock(Arc::new(ManualClock::new(start())))
            .retry(retry.clone())
            .build()
            .unwrap();
        assert_clean("client Debug", &format!("{client:?}"));

        let mut errors = vec![
            client.user("178").profile().await.err(),
            client
                .media("179")
                .insights()
                .metrics(["reach"])
                .send()
                .await
                .err(),
            client
                .user("178")
                .insights()
                .metrics(["reach"])
                .send()
                .await
                .err(),
            client
                .user("178")
                .media()
                .stream()
                .next()
                .await
                .and_then(Result::err),
            client
                .oauth()
                .exchange_facebook_code(&app, &code, "http://127.0.0.1:5/cb", Some(&token))
                .await
                .err(),
            client
                .oauth()
                .exchange_instagram_code(&app, &code, "http://127.0.0.1:5/cb")
                .await
                .err(),
            client
                .oauth()
                .exchange_facebook_token(&app, &token)
                .await
                .err(),
            client
                .oauth()
                .exchange_instagram_token(&app, &token)
                .await
                .err(),
            client.oauth().refresh_instagram_token(&token).await.err(),
            client.oauth().debug_token(&app, &token).await.err(),
            client.oauth().revoke(&token).await.err(),
            client
                .batch(vec![BatchRequest::get("v26.0/1/insights?metric=reach")])
                .await
                .err(),
        ];
        if login == LoginKind::Facebook {
            errors.push(client.me().pages().next().await.and_then(Result::err));
        }
        for error in errors.iter().flatten() {
            check_error(error);
        }
        assert!(
            errors.iter().flatten().count() >= 11,
            "the calls failed as expected"
        );

        let url = client
            .oauth()
            .authorize_url(&AuthorizeParams {
                client_id: "1234",
                redirect_uri: "http://127.0.0.1:5/cb",
                scopes: &["instagram_basic"],
                state: &token,
                pkce_challenge: None,
                force_reauth: false,
            })
            .unwrap();
        assert!(
            url.expose().contains(CANARY),
            "the browser gets the real state"
        );
        assert_clean("AuthorizeUrl", &format!("{url} {url:?}"));
    }
    for line in logger::lines() {
        assert_clean("log line", &line);
    }
}

#[test]
fn tokens_in_bodies_and_messages_stay_hidden() {
    let body =
        format!(r#"{{"access_token":"{CANARY}","token_type":"bearer","expires_in":5183944}}"#);
    let token: TokenResponse = parse_json(body.as_bytes()).unwrap();
    assert_clean("TokenResponse Debug", &format!("{token:?}"));
    let error = format!(
        r#"{{"error":{{"message":"Bad request GET /me?access_token={CANARY}&fields=id, code={CANARY_CODE}","type":"OAuthException","code":100,"error_user_msg":"client_secret={CANARY_SECRET}"}}}}"#
    );
    let meta = MetaError::from_body(error.as_bytes()).unwrap();
    let error = GraphError::Api {
        class: meta.class(),
        meta: Box::new(meta),
        status: 400,
        request: "GET https://graph.facebook.com/v26.0/me".into(),
    };
    check_error(&error);
    // A body that does not parse says where, not what the token was.
    let drift = format!(r#"{{"data":[{{"name":"reach","values":"{CANARY}"}}]}}"#);
    let Err(e) = parse_json::<Insights>(drift.as_bytes()) else {
        panic!("drift")
    };
    assert_clean("drift error", &format!("{e:?}"));
}

/// The same against the sandbox, with faults and an expiry on the way: no token, page token,
/// exchanged token or app secret ever shows in a result's `Debug`, an error or a log line.
#[tokio::test]
async fn no_token_shows_against_the_sandbox() {
    let plan = insightdesk_sandbox::FaultPlan::parse(
        "5xx@3,reset@5,throttle@7,malformed@9,transient@11,expire_after=24~graph.facebook.com",
    )
    .unwrap();
    let meta = crate::support::start_with(crate::support::NOW, plan, Default::default()).await;
    let mut secrets: Vec<String> = vec![
        meta.token(LoginKind::Facebook).expose().clone(),
        meta.token(LoginKind::Instagram).expose().clone(),
        meta.creds.facebook_app.app_secret.clone(),
        meta.creds.instagram_app.app_secret.clone(),
    ];
    let mut shown: Vec<String> = Vec::new();
    let fb = meta.client(LoginKind::Facebook);
    let ig = meta.client(LoginKind::Instagram);
    let user = meta.creds.ig_user_id.clone();

    let pages: Vec<_> = fb.me().pages().collect().await;
    for page in pages.iter().flatten() {
        if let Some(token) = &page.access_token {
            secrets.push(token.expose().clone());
        }
    }
    shown.push(format!("{pages:?}"));
    let media: Vec<_> = fb
        .user(&user)
        .media()
        .limit(5)
        .cap(40)
        .with_common_insights()
        .stream()
        .collect()
        .await;
    shown.push(format!("{media:?}"));
    let fb_app = meta.app(LoginKind::Facebook);
    let long = fb
        .oauth()
        .exchange_facebook_token(&fb_app, &meta.token(LoginKind::Facebook))
        .await;
    if let Ok(token) = &long {
        secrets.push(token.access_token.expose().clone());
    }
    shown.push(format!("{long:?}"));
    shown.push(format!(
        "{:?}",
        fb.oauth()
            .debug_token(&fb_app, &meta.token(LoginKind::Facebook))
            .await
    ));
    let refreshed = ig
        .oauth()
        .refresh_instagram_token(&meta.token(LoginKind::Instagram))
        .await;
    if let Ok(token) = &refreshed {
        secrets.push(token.access_token.expose().clone());
    }
    shown.push(format!("{refreshed:?}"));
    shown.push(format!("{:?}", ig.me().instagram_user().await));
    // Keep going on Facebook until the token has expired.
    let mut expired = None;
    for _ in 0..30 {
        if let Err(error) = fb.user(&user).profile().await {
            shown.push(format!("{error} {error:?}"));
            if error.class() == insightdesk_graph::ErrorClass::NeedsReauth {
                expired = Some(error);
                break;
            }
        }
    }
    assert!(expired.is_some(), "the token expired on the way");
    let lines: Vec<String> = logger::lines()
        .into_iter()
        .filter(|l| l.contains("insightdesk_graph"))
        .collect();
    assert!(
        !lines.is_empty(),
        "the client logged its requests and retries"
    );
    for text in shown.iter().chain(&lines) {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret shows in: {text}");
        }
    }
}

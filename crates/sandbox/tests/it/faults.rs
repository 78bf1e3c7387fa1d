//! Every fault kind, injected exactly where a test wants it.

use crate::support::*;
use insightdesk_sandbox::{BucConfig, FaultKind, FaultPlan, Trigger};
use serde_json::Value;
use std::time::Duration;

async fn with_faults(spec: &str) -> Harness {
    start_with(NOW, FaultPlan::parse(spec).unwrap(), BucConfig::default()).await
}

#[test]
fn the_spec_grammar_parses_and_rejects() {
    let plan = FaultPlan::parse("5xx=0.05,reset=0.02,delay=0.01:30s,truncate=0.01,malformed=0.01,throttle_after=200,expire_after=50,transient=0.02").unwrap();
    assert_eq!(plan.rules.len(), 8);
    assert_eq!(
        plan.rules[2].kind,
        FaultKind::Delay(Duration::from_secs(30))
    );
    let exact = FaultPlan::parse("throttle@2-4:613~/insights").unwrap();
    assert_eq!(exact.rules[0].kind, FaultKind::Throttle(613));
    assert_eq!(exact.rules[0].trigger, Trigger::Nth { from: 2, to: 4 });
    assert_eq!(exact.rules[0].path_contains.as_deref(), Some("/insights"));
    assert!(FaultPlan::parse("").unwrap().rules.is_empty());
    for bad in [
        "5xx=2",
        "reset@0",
        "nope=0.1",
        "throttle@1:99",
        "5xx@3:404",
        "delay=0.1:forever",
        "5xx",
        "expire_after=x",
        "reset@1~",
    ] {
        assert!(FaultPlan::parse(bad).is_err(), "{bad} must be rejected");
    }
}

#[tokio::test]
async fn server_errors_and_transient_errors() {
    let h = with_faults("5xx@1,5xx@2:503,transient@3").await;
    let first = h.get("v24.0/me").await;
    assert_eq!((first.status, first.error_code()), (500, Some(1)));
    let second = h.get("v24.0/me").await;
    assert_eq!(second.status, 503);
    let third = h.get("v24.0/me").await;
    assert_eq!(
        (
            third.error_code(),
            third.body["error"]["is_transient"].as_bool()
        ),
        (Some(2), Some(true))
    );
    assert_eq!(h.get("v24.0/me").await.status, 200);
}

#[tokio::test]
async fn resets_truncation_and_malformed_bodies() {
    let h = with_faults("reset@1,truncate@2,malformed@3").await;
    let reset = h
        .http
        .get(h.fb("v24.0/me"))
        .bearer_auth(h.token())
        .send()
        .await;
    assert!(reset.is_err(), "the connection is reset");
    let truncated = h
        .http
        .get(h.fb("v24.0/me"))
        .bearer_auth(h.token())
        .send()
        .await
        .unwrap();
    assert!(truncated.bytes().await.is_err(), "the body stops half way");
    let malformed = h
        .http
        .get(h.fb("v24.0/me"))
        .bearer_auth(h.token())
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 200);
    assert!(serde_json::from_str::<serde_json::Value>(&malformed.text().await.unwrap()).is_err());
    assert_eq!(h.get("v24.0/me").await.status, 200);
    let faults: Vec<Option<String>> = h.sandbox.ledger().iter().map(|e| e.fault.clone()).collect();
    assert_eq!(
        faults[..3],
        [
            Some("reset".to_string()),
            Some("truncate".to_string()),
            Some("malformed".to_string())
        ]
    );
}

#[tokio::test]
async fn delays_outlast_a_client_timeout() {
    let h = with_faults("delay@1:3s").await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let slow = client
        .get(h.fb("v24.0/me"))
        .bearer_auth(h.token())
        .send()
        .await;
    assert!(slow.unwrap_err().is_timeout());
    assert_eq!(h.get("v24.0/me").await.status, 200);
}

#[tokio::test]
async fn throttling_faults_use_metas_codes() {
    let h = with_faults(
        "throttle@1:32,throttle@2:80001,throttle@3:4,throttle@4:17,throttle@5:613,throttle@6",
    )
    .await;
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(h.get("v24.0/me").await);
    }
    assert_eq!(
        codes[0].body["error"]["message"],
        fixture("error_rate_limit_32_page.json")["error"]["message"]
    );
    assert_eq!(
        codes[1].body["error"]["message"],
        fixture("error_rate_limit_buc_80001.json")["error"]["message"]
    );
    let got: Vec<Option<i64>> = codes.iter().map(Reply::error_code).collect();
    assert_eq!(
        got,
        vec![
            Some(32),
            Some(80001),
            Some(4),
            Some(17),
            Some(613),
            Some(80002)
        ]
    );
}

#[tokio::test]
async fn injected_errors_carry_the_usage_headers_of_every_graph_answer() {
    let h = with_faults("throttle@1,throttle@2:4,transient@3,5xx@4,5xx@5:503").await;
    let account = format!("v24.0/{}?fields=id", h.ig_id());
    let buc = |reply: &Reply| -> Value {
        let header = reply
            .header("x-business-use-case-usage")
            .unwrap_or_else(|| panic!("no BUC header on {}", reply.body));
        serde_json::from_str::<Value>(&header).unwrap()[h.ig_id()][0].clone()
    };

    // An account's BUC throttle: its entry says in how many minutes access returns.
    let throttled = h.get(&account).await;
    assert_eq!(throttled.error_code(), Some(80002));
    let entry = buc(&throttled);
    let regain = entry["estimated_time_to_regain_access"].as_u64().unwrap();
    assert!(regain > 0, "{entry}");
    assert_eq!(
        throttled.header("facebook-api-version").as_deref(),
        Some("v24.0")
    );

    // A Platform throttle: the app's usage, which carries no estimate.
    let platform = h.get("v24.0/me").await;
    assert_eq!(platform.error_code(), Some(4));
    let app: Value = serde_json::from_str(&platform.header("x-app-usage").unwrap()).unwrap();
    assert!(app["call_count"].is_u64(), "{app}");

    // Other Graph errors carry the usage as it is: nothing is blocked.
    let transient = h.get(&account).await;
    assert_eq!(transient.error_code(), Some(2));
    assert_eq!(buc(&transient)["estimated_time_to_regain_access"], 0);
    let server = h.get(&account).await;
    assert_eq!((server.status, server.error_code()), (500, Some(1)));
    assert_eq!(buc(&server)["estimated_time_to_regain_access"], 0);

    // A 503 page from Meta's edge is not a Graph answer.
    let edge = h.get(&account).await;
    assert_eq!(edge.status, 503);
    assert_eq!(edge.header("x-business-use-case-usage"), None);

    // The fault was one refusal: the account answers again at once.
    assert_eq!(h.get(&account).await.status, 200);
}

#[tokio::test]
async fn throttle_after_blocks_the_account_until_the_window_passes() {
    let h = with_faults("throttle_after=3:2h~/insights").await;
    let url = format!("v24.0/{}/insights?metric=reach&period=day", h.ig_id());
    for _ in 0..3 {
        assert_eq!(h.get(&url).await.status, 200);
    }
    assert_eq!(h.get(&url).await.error_code(), Some(80002));
    assert_eq!(
        h.get(&format!("v24.0/{}?fields=id", h.ig_id()))
            .await
            .error_code(),
        Some(80002),
        "the whole account is throttled"
    );
    h.sandbox.advance(chrono::Duration::minutes(121));
    assert_eq!(h.get(&url).await.status, 200);
}

#[tokio::test]
async fn token_expiry_and_invalidation_after_n_calls() {
    let h = with_faults("expire_after=2").await;
    assert_eq!(h.get("v24.0/me").await.status, 200);
    assert_eq!(h.get("v24.0/me").await.status, 200);
    let expired = h.get("v24.0/me").await;
    assert_eq!(
        (expired.error_code(), expired.error_subcode()),
        (Some(190), Some(463))
    );
    let repeat = h.get("v24.0/me").await;
    assert_eq!(
        repeat.error_subcode(),
        Some(463),
        "an expired token stays expired"
    );
    assert_eq!(h.get_ig("me").await.status, 200, "other tokens still work");
    let h = with_faults("invalidate_after=1").await;
    h.get("v24.0/me").await;
    assert_eq!(h.get("v24.0/me").await.error_subcode(), Some(460));
}

#[tokio::test]
async fn probabilistic_faults_are_deterministic_by_seed() {
    let mut outcomes = Vec::new();
    for _ in 0..2 {
        let h = with_faults("5xx=0.3").await;
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(h.get("v24.0/me").await.status);
        }
        outcomes.push(statuses);
    }
    assert_eq!(outcomes[0], outcomes[1]);
    let failures = outcomes[0].iter().filter(|s| **s == 500).count();
    assert!((1..=14).contains(&failures), "{failures} of 20");
}

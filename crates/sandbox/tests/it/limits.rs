//! Rate limits: BUC headers on every Graph answer, throttling until the window allows again,
//! Platform usage, and the ledger with batch counting.

use crate::support::*;
use chrono::Duration;
use insightdesk_sandbox::{BucConfig, FaultPlan};
use serde_json::Value;

#[tokio::test]
async fn buc_header_has_the_real_shape() {
    let h = start().await;
    let reply = h.get(&format!("v24.0/{}?fields=id", h.ig_id())).await;
    let header = reply.header("x-business-use-case-usage").unwrap();
    let fixture_headers = fixture("rate_limit_headers_buc_pyfb.json");
    let recorded: Value = serde_json::from_str(
        fixture_headers["x-business-use-case-usage"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let ours: Value = serde_json::from_str(&header).unwrap();
    let recorded_entry = recorded.as_object().unwrap().values().next().unwrap();
    same_structure(recorded_entry, &ours[h.ig_id()], &[]).unwrap();
    assert_eq!(ours[h.ig_id()][0]["type"], "instagram");
    let platform = h.get("v24.0/me").await;
    let app_usage: Value = serde_json::from_str(&platform.header("x-app-usage").unwrap()).unwrap();
    assert!(app_usage["call_count"].is_number() && app_usage["total_time"].is_number());
}

#[tokio::test]
async fn throttled_calls_are_refused_until_the_window_allows() {
    let buc = BucConfig {
        budget: Some(5),
        ..BucConfig::default()
    };
    let h = start_with(NOW, FaultPlan::none(), buc).await;
    let url = format!("v24.0/{}?fields=id", h.ig_id());
    for _ in 0..5 {
        assert_eq!(h.get(&url).await.status, 200);
    }
    let refused = h.get(&url).await;
    assert_eq!(refused.error_code(), Some(80002));
    assert!(
        refused.message().starts_with(
            fixture("error_rate_limit_instagram_80002_airbyte_test.json")["error"]["message"]
                .as_str()
                .unwrap()
        )
    );
    let usage: Value =
        serde_json::from_str(&refused.header("x-business-use-case-usage").unwrap()).unwrap();
    let wait = usage[h.ig_id()][0]["estimated_time_to_regain_access"]
        .as_i64()
        .unwrap();
    assert!(wait > 0 && usage[h.ig_id()][0]["call_count"].as_i64().unwrap() >= 100);
    h.sandbox.advance(Duration::hours(12));
    assert_eq!(
        h.get(&url).await.error_code(),
        Some(80002),
        "still refused inside the window"
    );
    h.sandbox.advance(Duration::hours(13));
    assert_eq!(
        h.get(&url).await.status,
        200,
        "allowed again once the calls left the window"
    );
}

#[tokio::test]
async fn budget_follows_the_impressions_formula() {
    let buc = BucConfig {
        calls_per_impression: 1,
        impressions: Some(3),
        ..BucConfig::default()
    };
    let h = start_with(NOW, FaultPlan::none(), buc).await;
    let url = format!("v24.0/{}/insights?metric=reach&period=day", h.ig_id());
    let statuses: Vec<u16> = futures::future::join_all((0..4).map(|_| h.get(&url)))
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        3,
        "{statuses:?}"
    );
    // Another account has its own ledger.
    assert_eq!(
        h.get(&format!("v24.0/{}?fields=id", h.creds.small_ig_user_id))
            .await
            .status,
        200
    );
    let platform = BucConfig {
        platform_calls_per_user_hour: 2,
        ..BucConfig::default()
    };
    h.sandbox.set_buc(platform);
    h.get("v24.0/me").await;
    h.get("v24.0/me").await;
    assert_eq!(h.get("v24.0/me").await.error_code(), Some(4));
}

#[tokio::test]
async fn ledger_counts_http_requests_and_meta_calls_and_batch_items() {
    let h = start().await;
    h.sandbox.clear_ledger();
    h.get(&format!("v24.0/me?access_token={}", h.token())).await;
    let entries = h.sandbox.ledger();
    assert_eq!(entries.len(), 1);
    assert!(
        !entries[0].path.contains("access_token"),
        "tokens never reach the ledger: {}",
        entries[0].path
    );
    let batch: Vec<Value> = (0..3)
        .map(|_| serde_json::json!({ "method": "GET", "relative_url": format!("{}?fields=id,username", h.ig_id()) }))
        .chain([serde_json::json!({ "method": "GET", "relative_url": "v24.0/me/accounts?fields=id" })])
        .collect();
    let reply = h
        .post_form(
            &h.fb("v24.0"),
            &[
                ("batch", &serde_json::to_string(&batch).unwrap()),
                ("include_headers", "true"),
            ],
            Some(&h.token()),
        )
        .await;
    let items = reply.body.as_array().unwrap();
    assert_eq!(items.len(), 4);
    for item in items {
        assert_eq!(item["code"], 200);
        let body: Value =
            serde_json::from_str(item["body"].as_str().unwrap()).expect("body is a JSON string");
        assert!(body.is_object());
        assert!(
            item["headers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["name"] == "Content-Type")
        );
    }
    assert_eq!(h.sandbox.http_requests(), 2);
    assert_eq!(h.sandbox.counted_calls(), 5, "1 + 4 batch items");
    let ledger = h
        .http
        .get(format!("{}/__sandbox/ledger", h.base))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(ledger["http_requests"], 2);
    assert_eq!(ledger["counted_calls"], 5);
    assert_eq!(
        ledger["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["http_request"] == false)
            .count(),
        4
    );
}

#[tokio::test]
async fn batch_limits_and_bad_json() {
    let h = start().await;
    let many: Vec<Value> = (0..51)
        .map(|_| serde_json::json!({ "method": "GET", "relative_url": "me" }))
        .collect();
    let too_many = h
        .post_form(
            &h.fb("v24.0"),
            &[("batch", &serde_json::to_string(&many).unwrap())],
            Some(&h.token()),
        )
        .await;
    assert!(too_many.message().contains("Maximum batch size is 50"));
    let bad = h
        .post_form(&h.fb(""), &[("batch", "[{not json")], Some(&h.token()))
        .await;
    assert_eq!((bad.status, bad.error_code()), (400, Some(100)));
    let mixed = serde_json::json!([{ "relative_url": "me" }, { "method": "GET", "relative_url": "v24.0/123456789/insights" }, { "method": "GET" }]);
    let reply = h
        .post_form(
            &h.fb(""),
            &[("batch", &mixed.to_string()), ("include_headers", "false")],
            Some(&h.token()),
        )
        .await;
    let items = reply.body.as_array().unwrap();
    assert_eq!(items[0]["code"], 200);
    assert_eq!(items[1]["code"], 400);
    assert!(items[0].get("headers").is_none());
    assert_eq!(items[2]["code"], 400);
}

#[tokio::test]
async fn the_clock_and_faults_can_be_steered_over_http() {
    let h = start().await;
    let set = h
        .http
        .post(format!("{}/__sandbox/clock", h.base))
        .json(&serde_json::json!({ "now": "2025-04-21T00:00:00Z" }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    assert_eq!(h.sandbox.now(), at("2025-04-21T00:00:00Z"));
    h.http
        .post(format!("{}/__sandbox/clock", h.base))
        .form(&[("advance", "48h")])
        .send()
        .await
        .unwrap();
    assert_eq!(h.sandbox.now(), at("2025-04-23T00:00:00Z"));
    let faults = h
        .http
        .post(format!("{}/__sandbox/faults", h.base))
        .body("5xx@1")
        .send()
        .await
        .unwrap();
    assert_eq!(faults.status(), 200);
    assert_eq!(h.get("v22.0/me").await.status, 500);
    assert_eq!(
        h.get("v22.0/me").await.status,
        200,
        "v22 existed on 23 Apr 2025, v24 did not"
    );
    let bad = h
        .http
        .post(format!("{}/__sandbox/faults", h.base))
        .body("boom=1")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let creds = h
        .http
        .get(format!("{}/__sandbox/credentials", h.base))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(creds["ig_user_id"], h.ig_id().as_str());
}

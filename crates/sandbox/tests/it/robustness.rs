//! Malformed requests never crash the sandbox: it answers as Meta would, and keeps serving.

use crate::support::*;
use proptest::prelude::*;
use std::io::{Read, Write};

#[tokio::test]
async fn bad_query_strings_methods_and_huge_params_get_meta_errors() {
    let h = start().await;
    let odd = [
        "v24.0/me?fields=%ZZ",
        "v24.0/me?fields=id{",
        "v24.0/me?fields=id,,,",
        "v24.0/%FF%FE",
        "v24.0//me",
        "v24.0/me?limit=abc&after=%00",
    ];
    for path in odd {
        let reply = h.get(path).await;
        assert!(
            reply.status == 200 || reply.error_code().is_some(),
            "{path}: {} {}",
            reply.status,
            reply.body
        );
    }
    let huge = "x".repeat(50_000);
    let long = h
        .get(&format!(
            "v24.0/{}/insights?metric={huge}&period=day",
            h.ig_id()
        ))
        .await;
    assert_eq!(long.error_code(), Some(100), "an unknown metric");
    let put = h
        .http
        .put(h.fb("v24.0/me"))
        .bearer_auth(h.token())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 400);
    let body: serde_json::Value = put.json().await.unwrap();
    assert_eq!(body["error"]["code"], 100);
    let limit = h.get(&format!("v24.0/{}/media?limit=abc", h.ig_id())).await;
    assert_eq!(limit.error_code(), Some(100));
    let cursor = h
        .get(&format!("v24.0/{}/media?after=bogus", h.ig_id()))
        .await;
    assert_eq!(cursor.error_code(), Some(100));
}

#[tokio::test]
async fn raw_non_utf8_and_broken_http_do_not_stop_the_server() {
    let h = start().await;
    let address = h.base.trim_start_matches("http://").to_string();
    let requests: [&[u8]; 3] = [
        b"GET /graph.facebook.com/v24.0/\xff\xfe/me HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /graph.facebook.com/v24.0 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n\r\nbatch=\xff\xfe[{{",
        b"BLAH\r\n\r\n",
    ];
    for raw in requests {
        let address = address.clone();
        let raw = raw.to_vec();
        tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(&address).unwrap();
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            stream.write_all(&raw).unwrap();
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
        })
        .await
        .unwrap();
    }
    assert_eq!(h.get("v24.0/me").await.status, 200, "still serving");
}

fn path_strategy() -> impl Strategy<Value = String> {
    let host = prop::sample::select(vec![
        "graph.facebook.com",
        "graph.instagram.com",
        "api.instagram.com",
        "www.facebook.com",
        "www.instagram.com",
        "cdn.instagram.com",
        "nowhere",
    ]);
    let segment = prop::sample::select(vec![
        "v24.0",
        "v99.0",
        "v2.5",
        "me",
        "accounts",
        "insights",
        "media",
        "stories",
        "tags",
        "comments",
        "children",
        "17841400420359987",
        "oauth",
        "access_token",
        "dialog",
        "%FF",
        "..",
        "debug_token",
        "refresh_access_token",
        "subscribed_apps",
        "permissions",
        "x",
    ]);
    (host, prop::collection::vec(segment, 0..5), "[ -~]{0,60}").prop_map(
        |(host, segments, query)| {
            let query: String = query
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '#')
                .collect();
            format!("/{host}/{}?{query}", segments.join("/"))
        },
    )
}

/// One sandbox for every generated case: it must survive all of them in a row.
fn shared() -> &'static (tokio::runtime::Runtime, Harness) {
    static SHARED: std::sync::OnceLock<(tokio::runtime::Runtime, Harness)> =
        std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        // Thousands of calls at one fixed instant: budgets large enough not to throttle.
        let budgets = insightdesk_sandbox::BucConfig {
            budget: Some(u64::MAX / 4),
            platform_calls_per_user_hour: u64::MAX / 4,
            ..Default::default()
        };
        let harness = runtime.block_on(start_with(
            NOW,
            insightdesk_sandbox::FaultPlan::none(),
            budgets,
        ));
        (runtime, harness)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_paths_and_queries_never_crash_the_router(paths in prop::collection::vec(path_strategy(), 1..8), methods in prop::collection::vec(prop::sample::select(vec!["GET", "POST", "DELETE", "PUT"]), 8)) {
        let (runtime, h) = shared();
        runtime.block_on(async {
            for (path, method) in paths.iter().zip(methods.iter().cycle()) {
                let url = format!("{}{path}", h.base);
                let Ok(url) = reqwest::Url::parse(&url) else { continue };
                let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
                let response = h.http.request(method, url).bearer_auth(h.token()).send().await;
                let response = response.expect("the sandbox answers every request");
                prop_assert!(response.status().as_u16() < 500, "{path}: {}", response.status());
            }
            prop_assert_eq!(h.get("v24.0/me").await.status, 200);
            Ok(())
        })?;
    }
}

//! Load on loopback: signed deliveries from concurrent senders, every one answered and every
//! one in the store afterwards (rows counted), with the throughput and latency printed.
//!
//! `cargo bench -p insightdesk-webhooks` (optionally `-- DELIVERIES SENDERS`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountProfile, LoginKind, Store};
use insightdesk_webhooks::{ServerConfig, WebhookServer, signature_header};

const ACCOUNT: &str = "17841400000000001";
const SECRET: &str = "bench-app-secret";

fn delivery(n: usize) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [{
            "id": ACCOUNT,
            "time": 1_764_158_400 + n as i64,
            "changes": [{
                "field": "comments",
                "value": {
                    "from": { "id": format!("2323{n}"), "username": format!("fan{}", n % 977) },
                    "media": { "id": format!("1790{:06}", n % 200), "media_product_type": "FEED" },
                    "id": format!("1786{n:011}"),
                    "text": "This is an example of a comment that is about as long as most are."
                }
            }]
        }]
    }))
    .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let deliveries = args.first().copied().unwrap_or(20_000);
    let senders = args.get(1).copied().unwrap_or(8).max(1);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("insightdesk.sqlite");
    let mut store = Store::open(&path).unwrap();
    let account = store
        .write(|batch| {
            batch.upsert_account(
                &AccountProfile {
                    ig_user_id: ACCOUNT.into(),
                    login_kind: LoginKind::Facebook,
                    username: "bench".into(),
                    name: None,
                    profile_picture_url: None,
                },
                Utc::now(),
            )
        })
        .unwrap();
    drop(store);

    let secret = Sensitive::new(SECRET.to_owned());
    let bodies: Arc<Vec<(Vec<u8>, String)>> = Arc::new(
        (0..deliveries)
            .map(|n| {
                let body = delivery(n);
                let signature = signature_header(&secret, &body);
                (body, signature)
            })
            .collect(),
    );

    let (elapsed, mut latencies, refused, stats) = runtime.block_on(async {
        let config = ServerConfig::new(secret.clone(), Sensitive::new("verify".into()));
        let server = WebhookServer::start("127.0.0.1:0".parse().unwrap(), path.as_path(), config)
            .await
            .unwrap();
        let url = format!("http://{}/webhooks", server.local_addr());
        let started = Instant::now();
        let mut tasks = Vec::new();
        for sender in 0..senders {
            let bodies = Arc::clone(&bodies);
            let url = url.clone();
            tasks.push(tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut latencies = Vec::new();
                let mut refused = 0u64;
                for (body, signature) in bodies.iter().skip(sender).step_by(senders) {
                    let sent = Instant::now();
                    let status = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-hub-signature-256", signature)
                        .body(body.clone())
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0);
                    latencies.push(sent.elapsed());
                    if status != 200 {
                        refused += 1;
                    }
                }
                (latencies, refused)
            }));
        }
        let mut latencies = Vec::with_capacity(bodies.len());
        let mut refused = 0;
        for task in tasks {
            let (mut l, r) = task.await.unwrap();
            latencies.append(&mut l);
            refused += r;
        }
        let elapsed = started.elapsed();
        let stats = server.stop().await.unwrap();
        (elapsed, latencies, refused, stats)
    });

    let rows = Store::open(&path)
        .unwrap()
        .comments(account, None)
        .unwrap()
        .len();
    latencies.sort_unstable();
    let rate = deliveries as f64 / elapsed.as_secs_f64();
    println!("webhook deliveries on loopback");
    println!("  deliveries            {deliveries} from {senders} concurrent senders");
    println!("  elapsed               {:.2} s", elapsed.as_secs_f64());
    println!("  accepted per second   {rate:.0}");
    println!(
        "  latency               p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        percentile(&latencies, 1.0).as_secs_f64() * 1e3
    );
    println!("  answered other than 200  {refused}");
    println!(
        "  write transactions    {} (on average {:.1} deliveries each)",
        stats.write_batches,
        stats.accepted as f64 / stats.write_batches.max(1) as f64
    );
    println!("  comment rows stored   {rows} of {deliveries}");
    let lost = deliveries as i64 - rows as i64;
    if refused > 0 || lost != 0 {
        eprintln!("FAILED: {refused} deliveries refused, {lost} lost");
        std::process::exit(1);
    }
    if rate < 500.0 {
        eprintln!("BELOW TARGET: {rate:.0} deliveries per second (target 500)");
        std::process::exit(1);
    }
}

//! Benchmark program (not a test): requests per second on loopback with a few concurrent clients
//! over a realistic request mix, and the time to generate the demo creator.
//!
//! Run with `cargo bench -p insightdesk-sandbox`. Every loop is bounded in count and time and
//! only talks to 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use insightdesk_sandbox::{
    BucConfig, ClockConfig, FaultPlan, Sandbox, SandboxConfig, generate_demo_world, parse_instant,
};
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;
const DURATION: Duration = Duration::from_secs(8);
const MAX_REQUESTS_PER_CLIENT: usize = 200_000;

fn main() {
    let now = parse_instant("2026-11-26T12:00:00Z").unwrap();
    generation(now);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(throughput(now));
}

fn generation(now: chrono::DateTime<chrono::Utc>) {
    let mut times = Vec::new();
    let mut media = 0;
    for _ in 0..15 {
        let started = Instant::now();
        media = generate_demo_world(42, now);
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "generation: demo world (demo creator + small account, {media} media and stories) in {:.1} ms median, {:.1} ms best of {}",
        ms(times[times.len() / 2]),
        ms(times[0]),
        times.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The paths a sync run asks for, in rough proportion.
fn mix(ig: &str, media: &[String]) -> Vec<(String, bool)> {
    let mut paths = vec![
        ("v24.0/me".to_string(), false),
        (
            format!("v24.0/{ig}?fields=id,username,followers_count,follows_count,media_count"),
            false,
        ),
        (
            format!(
                "v24.0/{ig}/insights?metric=reach,follower_count&period=day&since=1793836800&until=1795564800"
            ),
            false,
        ),
        (
            format!(
                "v24.0/{ig}/insights?metric=reach,views,likes,comments,saves,shares,total_interactions&period=day&metric_type=total_value&breakdown=media_product_type&since=1793836800&until=1795564800"
            ),
            false,
        ),
        (
            format!("v24.0/{ig}/stories?fields=id,media_type,timestamp"),
            false,
        ),
        ("BATCH".to_string(), true),
    ];
    for _ in 0..3 {
        paths.push((format!("v24.0/{ig}/media?fields=id,caption,media_type,media_product_type,timestamp,permalink,like_count,comments_count,children{{id,media_type}}&limit=25"), false));
    }
    for id in media.iter().take(8) {
        paths.push((format!("v24.0/{id}/insights?metric=reach,views,likes,comments,saved,shares,total_interactions"), false));
    }
    paths
}

async fn throughput(now: chrono::DateTime<chrono::Utc>) {
    let config = SandboxConfig {
        seed: 42,
        clock: ClockConfig::Fixed(now),
        port: None,
        faults: FaultPlan::none(),
        buc: BucConfig {
            budget: Some(u64::MAX / 4),
            platform_calls_per_user_hour: u64::MAX / 4,
            ..BucConfig::default()
        },
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let base = sandbox.base_url();
    let credentials = sandbox.credentials();
    let token = credentials.user_token.access_token.clone();
    let ig = credentials.ig_user_id.clone();
    let client = reqwest::Client::new();
    let listing: serde_json::Value = client
        .get(format!(
            "{base}/graph.facebook.com/v24.0/{ig}/media?fields=id&limit=20"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media: Vec<String> = listing["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    let paths = mix(&ig, &media);
    let batch: Vec<serde_json::Value> = media.iter().take(10).map(|id| serde_json::json!({ "method": "GET", "relative_url": format!("{id}/insights?metric=reach,views") })).collect();
    let batch = serde_json::to_string(&batch).unwrap();
    sandbox.clear_ledger();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client_index in 0..CLIENTS {
        let (client, base, token, paths, batch) = (
            reqwest::Client::new(),
            base.clone(),
            token.clone(),
            paths.clone(),
            batch.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            for i in 0..MAX_REQUESTS_PER_CLIENT {
                if started.elapsed() >= DURATION {
                    break;
                }
                let (path, is_batch) = &paths[(i * 7 + client_index) % paths.len()];
                let sent = Instant::now();
                let request = if *is_batch {
                    client
                        .post(format!("{base}/graph.facebook.com/v24.0"))
                        .bearer_auth(&token)
                        .form(&[("batch", batch.as_str())])
                } else {
                    client
                        .get(format!("{base}/graph.facebook.com/{path}"))
                        .bearer_auth(&token)
                };
                match request.send().await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        let _ = response.bytes().await;
                        if !ok {
                            errors += 1;
                        }
                    }
                    Err(_) => errors += 1,
                }
                latencies.push(sent.elapsed());
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut l, e) = task.await.unwrap();
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let requests = latencies.len();
    let percentile = |p: f64| latencies[((requests as f64 * p) as usize).min(requests - 1)];
    println!(
        "throughput: {requests} HTTP requests in {:.1} s with {CLIENTS} clients = {:.0} requests/s ({:.0} Meta-counted calls/s), {errors} non-2xx",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        sandbox.counted_calls() as f64 / elapsed.as_secs_f64(),
    );
    println!(
        "latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(0.5)),
        ms(percentile(0.99)),
        ms(latencies[requests - 1])
    );
    sandbox.stop().await;
}

//! Load on loopback: signed deliveries from concurrent senders, every one answered and every
//! one in the store afterwards (rows counted), with the throughput and latency printed.
//!
//! `cargo bench -p insightdesk-webhooks` (optionally `-- DELIVERIES SENDERS [DEADLINE_SECONDS]`).
//!
//! It exits 1 when a delivery is refused or lost, when fewer than 500 are accepted per second,
//! and when the run does not finish: every request has a timeout and the whole run a deadline,
//! so a stalled receiver ends the bench with what it got instead of hanging it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountProfile, LoginKind, Store};
use insightdesk_webhooks::{ServerConfig, WebhookServer, signature_header};

const ACCOUNT: &str = "17841400000000001";
const SECRET: &str = "bench-app-secret";
const TARGET_PER_SECOND: f64 = 500.0;
/// One delivery normally takes under a millisecond on loopback: one this slow means a stall.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long stopping the receiver (draining its store writer) may take.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// Long enough to send every delivery at a fifth of the target rate, plus a minute: a run that
/// needs longer has stalled, not slowed down.
fn deadline_for(deliveries: usize) -> Duration {
    Duration::from_secs(60) + Duration::from_secs_f64(deliveries as f64 * 5.0 / TARGET_PER_SECOND)
}

/// What one sender saw.
#[derive(Default)]
struct SenderOutcome {
    latencies: Vec<Duration>,
    sent: u64,
    refused: u64,
    timed_out: u64,
    /// In flight when the run's deadline passed.
    cut_off: u64,
}

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
    let deadline_after = args
        .get(2)
        .map(|&seconds| Duration::from_secs(seconds as u64))
        .unwrap_or_else(|| deadline_for(deliveries));

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

    let (elapsed, outcome, stats) = runtime.block_on(async {
        let config = ServerConfig::new(secret.clone(), Sensitive::new("verify".into()));
        let server = WebhookServer::start("127.0.0.1:0".parse().unwrap(), path.as_path(), config)
            .await
            .unwrap();
        let url = format!("http://{}/webhooks", server.local_addr());
        let started = Instant::now();
        let deadline = started + deadline_after;
        let mut tasks = Vec::new();
        for sender in 0..senders {
            let bodies = Arc::clone(&bodies);
            let url = url.clone();
            tasks.push(tokio::spawn(async move {
                let http = reqwest::Client::builder()
                    .timeout(REQUEST_TIMEOUT)
                    .build()
                    .unwrap();
                let mut outcome = SenderOutcome::default();
                for (body, signature) in bodies.iter().skip(sender).step_by(senders) {
                    let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                        break;
                    };
                    let cut_off_by_deadline = left < REQUEST_TIMEOUT;
                    let sent_at = Instant::now();
                    let answer = http
                        .post(&url)
                        .timeout(left.min(REQUEST_TIMEOUT))
                        .header("content-type", "application/json")
                        .header("x-hub-signature-256", signature)
                        .body(body.clone())
                        .send()
                        .await;
                    outcome.latencies.push(sent_at.elapsed());
                    outcome.sent += 1;
                    match answer {
                        Ok(response) if response.status().as_u16() == 200 => {}
                        Ok(_) => outcome.refused += 1,
                        Err(error) if error.is_timeout() && cut_off_by_deadline => {
                            outcome.cut_off += 1
                        }
                        Err(error) if error.is_timeout() => outcome.timed_out += 1,
                        Err(_) => outcome.refused += 1,
                    }
                }
                outcome
            }));
        }
        let mut all = SenderOutcome::default();
        for task in tasks {
            let mut outcome = task.await.unwrap();
            all.latencies.append(&mut outcome.latencies);
            all.sent += outcome.sent;
            all.refused += outcome.refused;
            all.timed_out += outcome.timed_out;
            all.cut_off += outcome.cut_off;
        }
        let elapsed = started.elapsed();
        let stats = tokio::time::timeout(STOP_TIMEOUT, server.stop())
            .await
            .ok()
            .map(|stopped| stopped.unwrap());
        (elapsed, all, stats)
    });
    let SenderOutcome {
        mut latencies,
        sent,
        refused,
        timed_out,
        cut_off,
    } = outcome;

    let rows = Store::open(&path)
        .unwrap()
        .comments(account, None)
        .unwrap()
        .len();
    latencies.sort_unstable();
    let accepted = sent - refused - timed_out - cut_off;
    let rate = accepted as f64 / elapsed.as_secs_f64();
    println!("webhook deliveries on loopback");
    println!("  deliveries            {deliveries} from {senders} concurrent senders");
    println!(
        "  sent                  {sent} of {deliveries} (deadline {:.0} s)",
        deadline_after.as_secs_f64()
    );
    println!("  elapsed               {:.2} s", elapsed.as_secs_f64());
    println!("  accepted per second   {rate:.0}");
    if !latencies.is_empty() {
        println!(
            "  latency               p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.95).as_secs_f64() * 1e3,
            percentile(&latencies, 1.0).as_secs_f64() * 1e3
        );
    }
    println!("  not 200 (refused, or the connection failed)  {refused}");
    println!(
        "  no answer within {} s  {timed_out}",
        REQUEST_TIMEOUT.as_secs()
    );
    println!("  cut off by the deadline  {cut_off}");
    match &stats {
        Some(stats) => println!(
            "  write transactions    {} (on average {:.1} deliveries each)",
            stats.write_batches,
            stats.accepted as f64 / stats.write_batches.max(1) as f64
        ),
        None => println!(
            "  write transactions    unknown: the receiver did not stop within {} s",
            STOP_TIMEOUT.as_secs()
        ),
    }
    println!("  comment rows stored   {rows} of {deliveries}");

    let mut failures = Vec::new();
    if sent < deliveries as u64 || cut_off > 0 {
        failures.push(format!(
            "the deadline of {:.0} s passed with {accepted} of {deliveries} deliveries accepted",
            deadline_after.as_secs_f64()
        ));
    }
    if timed_out > 0 {
        failures.push(format!(
            "{timed_out} deliveries had no answer within {} s",
            REQUEST_TIMEOUT.as_secs()
        ));
    }
    if stats.is_none() {
        failures.push(format!(
            "the receiver did not stop within {} s",
            STOP_TIMEOUT.as_secs()
        ));
    }
    if refused > 0 {
        failures.push(format!(
            "{refused} deliveries were refused or their connection failed"
        ));
    }
    // A delivery without an answer may or may not have been stored; an accepted one must be.
    if (rows as u64) < accepted {
        failures.push(format!(
            "{} accepted deliveries are not in the store",
            accepted - rows as u64
        ));
    }
    if rows as u64 > sent {
        failures.push(format!(
            "the store holds {rows} comments for {sent} deliveries sent"
        ));
    }
    if !failures.is_empty() {
        eprintln!("FAILED: {}", failures.join("; "));
        std::process::exit(1);
    }
    if rate < TARGET_PER_SECOND {
        eprintln!("BELOW TARGET: {rate:.0} deliveries per second (target {TARGET_PER_SECOND:.0})");
        std::process::exit(1);
    }
}

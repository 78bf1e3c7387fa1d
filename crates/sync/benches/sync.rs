//! What syncing the demo creator (about 600 posts over two years) costs, against the sandbox:
//! the first sync, then a simulated day of hourly syncs (the sandbox's clock moved an hour
//! before each), with every growth reading and story final reading checked for being on
//! time; and the same day done the seed guide's way (the media list plus one insights call per
//! post, every hour) as the baseline, whose first sync (the same list and calls, once) is
//! printed next to ours.
//!
//! Run with `cargo bench -p insightdesk-sync`. Prints figures; asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(dead_code)]
#[path = "../tests/it/ontime.rs"]
mod ontime;
#[allow(dead_code)]
#[path = "../tests/it/support.rs"]
mod support;

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use insightdesk_graph::catalog::Selector;
use insightdesk_graph::models::{Media, MediaProductType};
use insightdesk_graph::{ErrorClass, GraphClient, LoginKind};

/// HTTP requests, counted calls and wall time of some work against a sandbox.
#[derive(Debug, Default, Clone, Copy)]
struct Cost {
    http: u64,
    counted: u64,
    wall: Duration,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.http += other.http;
        self.counted += other.counted;
        self.wall += other.wall;
    }

    fn line(&self) -> String {
        format!(
            "{:>6} HTTP requests  {:>7} counted calls  {:>8.2} s",
            self.http,
            self.counted,
            self.wall.as_secs_f64()
        )
    }
}

/// Runs `work` and measures it on the sandbox's ledger.
async fn measured<T>(
    meta: &support::Meta,
    work: impl std::future::Future<Output = T>,
) -> (T, Cost) {
    meta.sandbox.clear_ledger();
    let started = Instant::now();
    let out = work.await;
    let cost = Cost {
        http: meta.sandbox.http_requests(),
        counted: meta.sandbox.counted_calls(),
        wall: started.elapsed(),
    };
    (out, cost)
}

/// The seed guide's hour: list every post, then one insights call per post with the metrics
/// its kind answers (the catalog's plain group), as the client allows.
async fn baseline_hour(client: &GraphClient, account: &str) -> usize {
    let media: Vec<Media> = client
        .user(account)
        .media()
        .fields(&["id", "media_type", "media_product_type", "timestamp"])
        .limit(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut read = 0;
    for item in &media {
        let product = item
            .media_product_type
            .clone()
            .unwrap_or(MediaProductType::Feed);
        let selector = Selector::media(
            client.version(),
            client.login(),
            client.now().date_naive(),
            product.clone(),
            item.media_type.clone(),
        );
        let Some(plain) = client.catalog().media_groups(&selector).into_iter().next() else {
            continue;
        };
        let answer = client
            .media(&item.id)
            .insights()
            .metrics(plain.metrics)
            .kind(Some(product), item.media_type.clone())
            .send()
            .await;
        match answer {
            Ok(_) => read += 1,
            Err(error) if error.class() == ErrorClass::MediaBeforeBusinessConversion => {}
            Err(error) => panic!("{error}"),
        }
    }
    read
}

/// A client of the demo creator's account, as the seed guide's code holds one.
fn baseline_client(meta: &support::Meta) -> GraphClient {
    meta.builder(LoginKind::Facebook)
        .account(meta.creds.ig_user_id.clone())
        .build()
        .unwrap()
}

async fn run() {
    // Ours: the first sync, then 24 hourly syncs.
    let meta = support::start().await;
    let (_dir, _path, mut store) = support::new_store();
    let (first, first_cost) = measured(&meta, meta.sync(&mut store, LoginKind::Facebook)).await;
    let first = first.unwrap();
    let account = store.accounts().unwrap()[0].id;
    let start = support::at(support::NOW);

    let mut day = Cost::default();
    let mut per_run = Vec::new();
    for hour in 1..=24 {
        meta.sandbox.advance(chrono::Duration::hours(1));
        let (report, cost) = measured(&meta, meta.sync(&mut store, LoginKind::Facebook)).await;
        let report = report.unwrap();
        day.add(cost);
        let at = start + chrono::Duration::hours(hour);
        let quiet = ontime::nothing_new_at(&store, account, at, report.media_new);
        per_run.push((cost, report.media_new, quiet));
    }
    let on_time = ontime::check(&store, account, start, start + chrono::Duration::hours(24));

    // The baseline's first sync, on its own sandbox at the same instant: the seed guide's
    // getAllMediaWithInsights, the media list and one insights call per post.
    let first_base = support::start().await;
    let first_client = baseline_client(&first_base);
    let (first_baseline_reads, first_baseline) = measured(
        &first_base,
        baseline_hour(&first_client, &first_base.creds.ig_user_id),
    )
    .await;

    // The baseline's day, on another sandbox at the same instant.
    let base = support::start().await;
    let client = baseline_client(&base);
    let mut baseline = Cost::default();
    let mut baseline_reads = 0;
    for _ in 0..24 {
        base.sandbox.advance(chrono::Duration::hours(1));
        let (read, cost) = measured(&base, baseline_hour(&client, &base.creds.ig_user_id)).await;
        baseline.add(cost);
        baseline_reads = read;
    }

    let counted: Vec<u64> = per_run.iter().map(|(c, _, _)| c.counted).collect();
    let quiet: Vec<u64> = per_run
        .iter()
        .filter(|(_, _, q)| *q)
        .map(|(c, _, _)| c.counted)
        .collect();
    let mut sorted = counted.clone();
    sorted.sort_unstable();
    println!(
        "insightdesk-sync: the demo creator against the sandbox (Facebook Login, batch endpoint)"
    );
    println!(
        "  first sync ({} posts and stories, {} rows)   {}",
        first.media_seen,
        first.rows_written,
        first_cost.line()
    );
    println!(
        "  baseline first sync: media list + one insights call per post ({first_baseline_reads} posts)  {}",
        first_baseline.line()
    );
    println!(
        "  a day of hourly syncs (24 runs)              {}",
        day.line()
    );
    println!(
        "    per run: counted calls min {} / median {} / max {}; HTTP requests max {}; new media {}",
        sorted.first().unwrap_or(&0),
        sorted[sorted.len() / 2],
        sorted.last().unwrap_or(&0),
        per_run.iter().map(|(c, _, _)| c.http).max().unwrap_or(0),
        per_run.iter().map(|(_, n, _)| n).sum::<u64>()
    );
    println!(
        "    hours with nothing new (no post due, no story final, no new media, no account days): {} of 24, counted calls max {}",
        quiet.len(),
        quiet.iter().max().unwrap_or(&0)
    );
    println!("    counted calls hour by hour: {counted:?}");
    println!(
        "    on time: growth readings {}/{} due; story final readings {}/{} due; {} stories without insights (fewer than 5 viewers); late: {:?}",
        on_time.posts_on_time,
        on_time.posts_due,
        on_time.stories_final,
        on_time.stories_due,
        on_time.stories_without_insights,
        on_time.late
    );
    println!(
        "  baseline: media list + one insights call per post ({baseline_reads} posts), hourly, 24 runs  {}",
        baseline.line()
    );
    println!(
        "  the day's counted calls: {} vs the baseline's {} = {:.1}% (aim: at most 25%)",
        day.counted,
        baseline.counted,
        100.0 * day.counted as f64 / baseline.counted.max(1) as f64
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

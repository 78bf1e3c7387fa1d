//! Meta removing metrics mid-history. With the catalog up to date, the sync stops asking on
//! the removal date, keeps the values it has and says so once per metric; with a catalog that
//! does not know yet, Meta's refusal is learned once, shown once, remembered in the store
//! across runs, and everything else is still read.

use std::sync::Arc;

use chrono::Duration;
use insightdesk_graph::{ApiVersion, Catalog, LoginKind};
use insightdesk_store::{MediaWithMetrics, MetricLevel, Store};
use insightdesk_sync::SyncPolicy;

use crate::support::{self, Meta, at, new_store};

fn posts(store: &Store) -> Vec<MediaWithMetrics> {
    support::all_media(store, store.accounts().unwrap()[0].id)
}

/// The metrics of every reading of posts of one kind taken at `at`.
fn read_at(
    store: &Store,
    product: &str,
    kind: &str,
    at: chrono::DateTime<chrono::Utc>,
    metric: &str,
) -> (usize, usize) {
    let mut with = 0;
    let mut without = 0;
    for post in posts(store) {
        let item = &post.media.item;
        if item.product_type != product || item.media_type != kind {
            continue;
        }
        let curve = store.growth_curve(post.media.id, "reach").unwrap();
        if !curve.iter().any(|r| r.captured_at == at) {
            continue;
        }
        if store
            .growth_curve(post.media.id, metric)
            .unwrap()
            .iter()
            .any(|r| r.captured_at == at)
        {
            with += 1;
        } else {
            without += 1;
        }
    }
    (with, without)
}

/// Asserts that no request since the ledger was cleared asked for either metric.
fn asked_for_neither(meta: &Meta, one: &str, other: &str) {
    let asked: Vec<String> = meta
        .sandbox
        .ledger()
        .into_iter()
        .map(|e| e.path)
        .filter(|path| path.contains(one) || path.contains(other))
        .collect();
    assert!(asked.is_empty(), "{asked:?}");
}

async fn sync_v21(
    meta: &Meta,
    store: &mut Store,
    catalog: Option<Arc<Catalog>>,
) -> insightdesk_sync::SyncReport {
    let mut builder = meta
        .builder(LoginKind::Facebook)
        .version(ApiVersion::new(21));
    if let Some(catalog) = catalog {
        builder = builder.catalog(catalog);
    }
    let ig = meta.creds.ig_user_id.clone();
    meta.sync_with(store, builder, &ig, SyncPolicy::default())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_metric_removed_on_its_date_stops_being_read_and_its_history_stays() {
    // v21, three weeks before `impressions` and `plays` left every version (21 Apr 2025).
    let meta = support::start_at("2025-04-01T12:00:00Z").await;
    let (_dir, _path, mut store) = new_store();
    let before = at("2025-04-01T12:00:00Z");
    let first = sync_v21(&meta, &mut store, None).await;
    let (with, without) = read_at(&store, "FEED", "IMAGE", before, "impressions");
    assert!(with > 20 && without == 0, "{with} {without}");
    let (with, _) = read_at(&store, "REELS", "VIDEO", before, "plays");
    assert!(with > 20, "{with}");

    // v21 refused `views` on some feed posts (API-FACTS (d)): learned, said once per kind.
    let account = store.accounts().unwrap()[0].id;
    let learned = store.metric_exclusions(account).unwrap();
    let views: Vec<_> = learned
        .iter()
        .filter(|e| e.metric == "views" && e.scope.level == MetricLevel::Media)
        .map(|e| e.scope.media_type.clone().unwrap_or_default())
        .collect();
    assert_eq!(views, ["CAROUSEL_ALBUM", "IMAGE"], "{learned:?}");
    let told = first
        .warnings
        .iter()
        .filter(|w| w.contains("“views”"))
        .count();
    assert_eq!(told, 2, "{:?}", first.warnings);
    let (with, _) = read_at(&store, "FEED", "IMAGE", before, "views");
    assert_eq!(with, 0);
    let (with, _) = read_at(&store, "FEED", "IMAGE", before, "reach");
    assert!(with > 20, "the rest of the post is read");

    // A metric removed from the catalog is told in its own words (a refusal's warning says
    // "stopped asking"); none is due before the removal date.
    let told = |report: &insightdesk_sync::SyncReport| -> Vec<String> {
        report
            .warnings
            .iter()
            .filter(|w| w.contains("keeps the history it has"))
            .cloned()
            .collect()
    };
    assert_eq!(told(&first), Vec::<String>::new());

    // Three weeks later, past the removal date: each metric with history that is no longer
    // asked for is said once, with the day it went.
    meta.sandbox.set_now(at("2025-04-25T12:00:00Z"));
    let after = at("2025-04-25T12:00:00Z");
    meta.sandbox.clear_ledger();
    let later = sync_v21(&meta, &mut store, None).await;
    let mut dropped = told(&later);
    dropped.sort();
    let expected: Vec<String> = [
        "“clips_replays_count” for reels",
        "“ig_reels_aggregated_all_plays_count” for reels",
        "“impressions” for posts and stories",
        "“impressions” for your account",
        "“plays” for reels",
    ]
    .iter()
    .map(|what| {
        format!(
            "Instagram no longer provides {what} since 21 April 2025; Insightdesk keeps the \
             history it has."
        )
    })
    .collect();
    assert_eq!(dropped, expected);
    let run = store.sync_runs(Some(account), 1).unwrap().pop().unwrap();
    assert_eq!(
        run.warnings
            .iter()
            .filter(|w| w.contains("keeps the history it has"))
            .count(),
        expected.len(),
        "the run's history keeps what was said"
    );
    asked_for_neither(&meta, "impressions", "plays");

    // A day later: nothing more is said, and still nothing is asked for.
    meta.sandbox.set_now(at("2025-04-26T12:00:00Z"));
    meta.sandbox.clear_ledger();
    let next = sync_v21(&meta, &mut store, None).await;
    assert!(next.http_requests > 0, "{next:?}");
    assert_eq!(told(&next), Vec::<String>::new(), "said once");
    asked_for_neither(&meta, "impressions", "plays");
    let (with, without) = read_at(&store, "FEED", "IMAGE", after, "impressions");
    assert!(with == 0 && without > 5, "{with} {without}");
    let (with, _) = read_at(&store, "FEED", "IMAGE", before, "impressions");
    assert!(with > 20, "the readings taken before the removal stay");
    assert_eq!(
        store.metric_exclusions(account).unwrap().len(),
        learned.len(),
        "nothing new refused"
    );
    assert!(store.integrity_check().unwrap().is_ok());
}

#[tokio::test]
async fn a_removal_the_catalog_does_not_know_is_learned_once_and_remembered() {
    // A catalog that still thinks media `impressions` answers after 21 Apr 2025.
    let text = include_str!("../../../graph/catalog/metrics.toml");
    let entry = "name = \"impressions\"\nlevel = \"media\"\nproduct_types = [\"FEED\", \"STORY\"]\nperiods = [\"lifetime\"]\nremoved_in = \"v22.0\"\nremoved_on = \"2025-04-21\"\n";
    assert!(
        text.contains(entry),
        "the catalog's entry for media impressions"
    );
    let stale = text.replace(
        entry,
        "name = \"impressions\"\nlevel = \"media\"\nproduct_types = [\"FEED\", \"STORY\"]\nperiods = [\"lifetime\"]\n",
    );
    let stale = Arc::new(Catalog::from_toml(&stale).unwrap());

    let meta = support::start_at("2025-04-25T12:00:00Z").await;
    let (_dir, _path, mut store) = new_store();
    let first = sync_v21(&meta, &mut store, Some(stale.clone())).await;
    let told: Vec<&String> = first
        .warnings
        .iter()
        .filter(|w| w.contains("“impressions”"))
        .collect();
    assert!(
        told.len() >= 3,
        "one warning per kind of post that refused it: {told:?}"
    );
    let now = at("2025-04-25T12:00:00Z");
    let (with, without) = read_at(&store, "FEED", "IMAGE", now, "impressions");
    assert!(with == 0 && without > 20, "{with} {without}");
    let (with, _) = read_at(&store, "FEED", "VIDEO", now, "reach");
    assert!(with > 5, "everything else is still read");
    let account = store.accounts().unwrap()[0].id;
    let run = store.sync_runs(Some(account), 1).unwrap().pop().unwrap();
    assert_eq!(
        run.warnings
            .iter()
            .filter(|w| w.contains("“impressions”"))
            .count(),
        told.len()
    );

    // The next run (a new client, the same stale catalog) does not ask again: the store
    // remembers, and the creator is not told twice.
    meta.sandbox.advance(Duration::hours(1));
    meta.sandbox.clear_ledger();
    let next = sync_v21(&meta, &mut store, Some(stale)).await;
    assert!(
        next.warnings.iter().all(|w| !w.contains("“impressions”")),
        "{:?}",
        next.warnings
    );
    assert!(next.http_requests > 0);
    assert!(
        meta.sandbox
            .ledger()
            .iter()
            .all(|e| !e.path.contains("impressions"))
    );
}

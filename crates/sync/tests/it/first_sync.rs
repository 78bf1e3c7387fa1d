//! The first sync of the demo creator, what asking again costs, and Instagram Login without
//! the batch endpoint.

use std::collections::BTreeSet;

use chrono::Duration;
use insightdesk_graph::catalog::Selector;
use insightdesk_graph::models::{MediaProductType, MediaType};
use insightdesk_graph::{ApiVersion, Catalog, LoginKind};
use insightdesk_store::{CaptureState, DayRange, Store, SyncStatus, TimeRange};
use insightdesk_sync::days::pacific_date;
use insightdesk_sync::{Freshness, SyncPolicy};

use crate::support::{self, at, new_store};

/// Every metric the catalog has for a post of this kind (plain and breakdown groups).
fn expected_metrics(product: &str, kind: &str, login: LoginKind) -> BTreeSet<String> {
    let catalog = Catalog::embedded().unwrap();
    let selector = Selector::media(
        ApiVersion::LATEST,
        login,
        at(support::NOW).date_naive(),
        MediaProductType::parse(product),
        Some(MediaType::parse(kind)),
    );
    catalog
        .media_groups(&selector)
        .into_iter()
        .flat_map(|g| g.metrics)
        .collect()
}

fn all_media(store: &Store) -> Vec<insightdesk_store::MediaWithMetrics> {
    support::all_media(store, store.accounts().unwrap()[0].id)
}

#[tokio::test]
async fn the_first_sync_reads_two_years_in_at_most_30_requests() {
    let meta = support::start().await;
    let (_dir, _path, mut store) = new_store();
    let progress = std::sync::Mutex::new(Vec::new());
    let record = |p: insightdesk_sync::ProgressUpdate| progress.lock().unwrap().push(p);
    let report = insightdesk_sync::SyncJob::new(
        &mut store,
        meta.builder(LoginKind::Facebook),
        &meta.creds.ig_user_id,
    )
    .progress(&record)
    .run()
    .await
    .unwrap();
    let now = at(support::NOW);

    // Cost: what the sandbox saw is what the report says.
    assert!(report.http_requests <= 30, "{report:?}");
    assert_eq!(report.http_requests, meta.sandbox.http_requests());
    assert_eq!(report.counted_calls, meta.sandbox.counted_calls());
    assert!(report.rows_written > 10_000, "{report:?}");
    assert_eq!(report.media_seen, report.media_new);

    // The profile and today's followers snapshot.
    let account = store
        .account_by_ig_id(&meta.creds.ig_user_id)
        .unwrap()
        .unwrap();
    assert_eq!(account.profile.username, meta.creds.ig_username);
    let today = pacific_date(now);
    let followers = store
        .followers_series(account.id, DayRange::ending(today, 1))
        .unwrap();
    assert_eq!(followers.len(), 1);
    assert!(followers[0].followers_count > 10_000, "{followers:?}");
    let media_count = followers[0].media_count.unwrap() as usize;

    // Every post Meta lists, each read with every metric of its kind, except those published
    // before the business conversion (Meta has none for them; one warning says so).
    let media = all_media(&store);
    let posts: Vec<_> = media
        .iter()
        .filter(|m| m.media.item.product_type != "STORY")
        .collect();
    assert_eq!(posts.len(), media_count);
    assert!(posts.len() > 550, "{}", posts.len());
    let states = store.fetch_states(account.id).unwrap();
    let before_conversion: BTreeSet<String> = states
        .iter()
        .filter(|s| s.cursor.as_deref() == Some("before_conversion"))
        .filter_map(|s| s.data_kind.strip_prefix("unavailable:").map(str::to_owned))
        .collect();
    assert!(!before_conversion.is_empty());
    for post in &posts {
        let item = &post.media.item;
        let read: BTreeSet<String> = post.latest.keys().cloned().collect();
        if before_conversion.contains(&item.ig_media_id) {
            assert!(read.is_empty());
            continue;
        }
        assert_eq!(
            read,
            expected_metrics(&item.product_type, &item.media_type, LoginKind::Facebook),
            "{} {}",
            item.product_type,
            item.media_type
        );
        assert!(post.latest.values().all(|r| r.captured_at == now));
    }
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("before the account became a professional account"))
    );

    // Live stories: read (last seen), or missed when too few saw them.
    let stories = store
        .stories(account.id, TimeRange::new(now - Duration::hours(24), now))
        .unwrap();
    assert!(stories.len() >= 2, "{stories:?}");
    for story in &stories {
        match story.capture {
            Some(CaptureState::LastSeen { at }) | Some(CaptureState::Final { at }) => {
                assert_eq!(at, now);
                assert!(story.latest.contains_key("reach"));
            }
            Some(CaptureState::Missed) => assert!(story.latest.is_empty()),
            None => panic!("every live story has a capture state: {story:?}"),
        }
    }
    assert!(
        stories
            .iter()
            .any(|s| s.capture == Some(CaptureState::Missed)),
        "the close-friends story"
    );

    // Account metrics: recent days one day at a time, history as 30-day totals, never mixed.
    let recent = DayRange::new(today - Duration::days(30), today - Duration::days(1));
    let reach = store
        .account_daily_series(account.id, "reach", None, recent)
        .unwrap();
    assert!(reach.len() >= 28, "{}", reach.len());
    let views = store
        .account_daily_series(account.id, "views", None, recent)
        .unwrap();
    assert!(views.len() >= 28, "{}", views.len());
    let reels = store
        .account_daily_series(account.id, "views", Some("media_product_type"), recent)
        .unwrap();
    assert!(
        reels
            .iter()
            .any(|v| v.breakdown_value.as_deref() == Some("REEL"))
    );
    let followers_gained = store
        .account_daily_series(account.id, "follower_count", None, recent)
        .unwrap();
    assert!(followers_gained.len() >= 27, "{}", followers_gained.len());
    let old = DayRange::new(today - Duration::days(730), today - Duration::days(32));
    assert!(
        store
            .account_daily_series(account.id, "views", None, old)
            .unwrap()
            .is_empty()
    );
    let windows = store
        .account_window_values(account.id, "views", None, old)
        .unwrap();
    assert!(windows.len() >= 20, "{}", windows.len());
    assert!(
        windows
            .iter()
            .all(|w| (w.last_day - w.first_day).num_days() <= 29)
    );
    let daily_reach_old = store
        .account_daily_series(account.id, "reach", None, old)
        .unwrap();
    assert!(
        daily_reach_old.len() > 600,
        "reach comes per day all the way back"
    );
    let taps = store
        .account_window_values(
            account.id,
            "profile_links_taps",
            Some("contact_button_type"),
            old,
        )
        .unwrap();
    assert!(!taps.is_empty());

    // Demographics (3 metrics by 4 breakdowns) and online followers per day.
    let demographics = store.latest_demographics(account.id).unwrap();
    let kinds: BTreeSet<(String, String)> = demographics
        .iter()
        .map(|d| (d.metric.clone(), d.dimension.clone()))
        .collect();
    for metric in [
        "follower_demographics",
        "engaged_audience_demographics",
        "reached_audience_demographics",
    ] {
        for dimension in ["age", "gender", "country", "city"] {
            assert!(
                kinds.contains(&(metric.to_owned(), dimension.to_owned())),
                "{metric} {dimension}"
            );
        }
    }
    assert!(
        demographics
            .iter()
            .any(|d| d.metric == "online_followers" && d.dimension == "hour")
    );

    // Meta's answers archived, without a credential in any address.
    let archived = store.raw_responses(TimeRange::all(), None).unwrap();
    assert!(archived.len() > 1000, "{}", archived.len());
    assert!(
        archived.iter().all(
            |a| !a.endpoint.contains("access_token") && !a.endpoint.contains("appsecret_proof")
        )
    );

    // The run: succeeded, its counters are the report's, every kind marked fetched.
    let run = store.sync_runs(Some(account.id), 1).unwrap().pop().unwrap();
    assert_eq!(run.status, SyncStatus::Succeeded);
    assert_eq!(run.counters["http_requests"] as u64, report.http_requests);
    assert_eq!(run.counters["rows_written"] as u64, report.rows_written);
    let kinds: BTreeSet<&str> = states.iter().map(|s| s.data_kind.as_str()).collect();
    for kind in [
        "profile",
        "media_list",
        "stories",
        "media_history",
        "account_metrics",
        "account_history",
        "demographics",
    ] {
        assert!(kinds.contains(kind), "{kind}");
    }
    let history = states
        .iter()
        .find(|s| s.data_kind == "account_history")
        .unwrap();
    assert!(
        history
            .cursor
            .as_deref()
            .unwrap()
            .contains("\"complete\":true"),
        "{history:?}"
    );

    // Progress: every phase reported, never more done than total, ending complete.
    let progress = progress.into_inner().unwrap();
    assert!(progress.iter().all(|p| p.done <= p.total));
    let phases: BTreeSet<&str> = progress.iter().map(|p| p.phase.as_str()).collect();
    assert_eq!(
        phases,
        BTreeSet::from(["overview", "media_list", "insights"])
    );
    let last = progress.last().unwrap();
    assert_eq!((last.phase.as_str(), last.done), ("insights", last.total));

    assert!(store.integrity_check().unwrap().is_ok());
}

#[tokio::test]
async fn asking_again_inside_the_freshness_windows_costs_no_call_and_rewrites_nothing_twice() {
    let meta = support::start().await;
    let (_dir, _path, mut store) = new_store();
    meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    let content = support::content_without(&store, &["raw_response"]);
    let counts = support::row_counts(&store);

    let again = meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    assert_eq!(
        (again.http_requests, again.counted_calls),
        (0, 0),
        "{again:?}"
    );
    assert_eq!(support::row_counts(&store), counts);

    // Only the kind whose window is zero is asked again: demographics, one batch.
    let policy = SyncPolicy {
        freshness: Freshness {
            demographics: Duration::zero(),
            ..Freshness::default()
        },
        ..SyncPolicy::default()
    };
    let ig = meta.creds.ig_user_id.clone();
    meta.sandbox.clear_ledger();
    let demographics = meta
        .sync_with(&mut store, meta.builder(LoginKind::Facebook), &ig, policy)
        .await
        .unwrap();
    // 3 metrics x 4 breakdowns, followers by age and gender together, online followers.
    assert_eq!(
        (demographics.http_requests, demographics.counted_calls),
        (1, 14),
        "{demographics:?}"
    );
    assert!(
        meta.sandbox
            .ledger()
            .iter()
            .filter(|e| e.batch_of.is_some())
            .all(|e| e.path.contains("demographics") || e.path.contains("online_followers"))
    );

    // Everything fresh-less at the same instant: every kind read again and written again
    // over itself, not beside itself.
    let zero = SyncPolicy {
        freshness: Freshness {
            profile: Duration::zero(),
            media_list: Duration::zero(),
            stories: Duration::zero(),
            account_metrics: Duration::zero(),
            demographics: Duration::zero(),
        },
        ..SyncPolicy::default()
    };
    let rewrite = meta
        .sync_with(&mut store, meta.builder(LoginKind::Facebook), &ig, zero)
        .await
        .unwrap();
    assert!(rewrite.rows_written > 1000, "{rewrite:?}");
    // The only new rows: Meta's answers to the re-read of the last days, which is another
    // request (a shorter window) than the first sync's.
    let mut after_counts = support::row_counts(&store);
    let archived = after_counts.remove("raw_response").unwrap() - counts["raw_response"];
    assert!(archived <= 2, "{archived} new answers");
    let mut counts = counts;
    counts.remove("raw_response");
    assert_eq!(after_counts, counts);
    let after = support::content_without(&store, &["raw_response"]);
    assert!(
        after == content,
        "{}",
        support::first_difference(&content, &after)
    );
}

#[tokio::test]
async fn instagram_login_syncs_without_the_batch_endpoint() {
    let meta = support::start().await;
    let (_dir, _path, mut store) = new_store();
    let policy = SyncPolicy {
        history_days: 120,
        ..SyncPolicy::default()
    };
    let ig = meta.creds.ig_user_id.clone();
    let report = meta
        .sync_with(&mut store, meta.builder(LoginKind::Instagram), &ig, policy)
        .await
        .unwrap();
    let ledger = meta.sandbox.ledger();
    assert!(
        ledger
            .iter()
            .all(|e| e.batch_of.is_none() && e.method == "GET"),
        "no batch on graph.instagram.com"
    );
    assert!(
        ledger
            .iter()
            .all(|e| e.path.contains("graph.instagram.com"))
    );
    assert_eq!(report.http_requests, report.counted_calls);
    let media = all_media(&store);
    let account = store.accounts().unwrap()[0].id;
    let today = pacific_date(at(support::NOW));
    let media_count = store
        .followers_series(account, DayRange::ending(today, 1))
        .unwrap()[0]
        .media_count
        .unwrap() as usize;
    let posts: Vec<_> = media
        .iter()
        .filter(|m| m.media.item.product_type != "STORY")
        .collect();
    assert_eq!(
        posts.len(),
        media_count,
        "the listing reaches back past the history limit"
    );
    let read = posts.iter().filter(|p| !p.latest.is_empty()).count();
    assert!(read + 10 > posts.len(), "{read} of {}", posts.len());
    let reel = posts
        .iter()
        .find(|p| p.media.item.product_type == "REELS" && !p.latest.is_empty())
        .unwrap();
    let read: BTreeSet<String> = reel.latest.keys().cloned().collect();
    assert_eq!(
        read,
        expected_metrics("REELS", "VIDEO", LoginKind::Instagram)
    );
    assert!(!store.latest_demographics(account).unwrap().is_empty());
    assert!(store.integrity_check().unwrap().is_ok());
}

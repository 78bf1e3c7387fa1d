//! Incremental syncs: a simulated day of hourly syncs (the sandbox's clock moving hour by
//! hour), and a run cancelled half way that the next run continues.

use chrono::Duration;
use insightdesk_graph::LoginKind;
use insightdesk_store::{CaptureState, DayRange, SyncStatus, TimeRange};
use insightdesk_sync::days::pacific_date;
use insightdesk_sync::{SyncError, SyncJob};
use tokio_util::sync::CancellationToken;

use crate::ontime;
use crate::support::{self, at, new_store};

#[tokio::test]
async fn a_day_of_hourly_syncs_takes_every_reading_on_time_and_little_else() {
    let meta = support::start().await;
    let (_dir, _path, mut store) = new_store();
    let start = at(support::NOW);
    meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    let account = store.accounts().unwrap()[0].id;

    let mut runs = Vec::new();
    for hour in 1..=24 {
        meta.sandbox.advance(Duration::hours(1));
        let report = meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
        runs.push((hour, report));
    }
    let end = start + Duration::hours(24);

    let on_time = ontime::check(&store, account, start, end);
    assert!(on_time.posts_due > 10, "{on_time:?}");
    assert!(on_time.stories_due >= 1, "{on_time:?}");
    assert!(on_time.late.is_empty(), "{:?}", on_time.late);
    assert_eq!(on_time.posts_on_time, on_time.posts_due);
    assert_eq!(on_time.stories_final, on_time.stories_due);

    // New posts of the day were found and read at 1 h and 6 h.
    let new_media: u64 = runs.iter().map(|(_, r)| r.media_new).sum();
    assert!(new_media >= 1, "the creator posts daily");

    // A story with too few viewers ends as missed, and the creator is told once.
    let stories = store
        .stories(account, TimeRange::new(start - Duration::hours(24), end))
        .unwrap();
    let missed: Vec<_> = stories
        .iter()
        .filter(|s| s.capture == Some(CaptureState::Missed))
        .collect();
    assert!(!missed.is_empty());
    let told: Vec<&String> = runs
        .iter()
        .flat_map(|(_, r)| r.warnings.iter())
        .filter(|w| w.contains("fewer than 5 accounts"))
        .collect();
    assert!(!told.is_empty() && told.len() <= missed.len(), "{told:?}");

    // The account's days were read again once the day had passed (Meta revises them).
    let today = pacific_date(end);
    let days = store
        .account_daily_series(
            account,
            "views",
            None,
            DayRange::new(today - Duration::days(3), today),
        )
        .unwrap();
    assert!(days.len() >= 2, "{days:?}");
    let daily_runs: Vec<u32> = runs
        .iter()
        .filter(|(_, r)| r.counted_calls >= 13)
        .map(|(hour, _)| *hour)
        .collect();
    assert!(daily_runs.contains(&24), "{daily_runs:?}");

    // An hour with nothing new costs the overview and the live stories' readings.
    let quiet: Vec<u64> = runs
        .iter()
        .filter(|(hour, r)| {
            let at = start + Duration::hours(i64::from(*hour));
            ontime::nothing_new_at(&store, account, at, r.media_new)
        })
        .map(|(_, r)| r.counted_calls)
        .collect();
    assert!(quiet.len() >= 5, "{quiet:?}");
    assert!(quiet.iter().all(|calls| *calls <= 5), "{quiet:?}");
    assert!(store.integrity_check().unwrap().is_ok());
}

#[tokio::test]
async fn a_cancelled_run_keeps_its_steps_and_the_next_one_continues() {
    let meta = support::start().await;
    let (_dir, _path, mut store) = new_store();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    // Cancel as soon as the insights phase has written its first step.
    let progress = move |p: insightdesk_sync::ProgressUpdate| {
        if p.phase == insightdesk_sync::Phase::Insights && p.done > 0 {
            trigger.cancel();
        }
    };
    let result = SyncJob::new(
        &mut store,
        meta.builder(LoginKind::Facebook),
        &meta.creds.ig_user_id,
    )
    .progress(&progress)
    .cancel(cancel)
    .run()
    .await;
    let error = result.unwrap_err();
    assert!(matches!(error, SyncError::Cancelled), "{error}");
    assert!(
        error
            .to_string()
            .contains("Everything read so far is saved")
    );
    let account = store.accounts().unwrap()[0].id;
    let run = store.sync_runs(Some(account), 1).unwrap().pop().unwrap();
    assert_eq!(run.status, SyncStatus::Cancelled);
    let partial = store.row_counts().unwrap();
    assert_eq!(partial["media"], 608, "the listing was written");
    assert!(
        partial["media_metric"] > 0 && partial["media_metric"] < 8000,
        "{partial:?}"
    );

    let next = meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    assert_eq!(next.resumed_from, Some(run.id.0));

    // The same store as a sync that was never cancelled.
    let (_dir2, _path2, mut reference) = new_store();
    meta.sync(&mut reference, LoginKind::Facebook)
        .await
        .unwrap();
    let (a, b) = (support::content(&store), support::content(&reference));
    assert!(a == b, "{}", support::first_difference(&a, &b));
}

#[tokio::test]
async fn a_sync_after_weeks_away_lists_every_new_post_and_fills_the_gap() {
    let meta = support::start().await;
    let (_dir, _path, mut store) = new_store();
    meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    let account = store.accounts().unwrap()[0].id;
    let posts_before = support::all_media(&store, account)
        .iter()
        .filter(|m| m.media.item.product_type != "STORY")
        .count();

    // Fifty days later: more new posts than the overview shows, stories that expired unseen
    // in their last hours, and account days the recent range no longer reaches.
    meta.sandbox.advance(Duration::days(50));
    let report = meta.sync(&mut store, LoginKind::Facebook).await.unwrap();
    let now = at(support::NOW) + Duration::days(50);
    let today = pacific_date(now);
    let posts: Vec<_> = support::all_media(&store, account)
        .into_iter()
        .filter(|m| m.media.item.product_type != "STORY")
        .collect();
    let media_count = store
        .followers_series(account, DayRange::ending(today, 1))
        .unwrap()[0]
        .media_count
        .unwrap() as usize;
    assert_eq!(posts.len(), media_count, "every new post listed");
    assert!(
        posts.len() > posts_before + 25,
        "{} then {}",
        posts_before,
        posts.len()
    );
    assert!(report.media_new as usize >= posts.len() - posts_before);
    // The new posts in one listing request (since the newest known one), not the whole list.
    assert!(report.media_seen < 100, "{report:?}");
    // Fifty days on, every post has passed a checkpoint: a reading each, in batches.
    assert!(report.http_requests <= 30, "{report:?}");
    let young = posts
        .iter()
        .filter(|p| now - p.media.item.posted_at < Duration::days(49));
    assert!(
        young
            .into_iter()
            .all(|p| p.latest.values().any(|r| r.captured_at == now))
    );

    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("expired before its final reading; its numbers are as last seen")),
        "{:?}",
        report.warnings
    );

    // The days between the last daily reads and the recent range came as window totals.
    let gap = DayRange::new(today - Duration::days(55), today - Duration::days(32));
    let windows = store
        .account_window_values(account, "views", None, gap)
        .unwrap();
    assert!(
        windows
            .iter()
            .any(|w| w.first_day > today - Duration::days(60)),
        "{windows:?}"
    );
    let recent = store
        .account_daily_series(
            account,
            "views",
            None,
            DayRange::new(today - Duration::days(30), today - Duration::days(1)),
        )
        .unwrap();
    assert!(recent.len() >= 28, "{}", recent.len());
    assert!(store.integrity_check().unwrap().is_ok());
}

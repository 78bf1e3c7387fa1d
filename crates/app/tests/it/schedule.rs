//! The desktop's schedule: the first tick syncs, later ones wait for the cadence, and a story
//! in its last hour gets its account synced whatever the cadence.

use std::time::{Duration, Instant};

use insightdesk_app::schedule::TickOutcome;
use insightdesk_store::{CaptureState, TimeRange};

use crate::support::test_app;

/// Waits for a sync run started after `before` (the last finish seen) to finish.
async fn until_idle(app: &insightdesk_app::App, account: &str, before: Option<String>) {
    for _ in 0..600 {
        let status = app.sync_status(Some(account.to_owned())).await.unwrap();
        if !status.running && status.last_finished_at.is_some() && status.last_finished_at != before
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the sync of {account} did not finish");
}

#[tokio::test(flavor = "multi_thread")]
async fn ticks_follow_the_cadence_and_a_story_in_its_last_hour_is_read_before_it_vanishes() {
    let t = test_app();
    let start = Instant::now();
    assert_eq!(t.app.schedule_tick(start).await, TickOutcome::Idle);

    let state = t.app.explore_demo().await.unwrap();
    let account = state.active_account.unwrap();
    // A fixed moment of the demo world, whose last day has stories that Meta gives numbers
    // for (at 01:11, 03:10, 16:02 and 19:11 UTC on 25 November).
    let session = t.app.session().await.unwrap();
    let sandbox = session.sandbox().unwrap();
    sandbox.set_now(
        chrono::DateTime::parse_from_rfc3339("2026-11-25T20:00:00Z")
            .unwrap()
            .to_utc(),
    );
    assert_eq!(t.app.schedule_tick(start).await, TickOutcome::Started);
    until_idle(&t.app, &account, None).await;
    assert_eq!(
        t.app.schedule_tick(start + Duration::from_secs(60)).await,
        TickOutcome::Waiting
    );

    // A story of the last day, and the moment 23 h 20 min after it went up.
    let now = sandbox.now();
    let store = session.open_store().unwrap();
    let row = store.account_by_ig_id(&account).unwrap().unwrap().id;
    let live = store
        .stories(row, TimeRange::new(now - chrono::Duration::hours(22), now))
        .unwrap();
    // (Close-friends stories are seen by too few for Meta to give numbers: not those.)
    let story = live
        .iter()
        .rev()
        .find(|s| !s.latest.is_empty())
        .expect("a live story with numbers");
    assert!(!matches!(story.capture, Some(CaptureState::Final { .. })));
    sandbox.set_now(story.media.item.posted_at + chrono::Duration::minutes(23 * 60 + 20));

    // Half an hour into an hourly cadence: not due, but the story is.
    let later = start + Duration::from_secs(30 * 60);
    let before = t.app.sync_status(Some(account.clone())).await.unwrap();
    assert_eq!(t.app.schedule_tick(later).await, TickOutcome::StoriesEnding);
    until_idle(&t.app, &account, before.last_finished_at).await;
    let read = store
        .stories(row, TimeRange::new(now - chrono::Duration::hours(22), now))
        .unwrap()
        .into_iter()
        .find(|s| s.media.id == story.media.id)
        .unwrap();
    assert!(
        matches!(read.capture, Some(CaptureState::Final { .. })),
        "{:?}",
        read.capture
    );
    // Read once: a minute later nothing is started again for it.
    assert_eq!(
        t.app.schedule_tick(later + Duration::from_secs(60)).await,
        TickOutcome::Waiting
    );
}

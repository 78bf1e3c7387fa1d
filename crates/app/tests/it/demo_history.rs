//! The demo's first sign-in replays weeks of ordinary syncs, so its charts have history:
//! followers day by day, growth curves with readings at several ages, stories with their
//! final readings.

use chrono::Utc;
use insightdesk_app::dashboard::{ContentArgs, PostArgs, RangeArgs, RangeChoice};
use insightdesk_report::chart::{ChartData, ChartSpec};

use crate::support::test_app;

/// The values of a chart's series, with the gaps left out.
fn drawn_points(chart: &ChartSpec) -> Vec<Vec<f64>> {
    match &chart.data {
        ChartData::Series { series, .. } => series
            .iter()
            .map(|s| s.values.iter().flatten().copied().collect())
            .collect(),
        ChartData::Grid { .. } => Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_opens_on_weeks_of_history_read_by_ordinary_syncs() {
    let mut t = test_app();
    let mut config = t.app.config().clone();
    config.demo_history_days = 10;
    t.app = std::sync::Arc::new(insightdesk_app::App::new(config, t.host.clone()));

    let state = t.app.explore_demo().await.unwrap();
    let account = state.active_account.unwrap();

    // The simulated Meta is back in the present.
    let session_now = t.app.session().await.unwrap().meta.now();
    assert!(
        (session_now - Utc::now()).num_seconds().abs() < 120,
        "{session_now}"
    );

    // Followers: one snapshot a day replayed, so the chart draws a line, not a point.
    let overview = t
        .app
        .overview(RangeArgs {
            account: None,
            range: RangeChoice::Last28,
        })
        .await
        .unwrap();
    let followers = overview
        .charts
        .iter()
        .find(|c| c.id == "followers")
        .expect("a followers chart");
    let points = drawn_points(followers);
    assert!(points[0].len() >= 10, "{points:?}");
    assert!(
        points[0].windows(2).any(|w| w[0] != w[1]),
        "followers change over ten days: {points:?}"
    );

    // A post of the replayed days has readings at several ages and a median to compare with.
    let recent = t
        .app
        .content(ContentArgs {
            account: None,
            range: RangeChoice::Last7,
            kind: None,
            search: None,
            sort: None,
            ascending: false,
            offset: 0,
            limit: Some(50),
        })
        .await
        .unwrap();
    assert!(!recent.rows.is_empty());
    let mut best_curve = 0;
    for row in &recent.rows {
        let post = t
            .app
            .post_detail(PostArgs { id: row.id.clone() })
            .await
            .unwrap();
        if let Some(growth) = &post.growth {
            let series = drawn_points(growth);
            let own = series.first().map_or(0, Vec::len);
            if own > best_curve && series.get(1).is_some_and(|median| median.len() >= 2) {
                best_curve = own;
            }
        }
    }
    assert!(
        best_curve >= 3,
        "a recent post's growth curve has {best_curve} readings"
    );

    // Stories of the replayed days got their final readings before they vanished.
    let stories = t
        .app
        .stories(RangeArgs {
            account: None,
            range: RangeChoice::Last7,
        })
        .await
        .unwrap();
    // (Close-friends stories are seen by too few for Meta to give numbers: "missed" is true.)
    let gone: Vec<(&str, bool)> = stories
        .summary
        .stories
        .iter()
        .filter(|s| s.capture != "missed")
        .filter(|s| (Utc::now() - s.posted_local.to_utc()).num_hours() >= 24)
        .map(|s| (s.capture, s.reach.is_some()))
        .collect();
    assert!(gone.len() >= 3, "{gone:?}");
    assert!(
        gone.iter()
            .all(|(capture, has_reach)| *capture == "final" && *has_reach),
        "{gone:?}"
    );

    // And the replay left the account free for the schedule.
    let status = t.app.sync_status(Some(account.clone())).await.unwrap();
    assert!(!status.running);
    t.app.sync_account(&account, "test").await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_demo_signed_in_without_history_gets_its_weeks_replayed_when_opened_again() {
    // Signed in, never synced: as when the keyring kept the demo's tokens but the data folder
    // is new.
    let t = test_app();
    t.app.explore_demo().await.unwrap();
    assert!(runs(&t.app).await.is_empty());

    let mut config = t.app.config().clone();
    config.demo_history_days = 2;
    let again = std::sync::Arc::new(insightdesk_app::App::new(config, t.host.clone()));
    again.explore_demo().await.unwrap();
    let replayed = runs(&again)
        .await
        .iter()
        .filter(|r| r.started_by == "demo history")
        .count();
    assert!(replayed >= 2, "{replayed} replayed runs");
}

async fn runs(app: &insightdesk_app::App) -> Vec<insightdesk_store::SyncRun> {
    app.session()
        .await
        .unwrap()
        .open_store()
        .unwrap()
        .sync_runs(None, 1000)
        .unwrap()
}

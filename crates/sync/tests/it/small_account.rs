//! An account under 100 followers: Meta answers no follower numbers and no demographics for
//! it. The sync says so once, asks for nothing Meta will not answer, and reads the rest.

use std::collections::BTreeSet;

use chrono::Duration;
use insightdesk_store::{DayRange, SyncStatus};
use insightdesk_sync::days::pacific_date;

use crate::support::{self, at, new_store};

#[tokio::test]
async fn an_account_under_100_followers_syncs_with_warnings_not_errors() {
    let meta = support::start().await;
    let (_dir, _path, mut store) = new_store();
    let small = meta.creds.small_ig_user_id.clone();
    let report = meta.sync_account(&mut store, &small).await.unwrap();
    let account = store.account_by_ig_id(&small).unwrap().unwrap();
    let run = store.sync_runs(Some(account.id), 1).unwrap().pop().unwrap();
    assert_eq!(run.status, SyncStatus::Succeeded);
    assert_eq!(run.warnings, report.warnings);

    let today = pacific_date(at(support::NOW));
    let followers = store
        .followers_series(account.id, DayRange::ending(today, 1))
        .unwrap();
    assert!(followers[0].followers_count < 100, "{followers:?}");
    let withheld = report
        .warnings
        .iter()
        .find(|w| w.contains("under 100 followers"))
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    for metric in [
        "follower_count",
        "online_followers",
        "follows_and_unfollows",
        "follower_demographics",
    ] {
        assert!(withheld.contains(metric), "{withheld}");
    }
    // Nothing was asked that Meta does not answer under 100 followers.
    let asked: Vec<String> = meta.sandbox.ledger().into_iter().map(|e| e.path).collect();
    for metric in [
        "follower_count",
        "online_followers",
        "follows_and_unfollows",
        "follower_demographics",
    ] {
        assert!(
            asked
                .iter()
                .all(|p| !p.contains(&format!("metric={metric}"))
                    && !p.contains(&format!("%2C{metric}"))),
            "{metric}"
        );
    }

    // Posts, stories and account days are read as for any account.
    let media = support::all_media(&store, account.id);
    assert!(media.len() > 50, "{}", media.len());
    assert!(media.iter().filter(|m| !m.latest.is_empty()).count() > 40);
    let recent = DayRange::new(today - Duration::days(30), today - Duration::days(1));
    assert!(
        !store
            .account_daily_series(account.id, "reach", None, recent)
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .account_daily_series(account.id, "follower_count", None, recent)
            .unwrap()
            .is_empty()
    );

    // Engaged and reached audiences need 100 accounts too: a warning each, no snapshot.
    let demographics: BTreeSet<String> = store
        .latest_demographics(account.id)
        .unwrap()
        .into_iter()
        .map(|d| d.metric)
        .collect();
    assert!(!demographics.contains("follower_demographics"));
    for metric in [
        "engaged audience demographics",
        "reached audience demographics",
    ] {
        let warned = report.warnings.iter().any(|w| w.contains(metric));
        let stored = demographics.contains(&metric.replace(' ', "_"));
        assert!(warned != stored, "{metric}: either read or explained");
    }

    // The warnings are not repeated by a sync that has nothing new to say.
    meta.sandbox.advance(Duration::hours(1));
    let next = meta.sync_account(&mut store, &small).await.unwrap();
    assert!(
        next.warnings
            .iter()
            .all(|w| !w.contains("under 100 followers")),
        "{:?}",
        next.warnings
    );
}

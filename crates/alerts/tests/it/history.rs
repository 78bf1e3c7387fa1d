//! The sandbox creator's history, read through the Graph client into a store as a sync would:
//! a viral post raises an alert, an ordinary week raises none, a switched-off kind stays
//! silent, and an alert is never raised twice.

use chrono::Duration;
use insightdesk_alerts::{AlertKind, AlertSettings, evaluate, set_enabled};

use crate::support::{at, creator_at};

/// Four weeks plus the lookback, and some.
const HISTORY_DAYS: i64 = 40;

fn of_kind(alerts: &[insightdesk_alerts::Alert], kinds: &[AlertKind]) -> usize {
    alerts.iter().filter(|a| kinds.contains(&a.kind)).count()
}

#[tokio::test]
async fn a_viral_post_raises_one_alert_and_only_once() {
    // The demo creator's photo of 3 Sep 2026 went viral; three days later:
    let now = at("2026-09-06T12:00:00Z");
    let mut profile = creator_at(now, HISTORY_DAYS).await;
    let settings = AlertSettings::default();
    let alerts = evaluate(&mut profile.store, profile.account, now, &settings, None).unwrap();
    let reach: Vec<_> = alerts
        .iter()
        .filter(|a| a.kind == AlertKind::PostReach)
        .collect();
    assert_eq!(reach.len(), 1, "{alerts:#?}");
    let alert = reach[0];
    let post = profile
        .store
        .media_by_ig_id(&alert.subject)
        .unwrap()
        .unwrap();
    assert_eq!(
        post.item.posted_at.date_naive(),
        chrono::NaiveDate::from_ymd_opt(2026, 9, 3).unwrap()
    );
    assert!(
        alert.text.starts_with("Your photo from 3 Sep reached ")
            && alert
                .text
                .contains("× your usual reach (the median of your "),
        "{}",
        alert.text
    );
    assert_eq!(alert.id, format!("post_reach:{}", alert.subject));

    // The next evaluations, the same day and a day later, do not raise it again.
    let again = evaluate(&mut profile.store, profile.account, now, &settings, None).unwrap();
    assert!(again.is_empty(), "{again:#?}");
    let later = evaluate(
        &mut profile.store,
        profile.account,
        now + Duration::days(1),
        &settings,
        None,
    )
    .unwrap();
    assert!(
        later.iter().all(|a| a.subject != alert.subject),
        "{later:#?}"
    );
}

#[tokio::test]
async fn an_ordinary_week_raises_no_post_alert() {
    let now = at("2026-11-26T12:00:00Z");
    let mut profile = creator_at(now, HISTORY_DAYS).await;
    let posts = profile
        .store
        .media_page(&insightdesk_store::MediaQuery {
            filter: insightdesk_store::MediaFilter::account(profile.account).posted(
                insightdesk_store::TimeRange::new(now - Duration::days(7), now),
            ),
            sort: insightdesk_store::MediaSort::PostedAt,
            descending: false,
            limit: 100,
            offset: 0,
        })
        .unwrap();
    assert!(
        posts.total >= 3,
        "the week has posts to judge: {}",
        posts.total
    );
    let alerts = profile.evaluate(now, &AlertSettings::default());
    assert_eq!(
        of_kind(&alerts, &[AlertKind::PostReach, AlertKind::PostEngagement]),
        0,
        "{alerts:#?}"
    );
}

#[tokio::test]
async fn a_switched_off_alert_stays_silent_until_switched_on() {
    let now = at("2026-09-06T12:00:00Z");
    let mut profile = creator_at(now, HISTORY_DAYS).await;
    set_enabled(&mut profile.store, AlertKind::PostReach, false).unwrap();
    let settings = AlertSettings::load(&profile.store).unwrap();
    assert!(!settings.post_reach);
    let silent = evaluate(&mut profile.store, profile.account, now, &settings, None).unwrap();
    assert_eq!(of_kind(&silent, &[AlertKind::PostReach]), 0, "{silent:#?}");
    assert!(
        profile
            .store
            .alert_states(profile.account)
            .unwrap()
            .iter()
            .all(|s| !s.alert.starts_with("post_reach:")),
        "a switched-off kind leaves nothing behind"
    );

    set_enabled(&mut profile.store, AlertKind::PostReach, true).unwrap();
    let settings = AlertSettings::load(&profile.store).unwrap();
    let on = evaluate(&mut profile.store, profile.account, now, &settings, None).unwrap();
    assert_eq!(of_kind(&on, &[AlertKind::PostReach]), 1, "{on:#?}");
}

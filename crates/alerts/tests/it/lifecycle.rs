//! Raised once, acknowledged, pending: the alert's life in `alert_state`.

use insightdesk_alerts::{AlertSettings, acknowledge, evaluate, pending};

use crate::support::{at, empty};

#[test]
fn an_alert_is_raised_once_listed_until_acknowledged_and_never_again() {
    let mut profile = empty("1");
    let settings = AlertSettings::default();
    profile.tag("m1", "2026-11-25T10:00:00Z");
    let now = at("2026-11-26T12:00:00Z");

    let first = evaluate(&mut profile.store, profile.account, now, &settings, None).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].id, "mention:m1");
    assert_eq!(pending(&profile.store, profile.account).unwrap(), first);

    let second = evaluate(&mut profile.store, profile.account, now, &settings, None).unwrap();
    assert!(second.is_empty(), "{second:#?}");

    assert!(acknowledge(&mut profile.store, profile.account, "mention:m1", now).unwrap());
    assert!(pending(&profile.store, profile.account).unwrap().is_empty());
    assert!(!acknowledge(&mut profile.store, profile.account, "mention:nope", now).unwrap());

    // An acknowledged alert stays raised; a new subject is a new alert.
    profile.tag("m2", "2026-11-26T11:00:00Z");
    let later = at("2026-11-26T13:00:00Z");
    let third = evaluate(&mut profile.store, profile.account, later, &settings, None).unwrap();
    assert_eq!(
        third.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["mention:m2"]
    );
    assert_eq!(third[0].raised_at, later);
    let states = profile.store.alert_states(profile.account).unwrap();
    assert_eq!(states.len(), 2);
    assert!(states.iter().all(|s| s.last_fired_at.is_some()));
}

#[test]
fn accounts_keep_their_own_alerts() {
    let mut profile = empty("1");
    let other = profile
        .store
        .write(|batch| {
            batch.upsert_account(
                &insightdesk_store::AccountProfile {
                    ig_user_id: "2".into(),
                    login_kind: insightdesk_store::LoginKind::Instagram,
                    username: "other".into(),
                    name: None,
                    profile_picture_url: None,
                },
                at("2026-01-01T00:00:00Z"),
            )
        })
        .unwrap();
    profile.tag("m1", "2026-11-25T10:00:00Z");
    let now = at("2026-11-26T12:00:00Z");
    let settings = AlertSettings::default();
    assert!(
        evaluate(&mut profile.store, other, now, &settings, None)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        evaluate(&mut profile.store, profile.account, now, &settings, None)
            .unwrap()
            .len(),
        1
    );
}

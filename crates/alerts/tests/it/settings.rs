//! Alert settings in the store: defaults, round trip, thresholds, unreadable values.

use insightdesk_alerts::{AlertError, AlertKind, AlertSettings, enabled_key, threshold_key};

use crate::support::{at, empty};

#[test]
fn a_new_profile_has_every_alert_on_with_the_documented_thresholds() {
    let profile = empty("1");
    let settings = AlertSettings::load(&profile.store).unwrap();
    assert_eq!(settings, AlertSettings::default());
    assert!(AlertKind::ALL.iter().all(|k| settings.enabled(*k)));
    assert_eq!(settings.post_reach_factor, 3.0);
    assert_eq!(settings.token_expiry_days, 7);
}

#[test]
fn settings_survive_a_save_and_load() {
    let mut profile = empty("1");
    let changed = AlertSettings {
        post_reach_factor: 2.5,
        daily_reach_factor: 4.0,
        token_expiry_days: 3,
        lookback_days: 14,
        ..AlertSettings::default()
    }
    .with(AlertKind::Mention, false);
    changed.save(&mut profile.store).unwrap();
    assert_eq!(AlertSettings::load(&profile.store).unwrap(), changed);
    assert_eq!(
        profile
            .store
            .setting("alerts.mention.enabled")
            .unwrap()
            .as_deref(),
        Some("false")
    );
    assert_eq!(
        profile
            .store
            .setting("alerts.post_reach.factor")
            .unwrap()
            .as_deref(),
        Some("2.5")
    );
    assert_eq!(
        enabled_key(AlertKind::StoryMissed),
        "alerts.story_missed.enabled"
    );
    assert_eq!(threshold_key(AlertKind::Mention), None);
}

#[test]
fn an_unreadable_setting_is_an_error_that_names_it() {
    for (key, value) in [
        ("alerts.post_reach.factor", "lots"),
        ("alerts.post_reach.factor", "0.5"),
        ("alerts.mention.enabled", "yes"),
        ("alerts.token_expiry.days", "-2"),
        ("alerts.lookback_days", "0"),
    ] {
        let mut profile = empty("1");
        profile
            .store
            .write(|batch| batch.set_setting(key, value))
            .unwrap();
        let error = AlertSettings::load(&profile.store).unwrap_err();
        assert!(
            matches!(error, AlertError::InvalidSetting { .. }),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(text.contains(key) && text.contains(value), "{text}");
    }
}

#[test]
fn a_higher_factor_and_a_shorter_lookback_raise_less() {
    let mut profile = empty("1");
    for (n, reach) in [1000.0, 1100.0, 900.0, 1000.0, 1200.0]
        .into_iter()
        .enumerate()
    {
        profile.post(
            &format!("p{n}"),
            ("FEED", "IMAGE"),
            at(&format!("2026-11-0{}T10:00:00Z", n + 1)),
            at("2026-11-26T12:00:00Z"),
            &[("reach", reach)],
        );
    }
    profile.post(
        "big",
        ("FEED", "IMAGE"),
        at("2026-11-20T10:00:00Z"),
        at("2026-11-26T12:00:00Z"),
        &[("reach", 4000.0)],
    );
    profile.tag("tag", "2026-11-21T10:00:00Z");
    let now = at("2026-11-26T12:00:00Z");
    let strict = AlertSettings {
        post_reach_factor: 5.0,
        lookback_days: 3,
        ..AlertSettings::default()
    };
    let none = profile.evaluate(now, &strict);
    assert!(none.is_empty(), "{none:#?}");
    let usual = profile.evaluate(now, &AlertSettings::default());
    let ids: Vec<&str> = usual.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["post_reach:big", "mention:tag"]);
}

//! Each rule on tiny hand-made rows, through `evaluate`, with the sentences as golden texts.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use insightdesk_alerts::{Alert, AlertKind, AlertSettings, evaluate, rules};
use insightdesk_store::{AccountDailyValue, CaptureState, Mention};

use crate::support::{Profile, at, empty};

const NOW: &str = "2026-11-26T12:00:00Z";

fn now() -> DateTime<Utc> {
    at(NOW)
}

fn run(profile: &mut Profile, token_expires_at: Option<DateTime<Utc>>) -> Vec<Alert> {
    evaluate(
        &mut profile.store,
        profile.account,
        now(),
        &AlertSettings::default(),
        token_expires_at,
    )
    .unwrap()
}

/// `subject: text` lines, for a snapshot a reviewer can read.
fn lines(alerts: &[Alert]) -> String {
    alerts
        .iter()
        .map(|a| format!("{} | {} | {}", a.id, a.title, a.text))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn token_expiry() {
    let cases = [
        ("in 5 days", Some(at("2026-12-01T12:00:00Z"))),
        ("in 12 hours", Some(at("2026-11-27T00:00:00Z"))),
        ("in 10 days", Some(at("2026-12-06T12:00:00Z"))),
        ("6 days ago", Some(at("2026-11-20T09:30:00Z"))),
        ("unknown", None),
    ];
    let mut shown = Vec::new();
    for (label, expires_at) in cases {
        let candidate = rules::token_expiry(expires_at, now(), 7);
        shown.push(format!(
            "{label}: {}",
            candidate.map_or("(none)".to_owned(), |c| format!(
                "{} | {}",
                c.subject, c.text
            ))
        ));
    }
    insta::assert_snapshot!("token_expiry", shown.join("\n"));

    let mut profile = empty("1");
    let alerts = run(&mut profile, Some(at("2026-12-01T12:00:00Z")));
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, AlertKind::TokenExpiry);
    // A sign-in that then expires is a second, different alert.
    let expired = evaluate(
        &mut profile.store,
        profile.account,
        at("2026-12-02T08:00:00Z"),
        &AlertSettings::default(),
        Some(at("2026-12-01T12:00:00Z")),
    )
    .unwrap();
    assert_eq!(expired.len(), 1);
    assert!(expired[0].id.starts_with("token_expiry:expired:"));
}

#[test]
fn stories_not_captured() {
    let mut profile = empty("1");
    let story = |p: &mut Profile, id: &str, posted: &str, state: CaptureState| {
        let media = p.post(id, ("STORY", "IMAGE"), at(posted), at(posted), &[]);
        p.store
            .write(|batch| batch.record_story_capture(media, state))
            .unwrap();
    };
    story(
        &mut profile,
        "missed",
        "2026-11-24T14:05:00Z",
        CaptureState::Missed,
    );
    story(
        &mut profile,
        "last_seen",
        "2026-11-23T09:00:00Z",
        CaptureState::LastSeen {
            at: at("2026-11-23T15:00:00Z"),
        },
    );
    story(
        &mut profile,
        "final",
        "2026-11-24T10:00:00Z",
        CaptureState::Final {
            at: at("2026-11-25T09:00:00Z"),
        },
    );
    // Still live: its final reading may yet come.
    story(
        &mut profile,
        "live",
        "2026-11-26T08:00:00Z",
        CaptureState::LastSeen {
            at: at("2026-11-26T10:00:00Z"),
        },
    );
    // Older than the lookback.
    story(
        &mut profile,
        "old",
        "2026-11-10T08:00:00Z",
        CaptureState::Missed,
    );
    // No state recorded yet: nothing to say.
    profile.post(
        "unknown",
        ("STORY", "VIDEO"),
        at("2026-11-22T08:00:00Z"),
        now(),
        &[],
    );

    let alerts = run(&mut profile, None);
    insta::assert_snapshot!("stories_not_captured", lines(&alerts));
}

/// Six feed posts of the four weeks before, with reach around 1,000 and interactions around 50.
fn usual_feed(profile: &mut Profile) {
    let usual = [
        ("2026-10-25T10:00:00Z", 1000.0, 50.0),
        ("2026-10-29T10:00:00Z", 1100.0, 60.0),
        ("2026-11-02T10:00:00Z", 900.0, 40.0),
        ("2026-11-06T10:00:00Z", 1000.0, 55.0),
        ("2026-11-10T10:00:00Z", 1200.0, 45.0),
        ("2026-11-15T10:00:00Z", 950.0, 50.0),
    ];
    for (n, (posted, reach, interactions)) in usual.into_iter().enumerate() {
        profile.post(
            &format!("usual{n}"),
            ("FEED", "IMAGE"),
            at(posted),
            now(),
            &[("reach", reach), ("total_interactions", interactions)],
        );
    }
}

#[test]
fn post_outliers() {
    let mut profile = empty("1");
    usual_feed(&mut profile);
    // 4.0× the usual reach, ordinary interactions.
    profile.post(
        "photo",
        ("FEED", "IMAGE"),
        at("2026-11-22T18:30:00Z"),
        now(),
        &[("reach", 4000.0), ("total_interactions", 60.0)],
    );
    // 2.5× the usual reach (below 3×), 8× the usual interactions.
    profile.post(
        "carousel",
        ("FEED", "CAROUSEL_ALBUM"),
        at("2026-11-23T18:30:00Z"),
        now(),
        &[("reach", 2500.0), ("total_interactions", 400.0)],
    );
    // Reels are compared with reels, and two earlier reels are too few to know the usual.
    profile.post(
        "reel_a",
        ("REELS", "VIDEO"),
        at("2026-11-01T18:00:00Z"),
        now(),
        &[("reach", 3000.0)],
    );
    profile.post(
        "reel_b",
        ("REELS", "VIDEO"),
        at("2026-11-10T18:00:00Z"),
        now(),
        &[("reach", 3200.0)],
    );
    profile.post(
        "reel_c",
        ("REELS", "VIDEO"),
        at("2026-11-24T18:00:00Z"),
        now(),
        &[("reach", 30_000.0)],
    );
    let alerts = run(&mut profile, None);
    insta::assert_snapshot!("post_outliers", lines(&alerts));
}

#[test]
fn daily_reach_outliers() {
    let mut profile = empty("1");
    let first = NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
    let mut values = Vec::new();
    let mut day = first;
    while day <= NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() {
        let value = match day.to_string().as_str() {
            "2026-11-21" => 5200.0,
            "2026-11-22" => 180.0,
            // Yesterday: Meta may still be counting, so even this is no alert yet.
            "2026-11-25" => 20.0,
            _ if (day - first).num_days() % 2 == 0 => 950.0,
            _ => 1050.0,
        };
        values.push(AccountDailyValue {
            metric: "reach".into(),
            day,
            breakdown: None,
            value,
        });
        day += Duration::days(1);
    }
    let account = profile.account;
    profile
        .store
        .write(|batch| batch.record_account_daily(account, &values, now()))
        .unwrap();
    let alerts = run(&mut profile, None);
    insta::assert_snapshot!("daily_reach_outliers", lines(&alerts));
}

#[test]
fn new_mentions() {
    let mut profile = empty("1");
    let mention = |media: &str,
                   comment: Option<&str>,
                   who: Option<&str>,
                   text: Option<&str>,
                   when: Option<&str>| Mention {
        ig_media_id: media.into(),
        ig_comment_id: comment.map(Into::into),
        username: who.map(Into::into),
        text: text.map(Into::into),
        mentioned_at: when.map(at),
    };
    let mentions = [
        mention(
            "tag1",
            None,
            Some("kneadtoknow"),
            Some("Baked this following @bakerjo's recipe!"),
            Some("2026-11-24T10:00:00Z"),
        ),
        mention(
            "post2",
            Some("c2"),
            None,
            None,
            Some("2026-11-25T07:00:00Z"),
        ),
        mention(
            "post3",
            Some("c3"),
            Some("leedsfoodie"),
            Some(&format!("@bakerjo {}", "so good ".repeat(20))),
            Some("2026-11-25T08:00:00Z"),
        ),
        mention(
            "old",
            None,
            Some("x"),
            Some("long ago"),
            Some("2026-11-01T10:00:00Z"),
        ),
        mention("undated", None, Some("y"), Some("when?"), None),
    ];
    let account = profile.account;
    profile
        .store
        .write(|batch| {
            for m in &mentions {
                batch.upsert_mention(account, m, now())?;
            }
            Ok::<_, insightdesk_store::StoreError>(())
        })
        .unwrap();
    let alerts = run(&mut profile, None);
    insta::assert_snapshot!("new_mentions", lines(&alerts));
}

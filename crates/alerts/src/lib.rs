//! Local alerts: sentences a creator understands, raised from what the store holds. The
//! desktop shows them as notifications, the command line prints them.
//!
//! * [`evaluate`] runs every switched-on rule ([`rules`]) for one account at `now` and returns
//!   the alerts that were never raised before, remembering each in the store's `alert_state`
//!   (key `<kind>:<subject>`), so an alert is raised once per subject, ever.
//! * [`acknowledge`] marks an alert as seen; [`pending`] lists those raised and not yet seen.
//! * [`AlertSettings`] are the user's choices, kept in the store (`alerts.*` keys).
//!
//! This crate reads the store only and takes what it cannot see as arguments: the time, and
//! when the sign-in expires (the auth crate knows that).

mod error;
pub mod rules;
mod settings;
mod text;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use insightdesk_store::{
    AccountId, DayRange, MediaFilter, MediaQuery, MediaSort, Store, TimeRange,
};
use serde::{Deserialize, Serialize};

pub use error::AlertError;
pub use rules::Candidate;
pub use settings::{AlertSettings, LOOKBACK_KEY, enabled_key, set_enabled, threshold_key};

/// The kinds of alert, each switched on and off on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    TokenExpiry,
    StoryMissed,
    PostReach,
    PostEngagement,
    DailyReach,
    Mention,
}

impl AlertKind {
    pub const ALL: [AlertKind; 6] = [
        AlertKind::TokenExpiry,
        AlertKind::StoryMissed,
        AlertKind::PostReach,
        AlertKind::PostEngagement,
        AlertKind::DailyReach,
        AlertKind::Mention,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::TokenExpiry => "token_expiry",
            AlertKind::StoryMissed => "story_missed",
            AlertKind::PostReach => "post_reach",
            AlertKind::PostEngagement => "post_engagement",
            AlertKind::DailyReach => "daily_reach",
            AlertKind::Mention => "mention",
        }
    }
}

/// One alert as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// `<kind>:<subject>`: stable, the key of its `alert_state` row and of [`acknowledge`].
    pub id: String,
    pub kind: AlertKind,
    pub subject: String,
    /// A short headline (a notification's title).
    pub title: String,
    /// The whole sentence, with the numbers compared.
    pub text: String,
    pub raised_at: DateTime<Utc>,
}

/// What `alert_state.state` holds for an alert.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Remembered {
    status: Status,
    #[serde(flatten)]
    alert: Alert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Raised,
    Acknowledged,
}

/// Runs the switched-on rules for `account` at `now` and returns the alerts not raised
/// before (in the order of [`AlertKind::ALL`]), remembering them. `token_expires_at` is when
/// the account's sign-in expires, if known.
pub fn evaluate(
    store: &mut Store,
    account: AccountId,
    now: DateTime<Utc>,
    settings: &AlertSettings,
    token_expires_at: Option<DateTime<Utc>>,
) -> Result<Vec<Alert>, AlertError> {
    let candidates = candidates(store, account, now, settings, token_expires_at)?;
    let raised: HashSet<String> = store
        .alert_states(account)?
        .into_iter()
        .map(|state| state.alert)
        .collect();
    let mut seen = HashSet::new();
    let fresh: Vec<Alert> = candidates
        .into_iter()
        .filter(|c| settings.enabled(c.kind))
        .map(|c| Alert {
            id: format!("{}:{}", c.kind.as_str(), c.subject),
            kind: c.kind,
            subject: c.subject,
            title: c.title,
            text: c.text,
            raised_at: now,
        })
        .filter(|alert| !raised.contains(&alert.id) && seen.insert(alert.id.clone()))
        .collect();
    store.write(|batch| {
        for alert in &fresh {
            let state = remembered(alert, Status::Raised);
            batch.set_alert_state(account, &alert.id, &state, Some(now), now)?;
        }
        Ok::<(), AlertError>(())
    })?;
    Ok(fresh)
}

fn candidates(
    store: &Store,
    account: AccountId,
    now: DateTime<Utc>,
    settings: &AlertSettings,
    token_expires_at: Option<DateTime<Utc>>,
) -> Result<Vec<Candidate>, AlertError> {
    let lookback = Duration::days(i64::from(settings.lookback_days));
    let mut out = Vec::new();
    if settings.token_expiry {
        out.extend(rules::token_expiry(
            token_expires_at,
            now,
            settings.token_expiry_days,
        ));
    }
    if settings.story_missed {
        let posted = TimeRange::new(now - lookback - Duration::days(1), now);
        let stories = store.stories(account, posted)?;
        out.extend(rules::stories_not_captured(&stories, now, lookback));
    }
    if settings.post_reach || settings.post_engagement {
        let from = now - lookback - Duration::days(rules::BASELINE_DAYS);
        let page = store.media_page(&MediaQuery {
            filter: MediaFilter::account(account).posted(TimeRange::new(from, now)),
            sort: MediaSort::PostedAt,
            descending: false,
            limit: u32::MAX,
            offset: 0,
        })?;
        for kind in [AlertKind::PostReach, AlertKind::PostEngagement] {
            if settings.enabled(kind) {
                out.extend(rules::post_outliers(
                    kind,
                    &page.rows,
                    now,
                    lookback,
                    settings.factor(kind),
                ));
            }
        }
    }
    if settings.daily_reach {
        let days = DayRange::new(
            (now - lookback - Duration::days(rules::BASELINE_DAYS)).date_naive(),
            now.date_naive(),
        );
        let series = store.account_daily_series(account, "reach", None, days)?;
        out.extend(rules::daily_reach_outliers(
            &series,
            now,
            lookback,
            settings.daily_reach_factor,
        ));
    }
    if settings.mention {
        let mentions = store.mentions(account)?;
        out.extend(rules::new_mentions(&mentions, now, lookback));
    }
    out.sort_by_key(|c| c.kind);
    Ok(out)
}

fn remembered(alert: &Alert, status: Status) -> String {
    serde_json::to_string(&Remembered {
        status,
        alert: alert.clone(),
    })
    .unwrap_or_default()
}

/// Marks an alert as seen (it stays raised: it will not come back). Returns whether the
/// account had that alert.
pub fn acknowledge(
    store: &mut Store,
    account: AccountId,
    alert_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, AlertError> {
    let Some(state) = store
        .alert_states(account)?
        .into_iter()
        .find(|s| s.alert == alert_id)
    else {
        return Ok(false);
    };
    let Ok(mut remembered) = serde_json::from_str::<Remembered>(&state.state) else {
        return Ok(false);
    };
    remembered.status = Status::Acknowledged;
    let text = serde_json::to_string(&remembered).unwrap_or_default();
    store
        .write(|batch| batch.set_alert_state(account, alert_id, &text, state.last_fired_at, now))?;
    Ok(true)
}

/// The account's alerts that were raised and not acknowledged, oldest first.
pub fn pending(store: &Store, account: AccountId) -> Result<Vec<Alert>, AlertError> {
    let mut alerts: Vec<Alert> = store
        .alert_states(account)?
        .into_iter()
        .filter_map(|state| serde_json::from_str::<Remembered>(&state.state).ok())
        .filter(|r| r.status == Status::Raised)
        .map(|r| r.alert)
        .collect();
    alerts.sort_by(|a, b| (a.raised_at, a.kind, &a.id).cmp(&(b.raised_at, b.kind, &b.id)));
    Ok(alerts)
}

//! What the user chose, kept in the store's `setting` table under `alerts.*` keys:
//!
//! | key | meaning | default |
//! |---|---|---|
//! | `alerts.<kind>.enabled` | `true` / `false`, for each [`AlertKind`] | `true` |
//! | `alerts.token_expiry.days` | warn this many days before the sign-in expires | `7` |
//! | `alerts.post_reach.factor` | a post's reach above this many times the usual | `3` |
//! | `alerts.post_engagement.factor` | a post's interactions above this many times the usual | `3` |
//! | `alerts.daily_reach.factor` | a day's reach above this many times the usual, or below the usual divided by it | `3` |
//! | `alerts.lookback_days` | only posts, stories, days and mentions this recent raise alerts | `7` |
//!
//! A key that is not set takes its default; a key set to something unreadable is an error
//! that names it, rather than an alert silently behaving otherwise than the user asked.

use insightdesk_store::Store;
use serde::Serialize;

use crate::AlertKind;
use crate::error::AlertError;

/// The user's alert settings. [`Default`] is what a new profile gets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertSettings {
    pub token_expiry: bool,
    pub token_expiry_days: u32,
    pub story_missed: bool,
    pub post_reach: bool,
    pub post_reach_factor: f64,
    pub post_engagement: bool,
    pub post_engagement_factor: f64,
    pub daily_reach: bool,
    pub daily_reach_factor: f64,
    pub mention: bool,
    pub lookback_days: u32,
}

impl Default for AlertSettings {
    fn default() -> Self {
        Self {
            token_expiry: true,
            token_expiry_days: 7,
            story_missed: true,
            post_reach: true,
            post_reach_factor: 3.0,
            post_engagement: true,
            post_engagement_factor: 3.0,
            daily_reach: true,
            daily_reach_factor: 3.0,
            mention: true,
            lookback_days: 7,
        }
    }
}

pub const LOOKBACK_KEY: &str = "alerts.lookback_days";

/// `alerts.<kind>.enabled`.
pub fn enabled_key(kind: AlertKind) -> String {
    format!("alerts.{}.enabled", kind.as_str())
}

/// The threshold key of a kind that has one (`alerts.token_expiry.days`,
/// `alerts.<kind>.factor`).
pub fn threshold_key(kind: AlertKind) -> Option<String> {
    match kind {
        AlertKind::TokenExpiry => Some("alerts.token_expiry.days".into()),
        AlertKind::PostReach | AlertKind::PostEngagement | AlertKind::DailyReach => {
            Some(format!("alerts.{}.factor", kind.as_str()))
        }
        AlertKind::StoryMissed | AlertKind::Mention => None,
    }
}

impl AlertSettings {
    /// Reads the settings from the store (defaults for keys not set).
    pub fn load(store: &Store) -> Result<Self, AlertError> {
        let mut settings = Self::default();
        for kind in AlertKind::ALL {
            let key = enabled_key(kind);
            if let Some(value) = store.setting(&key)? {
                let enabled = match value.trim() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(invalid(key, value, "true or false")),
                };
                *settings.enabled_mut(kind) = enabled;
            }
        }
        if let Some(value) = store.setting("alerts.token_expiry.days")? {
            settings.token_expiry_days = value.trim().parse().map_err(|_| {
                invalid(
                    "alerts.token_expiry.days".into(),
                    value,
                    "a whole number of days",
                )
            })?;
        }
        for kind in [
            AlertKind::PostReach,
            AlertKind::PostEngagement,
            AlertKind::DailyReach,
        ] {
            let Some(key) = threshold_key(kind) else {
                continue;
            };
            if let Some(value) = store.setting(&key)? {
                let factor = value
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f > 1.0)
                    .ok_or_else(|| invalid(key, value, "a number above 1 (like 3 or 2.5)"))?;
                *settings.factor_mut(kind) = factor;
            }
        }
        if let Some(value) = store.setting(LOOKBACK_KEY)? {
            settings.lookback_days =
                value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|d| *d > 0)
                    .ok_or_else(|| {
                        invalid(LOOKBACK_KEY.into(), value, "a whole number of days above 0")
                    })?;
        }
        Ok(settings)
    }

    /// Writes every setting to the store, in one transaction.
    pub fn save(&self, store: &mut Store) -> Result<(), AlertError> {
        store.write(|batch| {
            for kind in AlertKind::ALL {
                batch.set_setting(&enabled_key(kind), &self.enabled(kind).to_string())?;
            }
            batch.set_setting(
                "alerts.token_expiry.days",
                &self.token_expiry_days.to_string(),
            )?;
            for kind in [
                AlertKind::PostReach,
                AlertKind::PostEngagement,
                AlertKind::DailyReach,
            ] {
                if let Some(key) = threshold_key(kind) {
                    batch.set_setting(&key, &self.factor(kind).to_string())?;
                }
            }
            batch.set_setting(LOOKBACK_KEY, &self.lookback_days.to_string())?;
            Ok(())
        })
    }

    pub fn enabled(&self, kind: AlertKind) -> bool {
        match kind {
            AlertKind::TokenExpiry => self.token_expiry,
            AlertKind::StoryMissed => self.story_missed,
            AlertKind::PostReach => self.post_reach,
            AlertKind::PostEngagement => self.post_engagement,
            AlertKind::DailyReach => self.daily_reach,
            AlertKind::Mention => self.mention,
        }
    }

    fn enabled_mut(&mut self, kind: AlertKind) -> &mut bool {
        match kind {
            AlertKind::TokenExpiry => &mut self.token_expiry,
            AlertKind::StoryMissed => &mut self.story_missed,
            AlertKind::PostReach => &mut self.post_reach,
            AlertKind::PostEngagement => &mut self.post_engagement,
            AlertKind::DailyReach => &mut self.daily_reach,
            AlertKind::Mention => &mut self.mention,
        }
    }

    /// The factor of an outlier kind (3 for the others, which have none).
    pub fn factor(&self, kind: AlertKind) -> f64 {
        match kind {
            AlertKind::PostReach => self.post_reach_factor,
            AlertKind::PostEngagement => self.post_engagement_factor,
            AlertKind::DailyReach => self.daily_reach_factor,
            _ => 3.0,
        }
    }

    fn factor_mut(&mut self, kind: AlertKind) -> &mut f64 {
        match kind {
            AlertKind::PostReach => &mut self.post_reach_factor,
            AlertKind::PostEngagement => &mut self.post_engagement_factor,
            _ => &mut self.daily_reach_factor,
        }
    }

    /// Switches one kind on or off, keeping the others.
    pub fn with(mut self, kind: AlertKind, enabled: bool) -> Self {
        *self.enabled_mut(kind) = enabled;
        self
    }
}

fn invalid(key: String, value: String, expected: &'static str) -> AlertError {
    AlertError::InvalidSetting {
        key,
        value,
        expected,
    }
}

/// Switches one kind on or off in the store.
pub fn set_enabled(store: &mut Store, kind: AlertKind, enabled: bool) -> Result<(), AlertError> {
    store.write(|batch| batch.set_setting(&enabled_key(kind), &enabled.to_string()))?;
    Ok(())
}

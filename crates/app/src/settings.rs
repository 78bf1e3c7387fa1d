//! The creator's settings, kept per profile in the store: time zone, sync schedule, how long
//! each kind of data stays fresh, theme, scheduled reports and alerts.

use std::str::FromStr;

use chrono_tz::Tz;
use insightdesk_alerts::AlertSettings;
use insightdesk_store::Store;
use insightdesk_sync::Freshness;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::accounts::with_store;
use crate::error::AppError;
use crate::info::NoArgs;

const TIME_ZONE_KEY: &str = "ui.time_zone";
const THEME_KEY: &str = "ui.theme";
const SYNC_EVERY_KEY: &str = "sync.every_minutes";
const SCHEDULE_KEY: &str = "reports.schedule";
/// Prefix of the freshness windows' keys, one per kind of data (`sync.fresh_minutes.profile`).
const FRESH_KEY_PREFIX: &str = "sync.fresh_minutes.";

/// Syncs every hour by default: stories need a reading before they vanish at 24 hours.
pub const DEFAULT_SYNC_MINUTES: u32 = 60;

/// A report written by itself after each week or month, as the seed guide's automated
/// weekly report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportSchedule {
    /// "weekly" or "monthly".
    pub cadence: String,
    /// "pdf", "csv" or "json".
    pub format: String,
    /// The folder the reports go to.
    pub folder: String,
}

/// The alerts a creator can switch on and off, and how far outside the usual counts as
/// unusual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertToggles {
    pub token_expiry: bool,
    pub story_missed: bool,
    pub post_reach: bool,
    pub post_engagement: bool,
    pub daily_reach: bool,
    pub mention: bool,
    /// "Unusual" means more than this many times (or less than one over this many times) the
    /// usual value.
    pub factor: f64,
}

/// How long each kind of data stays fresh, in minutes: a sync inside the window does not ask
/// Instagram for that kind again. The defaults are the sync's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FreshnessMinutes {
    /// Name, picture and follower count (with the day's followers snapshot).
    pub profile: u32,
    /// The newest posts, where new posts are found.
    pub media_list: u32,
    /// The live stories, and how often each live story is read.
    pub stories: u32,
    /// The account's daily metrics (the last few days are read again each time).
    pub account_metrics: u32,
    /// Audience demographics and online followers.
    pub demographics: u32,
}

const HOUR: u32 = 60;
const DAY: u32 = 24 * HOUR;

/// One freshness window: its store key, what it is called in a sentence, the least and the
/// most minutes it may take, and its value.
type Window<'a> = (&'static str, &'static str, (u32, u32), &'a mut u32);

impl Default for FreshnessMinutes {
    fn default() -> Self {
        Self::from_sync(&Freshness::default())
    }
}

impl FreshnessMinutes {
    fn from_sync(freshness: &Freshness) -> Self {
        let minutes = |d: chrono::Duration| u32::try_from(d.num_minutes()).unwrap_or(u32::MAX);
        Self {
            profile: minutes(freshness.profile),
            media_list: minutes(freshness.media_list),
            stories: minutes(freshness.stories),
            account_metrics: minutes(freshness.account_metrics),
            demographics: minutes(freshness.demographics),
        }
    }

    /// Each window. Stories stay at most 12 hours so a story is seen well before Meta forgets
    /// it at 24 hours; the audience at least a day, since Instagram revises it daily at most.
    fn windows(&mut self) -> [Window<'_>; 5] {
        [
            (
                "profile",
                "the profile and follower count",
                (HOUR, 7 * DAY),
                &mut self.profile,
            ),
            ("media_list", "new posts", (15, DAY), &mut self.media_list),
            ("stories", "stories", (15, 12 * HOUR), &mut self.stories),
            (
                "account_metrics",
                "account metrics",
                (HOUR, 7 * DAY),
                &mut self.account_metrics,
            ),
            (
                "demographics",
                "the audience",
                (DAY, 30 * DAY),
                &mut self.demographics,
            ),
        ]
    }

    /// The windows as the sync takes them.
    pub fn to_sync(self) -> Freshness {
        let window = |m: u32| chrono::Duration::minutes(i64::from(m));
        Freshness {
            profile: window(self.profile),
            media_list: window(self.media_list),
            stories: window(self.stories),
            account_metrics: window(self.account_metrics),
            demographics: window(self.demographics),
        }
    }

    /// A sentence for the first window outside what it may be.
    fn check(mut self) -> Result<(), AppError> {
        for (_, name, (least, most), minutes) in self.windows() {
            if !(least..=most).contains(minutes) {
                return Err(AppError::InvalidInput(format!(
                    "The freshness window for {name} must be between {} and {}; {} is outside \
                     that.",
                    duration_words(least),
                    duration_words(most),
                    duration_words(*minutes),
                )));
            }
        }
        Ok(())
    }
}

/// Minutes as a creator says them: "15 minutes", "12 hours", "1 day", "90 minutes".
fn duration_words(minutes: u32) -> String {
    let (count, unit) = if minutes >= DAY && minutes.is_multiple_of(DAY) {
        (minutes / DAY, "day")
    } else if minutes >= HOUR && minutes.is_multiple_of(HOUR) {
        (minutes / HOUR, "hour")
    } else {
        (minutes, "minute")
    };
    format!("{count} {unit}{}", if count == 1 { "" } else { "s" })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Settings {
    /// IANA time zone for days, weeks and the best-time grid, e.g. "Europe/Berlin".
    pub time_zone: String,
    /// Minutes between automatic syncs while the app is open; 0 syncs only on request.
    pub sync_every_minutes: u32,
    /// How long each kind of data stays fresh before a sync asks for it again.
    pub freshness: FreshnessMinutes,
    /// "system", "light" or "dark".
    pub theme: String,
    pub report_schedule: Option<ReportSchedule>,
    pub alerts: AlertToggles,
}

/// Everything the settings screen shows besides the editable settings.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SettingsView {
    pub settings: Settings,
    /// The Graph API version in use, e.g. "v26.0".
    pub api_version: String,
    /// This profile's folder.
    pub data_dir: String,
    /// Time zones to choose from.
    pub time_zones: Vec<String>,
}

/// The computer's time zone, or UTC when it cannot be told.
pub fn system_time_zone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| Tz::from_str(&name).ok())
        .unwrap_or(Tz::UTC)
}

fn load(store: &Store) -> Result<Settings, AppError> {
    let time_zone = store
        .setting(TIME_ZONE_KEY)?
        .filter(|tz| Tz::from_str(tz).is_ok())
        .unwrap_or_else(|| system_time_zone().name().to_owned());
    let sync_every_minutes = store
        .setting(SYNC_EVERY_KEY)?
        .and_then(|m| m.parse().ok())
        .unwrap_or(DEFAULT_SYNC_MINUTES);
    let freshness = load_freshness(store)?;
    let theme = store
        .setting(THEME_KEY)?
        .unwrap_or_else(|| "system".to_owned());
    let report_schedule = store
        .setting(SCHEDULE_KEY)?
        .and_then(|json| serde_json::from_str(&json).ok());
    let alerts = AlertSettings::load(store)?;
    Ok(Settings {
        time_zone,
        sync_every_minutes,
        freshness,
        theme,
        report_schedule,
        alerts: AlertToggles {
            token_expiry: alerts.token_expiry,
            story_missed: alerts.story_missed,
            post_reach: alerts.post_reach,
            post_engagement: alerts.post_engagement,
            daily_reach: alerts.daily_reach,
            mention: alerts.mention,
            factor: alerts.post_reach_factor,
        },
    })
}

/// The stored windows; one missing or unreadable is its default.
fn load_freshness(store: &Store) -> Result<FreshnessMinutes, AppError> {
    let mut freshness = FreshnessMinutes::default();
    for (key, _, _, minutes) in freshness.windows() {
        let stored = store
            .setting(&format!("{FRESH_KEY_PREFIX}{key}"))?
            .and_then(|m| m.parse().ok());
        if let Some(stored) = stored {
            *minutes = stored;
        }
    }
    Ok(freshness)
}

fn check(settings: &Settings) -> Result<(), AppError> {
    if Tz::from_str(&settings.time_zone).is_err() {
        return Err(AppError::InvalidInput(format!(
            "“{}” is not a time zone Insightdesk knows; pick one from the list.",
            settings.time_zone
        )));
    }
    if settings.sync_every_minutes != 0 && !(15..=24 * 60).contains(&settings.sync_every_minutes) {
        return Err(AppError::InvalidInput(
            "Sync between every 15 minutes and once a day (or choose “only when I ask”).".into(),
        ));
    }
    settings.freshness.check()?;
    if !matches!(settings.theme.as_str(), "system" | "light" | "dark") {
        return Err(AppError::InvalidInput(
            "The theme is system, light or dark.".into(),
        ));
    }
    if let Some(schedule) = &settings.report_schedule {
        if !matches!(schedule.cadence.as_str(), "weekly" | "monthly")
            || !matches!(schedule.format.as_str(), "pdf" | "csv" | "json")
        {
            return Err(AppError::InvalidInput(
                "Scheduled reports are weekly or monthly, as PDF, CSV or JSON.".into(),
            ));
        }
        let folder = std::path::Path::new(&schedule.folder);
        if !folder.is_absolute() || !folder.is_dir() {
            return Err(AppError::InvalidInput(format!(
                "Scheduled reports need an existing folder; “{}” is not one.",
                schedule.folder
            )));
        }
    }
    if !(1.5..=20.0).contains(&settings.alerts.factor) {
        return Err(AppError::InvalidInput(
            "“Unusual” must be between 1.5 and 20 times the usual value.".into(),
        ));
    }
    Ok(())
}

/// Scheduled reports are written without a dialog, so their folder must be one the creator
/// picked in the folder dialog (`choose_folder`), or the one saved before — never a path the
/// webview made up.
fn check_schedule_folder(store: &Store, settings: &Settings) -> Result<(), AppError> {
    let Some(schedule) = &settings.report_schedule else {
        return Ok(());
    };
    let saved = load(store)?.report_schedule.map(|s| s.folder);
    if saved.as_deref() == Some(schedule.folder.as_str())
        || crate::folders::chosen_folders(store)?.contains(&schedule.folder)
    {
        return Ok(());
    }
    Err(AppError::InvalidInput(format!(
        "Choose the folder for scheduled reports with “Choose folder…”; “{}” was not chosen there.",
        schedule.folder
    )))
}

fn save(store: &mut Store, settings: &Settings) -> Result<(), AppError> {
    let mut alerts = AlertSettings::load(store)?;
    alerts.token_expiry = settings.alerts.token_expiry;
    alerts.story_missed = settings.alerts.story_missed;
    alerts.post_reach = settings.alerts.post_reach;
    alerts.post_engagement = settings.alerts.post_engagement;
    alerts.daily_reach = settings.alerts.daily_reach;
    alerts.mention = settings.alerts.mention;
    alerts.post_reach_factor = settings.alerts.factor;
    alerts.post_engagement_factor = settings.alerts.factor;
    alerts.daily_reach_factor = settings.alerts.factor;
    let schedule = settings
        .report_schedule
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    store.write(|b| {
        b.set_setting(TIME_ZONE_KEY, &settings.time_zone)?;
        b.set_setting(SYNC_EVERY_KEY, &settings.sync_every_minutes.to_string())?;
        let mut freshness = settings.freshness;
        for (key, _, _, minutes) in freshness.windows() {
            b.set_setting(&format!("{FRESH_KEY_PREFIX}{key}"), &minutes.to_string())?;
        }
        b.set_setting(THEME_KEY, &settings.theme)?;
        match &schedule {
            Some(json) => b.set_setting(SCHEDULE_KEY, json)?,
            None => {
                b.delete_setting(SCHEDULE_KEY)?;
            }
        }
        Ok::<(), AppError>(())
    })?;
    alerts.save(store)?;
    Ok(())
}

impl App {
    pub async fn settings(&self) -> Result<Settings, AppError> {
        let session = self.session().await?;
        with_store(&session, |store| load(store)).await
    }

    /// The freshness windows the sync of this profile uses.
    pub async fn sync_freshness(&self) -> Result<Freshness, AppError> {
        let session = self.session().await?;
        let minutes = with_store(&session, |store| load_freshness(store)).await?;
        Ok(minutes.to_sync())
    }

    /// The time zone reports and the dashboard use.
    pub async fn time_zone(&self) -> Result<Tz, AppError> {
        let settings = self.settings().await?;
        Ok(Tz::from_str(&settings.time_zone).unwrap_or(Tz::UTC))
    }

    pub async fn settings_view(&self) -> Result<SettingsView, AppError> {
        let session = self.session().await?;
        let settings = with_store(&session, |store| load(store)).await?;
        Ok(SettingsView {
            settings,
            api_version: session.meta.version.to_string(),
            data_dir: session.dir().display().to_string(),
            time_zones: chrono_tz::TZ_VARIANTS
                .iter()
                .map(|tz| tz.name().to_owned())
                .filter(|name| name.contains('/') || name == "UTC")
                .collect(),
        })
    }

    pub async fn save_settings(&self, settings: Settings) -> Result<SettingsView, AppError> {
        check(&settings)?;
        let session = self.session().await?;
        with_store(&session, move |store| {
            check_schedule_folder(store, &settings)?;
            save(store, &settings)
        })
        .await?;
        self.settings_view().await
    }
}

pub async fn settings_get(app: &App, _args: NoArgs) -> Result<SettingsView, AppError> {
    app.settings_view().await
}

pub async fn settings_save(app: &App, args: Settings) -> Result<SettingsView, AppError> {
    app.save_settings(args).await
}

//! Time helpers: the sandbox clock, Meta's Pacific-time day boundaries and its date formats.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use std::sync::Mutex;
use std::time::Instant;

/// How the sandbox's "now" moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockConfig {
    /// Stands still at this instant until `set_now`/`advance` moves it (tests).
    Fixed(DateTime<Utc>),
    /// Follows real time from the given start (`None`: the real current time); the demo and the CLI.
    RealTime(Option<DateTime<Utc>>),
}

impl Default for ClockConfig {
    fn default() -> Self {
        ClockConfig::RealTime(None)
    }
}

#[derive(Debug)]
enum ClockState {
    Fixed(DateTime<Utc>),
    Running {
        at_anchor: DateTime<Utc>,
        anchor: Instant,
    },
}

/// The sandbox's clock: the only place that reads the machine's time, and only in real-time mode.
#[derive(Debug)]
pub(crate) struct Clock {
    state: Mutex<ClockState>,
}

impl Clock {
    pub(crate) fn new(config: &ClockConfig) -> Clock {
        let state = match config {
            ClockConfig::Fixed(at) => ClockState::Fixed(*at),
            ClockConfig::RealTime(start) => ClockState::Running {
                at_anchor: start.unwrap_or_else(Utc::now),
                anchor: Instant::now(),
            },
        };
        Clock {
            state: Mutex::new(state),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*state {
            ClockState::Fixed(at) => *at,
            ClockState::Running { at_anchor, anchor } => {
                *at_anchor
                    + Duration::from_std(anchor.elapsed()).unwrap_or_else(|_| Duration::zero())
            }
        }
    }

    pub(crate) fn set(&self, at: DateTime<Utc>) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &mut *state {
            ClockState::Fixed(current) => *current = at,
            ClockState::Running { at_anchor, anchor } => {
                *at_anchor = at;
                *anchor = Instant::now();
            }
        }
    }

    pub(crate) fn advance(&self, by: Duration) {
        let now = self.now();
        self.set(now + by);
    }
}

/// Whether US Pacific daylight time is in force at this UTC instant (second Sunday of March,
/// 10:00 UTC, to the first Sunday of November, 09:00 UTC). Meta's day boundaries and its
/// "Session has expired" messages use Pacific time.
pub(crate) fn pacific_dst(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let start = nth_sunday(year, 3, 2)
        .and_hms_opt(10, 0, 0)
        .map(|t| t.and_utc());
    let end = nth_sunday(year, 11, 1)
        .and_hms_opt(9, 0, 0)
        .map(|t| t.and_utc());
    match (start, end) {
        (Some(start), Some(end)) => at >= start && at < end,
        _ => false,
    }
}

fn nth_sunday(year: i32, month: u32, n: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let offset = (7 - first.weekday().num_days_from_sunday()) % 7;
    first + Duration::days(i64::from(offset + 7 * (n - 1)))
}

/// The Pacific UTC offset in hours at this instant (-7 or -8).
pub(crate) fn pacific_offset_hours(at: DateTime<Utc>) -> i64 {
    if pacific_dst(at) { -7 } else { -8 }
}

/// The Pacific calendar date of an instant.
pub(crate) fn pacific_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(pacific_offset_hours(at))).date_naive()
}

/// The UTC instant of Pacific midnight that starts this date.
pub(crate) fn pacific_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Try the standard offset first; if that instant is in DST, midnight is an hour earlier.
    let standard = Utc.from_utc_datetime(&(naive + Duration::hours(8)));
    if pacific_dst(standard - Duration::hours(1)) {
        standard - Duration::hours(1)
    } else {
        standard
    }
}

/// Meta's timestamp format: `2021-08-13T08:25:28+0000`.
pub(crate) fn meta_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

/// The format of Meta's expired-session message: `Thursday, 29-Jul-21 10:00:00 PDT`.
pub(crate) fn pacific_long(at: DateTime<Utc>) -> String {
    let dst = pacific_dst(at);
    let local = at + Duration::hours(pacific_offset_hours(at));
    format!(
        "{} {}",
        local.format("%A, %d-%b-%y %H:%M:%S"),
        if dst { "PDT" } else { "PST" }
    )
}

/// Monday = 0 ... Sunday = 6, in Pacific time.
pub(crate) fn pacific_weekday(at: DateTime<Utc>) -> usize {
    let local = at + Duration::hours(pacific_offset_hours(at));
    local.weekday().num_days_from_monday() as usize
}

/// Hour of day in Pacific time.
pub(crate) fn pacific_hour(at: DateTime<Utc>) -> usize {
    let local = at + Duration::hours(pacific_offset_hours(at));
    local.hour() as usize
}

/// Parses RFC 3339 (`2026-11-26T12:00:00Z`) or a bare date (midnight UTC).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacific_midnights_follow_daylight_saving() {
        let winter = NaiveDate::from_ymd_opt(2025, 12, 10).unwrap_or_default();
        assert_eq!(
            meta_time(pacific_midnight(winter)),
            "2025-12-10T08:00:00+0000"
        );
        let summer = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap_or_default();
        assert_eq!(
            meta_time(pacific_midnight(summer)),
            "2024-01-15T08:00:00+0000"
        );
        let july = NaiveDate::from_ymd_opt(2021, 7, 29).unwrap_or_default();
        assert_eq!(
            meta_time(pacific_midnight(july)),
            "2021-07-29T07:00:00+0000"
        );
        assert_eq!(pacific_date(pacific_midnight(july)), july);
    }

    #[test]
    fn expired_session_format_matches_meta() {
        let at = parse_instant("2021-07-29T17:00:00Z").unwrap_or_default();
        assert_eq!(pacific_long(at), "Thursday, 29-Jul-21 10:00:00 PDT");
    }
}

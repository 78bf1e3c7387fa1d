//! Report periods: calendar days in the user's time zone, and the matching instants.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use insightdesk_store::{DayRange, TimeRange};
use serde::Serialize;
use ts_rs::TS;

use crate::ReportError;

/// The longest period a report may cover (ten years of days).
pub const MAX_PERIOD_DAYS: i64 = 3660;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// Any run of days.
    Custom,
}

/// Days `first..=last` in the user's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
pub struct Period {
    pub kind: PeriodKind,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    /// The Monday-to-Sunday week that holds `day`.
    pub fn week_containing(day: NaiveDate) -> Self {
        let back = u64::from(day.weekday().num_days_from_monday());
        let first = day.checked_sub_days(Days::new(back)).unwrap_or(day);
        let last = first.checked_add_days(Days::new(6)).unwrap_or(first);
        Self {
            kind: PeriodKind::Week,
            first,
            last,
        }
    }

    /// The calendar month that holds `day`.
    pub fn month_containing(day: NaiveDate) -> Self {
        let first = day.with_day(1).unwrap_or(day);
        let last = first
            .checked_add_months(Months::new(1))
            .and_then(|next| next.pred_opt())
            .unwrap_or(first);
        Self {
            kind: PeriodKind::Month,
            first,
            last,
        }
    }

    /// Any run of days, both ends included (one day is fine).
    pub fn custom(first: NaiveDate, last: NaiveDate) -> Result<Self, ReportError> {
        if last < first {
            return Err(ReportError::PeriodReversed { first, last });
        }
        let days = (last - first).num_days() + 1;
        if days > MAX_PERIOD_DAYS {
            return Err(ReportError::PeriodTooLong {
                days,
                max_days: MAX_PERIOD_DAYS,
            });
        }
        Ok(Self {
            kind: PeriodKind::Custom,
            first,
            last,
        })
    }

    /// The last full week before the one `now` falls in, in `tz`.
    pub fn last_complete_week(now: DateTime<Utc>, tz: Tz) -> Self {
        let today = now.with_timezone(&tz).date_naive();
        let this_week = Self::week_containing(today);
        Self::week_containing(this_week.first.pred_opt().unwrap_or(this_week.first))
    }

    /// The last full calendar month before the one `now` falls in, in `tz`.
    pub fn last_complete_month(now: DateTime<Utc>, tz: Tz) -> Self {
        let today = now.with_timezone(&tz).date_naive();
        let this_month = Self::month_containing(today);
        Self::month_containing(this_month.first.pred_opt().unwrap_or(this_month.first))
    }

    /// The period compared with this one: the previous week, the previous month, or the same
    /// number of days just before a custom range.
    pub fn previous(&self) -> Self {
        let before = self.first.pred_opt().unwrap_or(self.first);
        match self.kind {
            PeriodKind::Week => Self::week_containing(before),
            PeriodKind::Month => Self::month_containing(before),
            PeriodKind::Custom => {
                let days = u64::from(self.days());
                Self {
                    kind: PeriodKind::Custom,
                    first: self
                        .first
                        .checked_sub_days(Days::new(days))
                        .unwrap_or(NaiveDate::MIN),
                    last: before,
                }
            }
        }
    }

    pub fn days(&self) -> u32 {
        u32::try_from((self.last - self.first).num_days() + 1).unwrap_or(0)
    }

    /// Every day of the period, in order.
    pub fn each_day(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        self.first.iter_days().take(self.days() as usize)
    }

    pub fn day_range(&self) -> DayRange {
        DayRange::new(self.first, self.last)
    }

    /// From local midnight at the start of `first` to local midnight after `last`.
    pub fn time_range(&self, tz: Tz) -> TimeRange {
        let after = self.last.succ_opt().unwrap_or(self.last);
        TimeRange::new(start_of_day(tz, self.first), start_of_day(tz, after))
    }

    /// A title for people: "Week 10 · 3–9 March 2025", "March 2025", "1 Jan 2025 – 31 Mar 2025".
    pub fn title(&self) -> String {
        match self.kind {
            PeriodKind::Week => format!(
                "Week {} · {}",
                self.first.iso_week().week(),
                day_span(self.first, self.last)
            ),
            PeriodKind::Month => self.first.format("%B %Y").to_string(),
            PeriodKind::Custom if self.first == self.last => {
                self.first.format("%-d %B %Y").to_string()
            }
            PeriodKind::Custom => day_span(self.first, self.last),
        }
    }
}

/// "3–9 March 2025", "24 February – 2 March 2025", "30 December 2024 – 5 January 2025".
pub fn day_span(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        first.format("%-d %B %Y").to_string()
    } else if first.year() != last.year() {
        format!(
            "{} – {}",
            first.format("%-d %B %Y"),
            last.format("%-d %B %Y")
        )
    } else if first.month() != last.month() {
        format!("{} – {}", first.format("%-d %B"), last.format("%-d %B %Y"))
    } else {
        format!("{}–{}", first.format("%-d"), last.format("%-d %B %Y"))
    }
}

/// The first instant of `day` in `tz`. Where a clock change skips midnight, the day starts
/// at the first hour that exists.
pub fn start_of_day(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    for hour in 0..24 {
        let Some(local) = day.and_hms_opt(hour, 0, 0) else {
            continue;
        };
        if let Some(at) = tz.from_local_datetime(&local).earliest() {
            return at.with_timezone(&Utc);
        }
    }
    // Unreachable for real zones (no zone skips a whole day's hours); fall back to UTC.
    day.and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_step_back_by_a_week() {
        let week = Period::week_containing(d("2025-03-06"));
        assert_eq!((week.first, week.last), (d("2025-03-03"), d("2025-03-09")));
        let previous = week.previous();
        assert_eq!(
            (previous.first, previous.last),
            (d("2025-02-24"), d("2025-03-02"))
        );
        assert_eq!(week.title(), "Week 10 · 3–9 March 2025");
        assert_eq!(previous.title(), "Week 9 · 24 February – 2 March 2025");
    }

    #[test]
    fn months_are_calendar_months_and_the_previous_one_has_its_own_length() {
        let march = Period::month_containing(d("2025-03-17"));
        assert_eq!(
            (march.first, march.last, march.days()),
            (d("2025-03-01"), d("2025-03-31"), 31)
        );
        let february = march.previous();
        assert_eq!(
            (february.first, february.last, february.days()),
            (d("2025-02-01"), d("2025-02-28"), 28)
        );
        assert_eq!(march.title(), "March 2025");
    }

    #[test]
    fn a_custom_range_is_compared_with_as_many_days_just_before() {
        let range = Period::custom(d("2025-03-10"), d("2025-03-19")).unwrap();
        let previous = range.previous();
        assert_eq!(
            (previous.first, previous.last),
            (d("2025-02-28"), d("2025-03-09"))
        );
        assert_eq!(range.title(), "10–19 March 2025");
        let one_day = Period::custom(d("2025-03-10"), d("2025-03-10")).unwrap();
        assert_eq!(one_day.previous().first, d("2025-03-09"));
        assert_eq!(one_day.title(), "10 March 2025");
    }

    #[test]
    fn reversed_and_huge_ranges_are_refused_with_sentences() {
        let reversed = Period::custom(d("2025-03-10"), d("2025-03-01")).unwrap_err();
        assert!(
            reversed
                .to_string()
                .starts_with("The report period ends on 2025-03-01")
        );
        let huge = Period::custom(d("2000-01-01"), d("2025-01-01")).unwrap_err();
        assert!(matches!(huge, ReportError::PeriodTooLong { .. }), "{huge}");
    }

    #[test]
    fn time_ranges_start_at_local_midnight_across_a_clock_change() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // The week of 24-30 March 2025 loses an hour on Sunday the 30th.
        let week = Period::week_containing(d("2025-03-26"));
        let range = week.time_range(tz);
        assert_eq!(range.start.to_rfc3339(), "2025-03-23T23:00:00+00:00");
        assert_eq!(range.end.to_rfc3339(), "2025-03-30T22:00:00+00:00");
        // America/Sao_Paulo skipped midnight on 4 November 2018: the day began at 01:00.
        let sao_paulo: Tz = "America/Sao_Paulo".parse().unwrap();
        assert_eq!(
            start_of_day(sao_paulo, d("2018-11-04")).to_rfc3339(),
            "2018-11-04T03:00:00+00:00"
        );
    }

    #[test]
    fn last_complete_periods_are_taken_in_the_users_zone() {
        let tz: Tz = "Pacific/Auckland".parse().unwrap();
        // Sunday 9 March 22:00 UTC is already Monday 10 March in Auckland.
        let now = DateTime::parse_from_rfc3339("2025-03-09T22:00:00Z")
            .unwrap()
            .to_utc();
        let week = Period::last_complete_week(now, tz);
        assert_eq!((week.first, week.last), (d("2025-03-03"), d("2025-03-09")));
        let month = Period::last_complete_month(now, tz);
        assert_eq!(
            (month.first, month.last),
            (d("2025-02-01"), d("2025-02-28"))
        );
    }
}

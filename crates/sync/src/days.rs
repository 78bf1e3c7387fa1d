//! Meta's days. Account insights count per Pacific-time day (a `day` value's `end_time` is the
//! Pacific midnight that ends it), so every since/until the sync sends starts and ends on a
//! Pacific midnight, and every value is filed under the Pacific date it describes.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;
use insightdesk_graph::MAX_INSIGHTS_SPAN;

/// The Pacific calendar date of an instant.
pub fn pacific_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Los_Angeles).date_naive()
}

/// The instant the Pacific date `day` begins.
pub fn pacific_midnight(day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match Los_Angeles.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // Midnight never falls in a DST gap in Los Angeles (the clocks jump at 02:00); were it
        // to, the first instant after the gap is the day's start.
        chrono::LocalResult::None => (naive + Duration::hours(1)).and_utc(),
    }
}

/// The day a time-series value describes: Meta stamps it with the midnight that ends it.
pub fn day_ending_at(end_time: DateTime<Utc>) -> NaiveDate {
    pacific_date(end_time - Duration::seconds(1))
}

/// A run of whole Pacific days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DaySpan {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DaySpan {
    pub fn one(day: NaiveDate) -> Self {
        Self {
            first: day,
            last: day,
        }
    }

    /// `since` and `until` of an insights request covering exactly these days.
    pub fn range(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            pacific_midnight(self.first),
            pacific_midnight(self.last + Duration::days(1)),
        )
    }

    pub fn days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

/// `first..=last` cut into spans of whole days, newest first, each at most `max_days` long and
/// never longer than Meta's 30 days (2 592 000 s) between since and until: a span across the
/// autumn clock change has an hour more than its days, so it gets a day less.
pub fn spans_newest_first(first: NaiveDate, last: NaiveDate, max_days: i64) -> Vec<DaySpan> {
    let mut spans = Vec::new();
    let max_days = max_days.clamp(1, 30);
    let mut end = last;
    while end >= first {
        let mut start = (end - Duration::days(max_days - 1)).max(first);
        while start < end && {
            let span = DaySpan {
                first: start,
                last: end,
            };
            let (since, until) = span.range();
            until - since > MAX_INSIGHTS_SPAN
        } {
            start += Duration::days(1);
        }
        spans.push(DaySpan {
            first: start,
            last: end,
        });
        end = start - Duration::days(1);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn pacific_days_follow_daylight_saving() {
        assert_eq!(
            pacific_midnight(day("2025-12-10")),
            at("2025-12-10T08:00:00Z")
        );
        assert_eq!(
            pacific_midnight(day("2025-07-10")),
            at("2025-07-10T07:00:00Z")
        );
        assert_eq!(pacific_date(at("2025-07-10T06:59:59Z")), day("2025-07-09"));
        assert_eq!(pacific_date(at("2025-07-10T07:00:00Z")), day("2025-07-10"));
        assert_eq!(day_ending_at(at("2025-07-11T07:00:00Z")), day("2025-07-10"));
        // The night the clocks go back: the day is 25 hours long.
        let (since, until) = DaySpan::one(day("2025-11-02")).range();
        assert_eq!(until - since, Duration::hours(25));
    }

    #[test]
    fn spans_cover_every_day_once_and_fit_metas_thirty_days() {
        let spans = spans_newest_first(day("2024-01-01"), day("2026-11-25"), 30);
        assert_eq!(spans[0].last, day("2026-11-25"));
        assert_eq!(spans.last().unwrap().first, day("2024-01-01"));
        for pair in spans.windows(2) {
            assert_eq!(pair[1].last + Duration::days(1), pair[0].first, "{pair:?}");
        }
        for (i, span) in spans.iter().enumerate() {
            let (since, until) = span.range();
            assert!(until - since <= MAX_INSIGHTS_SPAN, "{span:?}");
            let last = i + 1 == spans.len();
            assert!(last || span.days() >= 29, "{span:?}");
        }
        let total: i64 = spans.iter().map(DaySpan::days).sum();
        assert_eq!(
            total,
            (day("2026-11-25") - day("2024-01-01")).num_days() + 1
        );
        assert!(spans_newest_first(day("2024-01-02"), day("2024-01-01"), 30).is_empty());
        assert_eq!(
            spans_newest_first(day("2024-01-01"), day("2024-01-03"), 1).len(),
            3
        );
    }
}

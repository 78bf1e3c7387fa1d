//! How time is stored: instants as INTEGER unix seconds (UTC), calendar days as TEXT
//! `YYYY-MM-DD`. Integers keep the biggest tables small and make range scans plain integer
//! comparisons; ISO days sort as text and read well in a dump. Sub-second precision is dropped
//! on the way in (Meta's own timestamps are whole seconds).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

pub(crate) const DAY_FORMAT: &str = "%Y-%m-%d";

pub(crate) fn to_unix(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(crate) fn from_unix(column: usize, seconds: i64) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            Type::Integer,
            format!("{seconds} is not a representable unix time").into(),
        )
    })
}

pub(crate) fn day_text(day: NaiveDate) -> String {
    day.format(DAY_FORMAT).to_string()
}

pub(crate) fn parse_day(column: usize, text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, DAY_FORMAT)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(e)))
}

/// Column readers for rows, so every query converts time the same way.
pub(crate) trait TimeColumns {
    fn instant(&self, column: usize) -> rusqlite::Result<DateTime<Utc>>;
    fn opt_instant(&self, column: usize) -> rusqlite::Result<Option<DateTime<Utc>>>;
    fn day(&self, column: usize) -> rusqlite::Result<NaiveDate>;
}

impl TimeColumns for Row<'_> {
    fn instant(&self, column: usize) -> rusqlite::Result<DateTime<Utc>> {
        from_unix(column, self.get(column)?)
    }

    fn opt_instant(&self, column: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
        self.get::<_, Option<i64>>(column)?
            .map(|seconds| from_unix(column, seconds))
            .transpose()
    }

    fn day(&self, column: usize) -> rusqlite::Result<NaiveDate> {
        parse_day(column, &self.get::<_, String>(column)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_sort_as_text() {
        let early = NaiveDate::from_ymd_opt(2024, 2, 9).unwrap();
        let late = NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
        assert_eq!(day_text(early), "2024-02-09");
        assert_eq!(parse_day(0, "2024-02-09").unwrap(), early);
        assert!(day_text(early) < day_text(late));
    }

    #[test]
    fn instants_drop_subseconds() {
        let at = DateTime::parse_from_rfc3339("2025-04-21T10:00:00.750Z")
            .unwrap()
            .with_timezone(&Utc);
        let back = from_unix(0, to_unix(at)).unwrap();
        assert_eq!(back.to_rfc3339(), "2025-04-21T10:00:00+00:00");
    }
}

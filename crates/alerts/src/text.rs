//! Numbers and dates the way the alert sentences show them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// `48210.4` → `48,210`.
pub(crate) fn count(value: f64) -> String {
    let rounded = value.round().max(0.0) as u64;
    let digits = rounded.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `6.07` → `6.1`.
pub(crate) fn times(ratio: f64) -> String {
    format!("{ratio:.1}")
}

/// `3 Nov`, or `3 Nov 2025` when not in the year of `now`.
pub(crate) fn day(day: NaiveDate, now: DateTime<Utc>) -> String {
    if day.year() == now.year() {
        day.format("%-d %b").to_string()
    } else {
        day.format("%-d %b %Y").to_string()
    }
}

/// `3 Nov, 14:05 UTC` (stories: several go up in a day, so the time tells them apart).
pub(crate) fn moment(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format!("{}, {} UTC", day(at.date_naive(), now), at.format("%H:%M"))
}

/// Someone else's words, quoted and cut at 100 characters.
pub(crate) fn quote(text: &str) -> String {
    const LONGEST: usize = 100;
    let text = text.trim();
    match text.char_indices().nth(LONGEST) {
        Some((cut, _)) => format!("“{}…”", text[..cut].trim_end()),
        None => format!("“{text}”"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0.0), "0");
        assert_eq!(count(999.4), "999");
        assert_eq!(count(1000.0), "1,000");
        assert_eq!(count(48_210.0), "48,210");
        assert_eq!(count(1_234_567.0), "1,234,567");
    }

    #[test]
    fn long_quotes_are_cut_on_a_character() {
        let long = "é".repeat(150);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), 103);
        assert!(quoted.ends_with("…”"));
    }
}

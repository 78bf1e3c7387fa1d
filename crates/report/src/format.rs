//! How numbers read in the PDF and the text report (CSV and JSON keep plain numbers).

use crate::Measure;
use crate::analytics::Delta;
use crate::chart::Unit;
use crate::model::Kpi;

/// The minus sign typography uses, wider than a hyphen.
const MINUS: char = '\u{2212}';

/// A whole number with thousands separators: `12,345`.
pub fn count(value: f64) -> String {
    let rounded = value.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if rounded < 0.0 {
        out.push(MINUS);
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count, or a dash when it is unknown.
pub fn count_or_dash(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), count)
}

/// A fraction as a percentage: one decimal, two below 1 %. A dash when unknown.
pub fn percent(value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) => {
            let pct = v * 100.0;
            let text = if pct != 0.0 && pct.abs() < 1.0 {
                format!("{:.2}%", pct.abs())
            } else {
                format!("{:.1}%", pct.abs())
            };
            if pct < 0.0 && !text.trim_end_matches(['%', '0', '.']).is_empty() {
                format!("{MINUS}{text}")
            } else {
                text
            }
        }
    }
}

/// A signed whole-number change: `+30`, `−12`, `0`.
pub fn signed_count(change: f64) -> String {
    let rounded = change.round();
    if rounded > 0.0 {
        format!("+{}", count(rounded))
    } else {
        count(rounded)
    }
}

/// A signed relative change: `+11.1%`, `−4.0%`.
pub fn signed_percent(ratio: f64) -> String {
    let text = percent(Some(ratio));
    if ratio > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// A signed change of a rate in percentage points: `+0.5 pts`.
pub fn signed_points(change: f64) -> String {
    let points = change * 100.0;
    let text = format!("{:.1}", points.abs());
    if text == "0.0" {
        "0.0 pts".to_owned()
    } else if points > 0.0 {
        format!("+{text} pts")
    } else {
        format!("{MINUS}{text} pts")
    }
}

/// A local hour as a slot: `18:00–19:00`.
pub fn hour_span(hour: u32) -> String {
    format!("{:02}:00–{:02}:00", hour, hour + 1)
}

/// A short axis number: `950`, `12.5k`, `1.2M`.
pub fn compact(value: f64) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "\u{2212}" } else { "" };
    if abs >= 1_000_000.0 {
        format!("{sign}{}M", trim_zero(abs / 1_000_000.0))
    } else if abs >= 10_000.0 {
        format!("{sign}{}k", trim_zero(abs / 1000.0))
    } else {
        count(value)
    }
}

fn trim_zero(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// A KPI's value in its unit.
pub fn value(unit: Unit, value: Option<f64>) -> String {
    match unit {
        Unit::Rate => percent(value),
        _ => count_or_dash(value),
    }
}

/// A KPI's value as the report prints it: a change (follower change) carries its sign.
pub fn kpi_value(kpi: &Kpi) -> String {
    match (kpi.measure, kpi.delta.current) {
        (Measure::FollowerChange, Some(change)) => signed_count(change),
        _ => value(kpi.unit, kpi.delta.current),
    }
}

/// The previous period's value, printed like [`kpi_value`].
pub fn kpi_previous(kpi: &Kpi) -> String {
    match (kpi.measure, kpi.delta.previous) {
        (Measure::FollowerChange, Some(change)) => signed_count(change),
        _ => value(kpi.unit, kpi.delta.previous),
    }
}

/// A KPI's change against the previous period: `+40 (+4.0%)` for counts, `+0.5 pts` for
/// rates; `None` when either side is unknown.
pub fn change(unit: Unit, delta: &Delta) -> Option<String> {
    let change = delta.change?;
    Some(match unit {
        Unit::Rate => signed_points(change),
        _ => match delta.change_ratio {
            Some(ratio) => format!("{} ({})", signed_count(change), signed_percent(ratio)),
            None => signed_count(change),
        },
    })
}

/// [`change`] in fewer characters, for tight spots: `+10.5M (+1572%)`.
pub fn change_short(unit: Unit, delta: &Delta) -> Option<String> {
    let change = delta.change?;
    if unit == Unit::Rate {
        return Some(signed_points(change));
    }
    let sign = |v: f64| if v > 0.0 { "+" } else { "" };
    let number = format!("{}{}", sign(change), compact(change));
    Some(match delta.change_ratio {
        Some(ratio) => {
            let pct = format!("{:.0}%", (ratio * 100.0).abs());
            let pct = if ratio < 0.0 {
                format!("{MINUS}{pct}")
            } else {
                format!("+{pct}")
            };
            format!("{number} ({pct})")
        }
        None => number,
    })
}

/// The first line of a caption, cut to `max` characters with an ellipsis.
pub fn caption(text: Option<&str>, max: usize) -> String {
    let line = text
        .and_then(|t| t.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("");
    if line.is_empty() {
        return "(no caption)".to_owned();
    }
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// A local time for tables: `Mon 3 Mar, 09:00`.
pub fn local_time<T: chrono::TimeZone>(at: &chrono::DateTime<T>) -> String
where
    T::Offset: std::fmt::Display,
{
    at.format("%a %-d %b, %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_percentages_and_changes_read_well() {
        assert_eq!(count(1234567.4), "1,234,567");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(-1200.0), "−1,200");
        assert_eq!(percent(Some(0.0523)), "5.2%");
        assert_eq!(percent(Some(0.0042)), "0.42%");
        assert_eq!(percent(Some(0.0)), "0.0%");
        assert_eq!(percent(None), "—");
        assert_eq!(signed_count(30.0), "+30");
        assert_eq!(signed_count(-12.0), "−12");
        assert_eq!(signed_percent(0.1111), "+11.1%");
        assert_eq!(signed_percent(-0.04), "−4.0%");
        assert_eq!(signed_points(0.005), "+0.5 pts");
        assert_eq!(signed_points(-0.0001), "0.0 pts");
        assert_eq!(hour_span(23), "23:00–24:00");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(2_000_000.0), "2M");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(-12_500.0), "−12.5k");
        let big = crate::analytics::delta(Some(11_159_801.0), Some(667_344.0));
        assert_eq!(change_short(Unit::Count, &big).unwrap(), "+10.5M (+1572%)");
    }
}

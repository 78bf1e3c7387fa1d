//! "This post against the median of its type at the same age".
//!
//! Posts are read at roughly fixed ages (1 h, 6 h, 24 h, 3 d, ...) but never exactly at them,
//! so a post's value at age A is estimated from its own readings:
//!
//! 1. if it has readings on both sides of A (or at A), both within [A/2, 2A], the value is
//!    interpolated linearly between the last one at or before A and the first one at or after;
//! 2. otherwise its reading nearest to A counts if it is within A/10 of A;
//! 3. otherwise the post has no value at A and is left out of the median.
//!
//! The window keeps a curve read at 1 h and 30 d from claiming a value at 7 d.

/// A post's value at `age_seconds`, from its readings as (age in seconds, value) sorted by
/// age; see the module rules.
pub fn value_at_age(readings: &[(i64, f64)], age_seconds: i64) -> Option<f64> {
    let target = age_seconds;
    let after_index = readings.partition_point(|(age, _)| *age < target);
    let after = readings.get(after_index);
    let before = match after {
        Some((age, _)) if *age == target => after,
        _ => after_index.checked_sub(1).and_then(|i| readings.get(i)),
    };
    let in_window = |age: i64| age >= target / 2 && age <= target.saturating_mul(2);
    if let (Some(&(a_age, a_value)), Some(&(b_age, b_value))) = (before, after)
        && in_window(a_age)
        && in_window(b_age)
    {
        if b_age == a_age {
            return Some(b_value);
        }
        let share = (target - a_age) as f64 / (b_age - a_age) as f64;
        return Some(a_value + (b_value - a_value) * share);
    }
    let tolerance = target / 10;
    [before, after]
        .into_iter()
        .flatten()
        .filter(|(age, _)| (age - target).abs() <= tolerance)
        .min_by_key(|(age, _)| (age - target).abs())
        .map(|(_, value)| *value)
}

/// The median (mean of the two middle values for an even count).
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600;

    #[test]
    fn exact_reading_is_taken_as_is() {
        let readings = [(HOUR, 10.0), (6 * HOUR, 40.0), (24 * HOUR, 90.0)];
        assert_eq!(value_at_age(&readings, 6 * HOUR), Some(40.0));
    }

    #[test]
    fn between_two_readings_the_value_is_interpolated() {
        // 20 h and 28 h bracket 24 h, both within [12 h, 48 h].
        let readings = [(20 * HOUR, 100.0), (28 * HOUR, 140.0)];
        assert_eq!(value_at_age(&readings, 24 * HOUR), Some(120.0));
    }

    #[test]
    fn a_bracket_wider_than_the_window_is_not_used() {
        // 1 h and 30 d bracket 7 d, but 1 h is outside [3.5 d, 14 d].
        let readings = [(HOUR, 5.0), (30 * 24 * HOUR, 500.0)];
        assert_eq!(value_at_age(&readings, 7 * 24 * HOUR), None);
    }

    #[test]
    fn one_sided_reading_counts_only_within_a_tenth() {
        // A post 23 h old has its latest reading at 22 h: close enough to 24 h.
        assert_eq!(value_at_age(&[(22 * HOUR, 80.0)], 24 * HOUR), Some(80.0));
        // At 20 h it is not (tolerance 2.4 h).
        assert_eq!(value_at_age(&[(20 * HOUR, 80.0)], 24 * HOUR), None);
        // A reading slightly late, with nothing before it inside the window.
        assert_eq!(
            value_at_age(&[(HOUR, 1.0), (25 * HOUR, 99.0)], 24 * HOUR),
            Some(99.0)
        );
    }

    #[test]
    fn no_readings_no_value() {
        assert_eq!(value_at_age(&[], HOUR), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}

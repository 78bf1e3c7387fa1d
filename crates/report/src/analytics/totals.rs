//! A period's totals of account metrics from what the store holds: daily values and totals
//! Meta answered over windows of days. Counts (views, interactions) add up over disjoint days;
//! unique counts (reach, accounts engaged) only exist for a window that is exactly the period.

use std::collections::BTreeSet;
use ts_rs::TS;

use chrono::NaiveDate;
use insightdesk_store::{DailyValue, WindowValue};
use serde::Serialize;

use crate::Period;

/// A summable metric's total over a period and how many of its days it covers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct PeriodSum {
    /// `None` when no day of the period has a value.
    pub value: Option<f64>,
    pub days_covered: u32,
    pub days: u32,
}

/// Adds the period's daily values (breakdown cells ignored), then each window total that lies
/// wholly inside the period and covers none of the days already counted. A window that only
/// partly overlaps the period is left out: its total cannot be split into days.
pub fn period_sum(period: &Period, daily: &[DailyValue], windows: &[WindowValue]) -> PeriodSum {
    let inside = |day: NaiveDate| day >= period.first && day <= period.last;
    let mut covered: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut total = 0.0;
    for value in daily
        .iter()
        .filter(|v| v.breakdown_value.is_none() && inside(v.day))
    {
        if covered.insert(value.day) {
            total += value.value;
        }
    }
    let mut windows: Vec<&WindowValue> = windows
        .iter()
        .filter(|w| w.breakdown_value.is_none() && inside(w.first_day) && inside(w.last_day))
        .collect();
    windows.sort_by_key(|w| (w.first_day, w.last_day));
    for window in windows {
        let days: Vec<NaiveDate> = window
            .first_day
            .iter_days()
            .take_while(|d| *d <= window.last_day)
            .collect();
        if days.iter().all(|d| !covered.contains(d)) {
            covered.extend(days);
            total += window.value;
        }
    }
    PeriodSum {
        value: (!covered.is_empty()).then_some(total),
        days_covered: covered.len() as u32,
        days: period.days(),
    }
}

/// A unique count's total for exactly the period: the window whose first and last days are
/// the period's. Never a sum, never a neighbouring window.
pub fn period_unique(period: &Period, windows: &[WindowValue]) -> Option<f64> {
    windows
        .iter()
        .find(|w| {
            w.breakdown_value.is_none() && w.first_day == period.first && w.last_day == period.last
        })
        .map(|w| w.value)
}

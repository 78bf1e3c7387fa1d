//! Follower growth ([`crate::Measure::Followers`], [`crate::Measure::FollowerChange`],
//! [`crate::Measure::NewFollowers`]) from the daily snapshots and Meta's `follower_count`.

use std::collections::BTreeMap;
use ts_rs::TS;

use chrono::{Days, NaiveDate};
use insightdesk_store::{DailyValue, FollowersPoint};
use serde::Serialize;

use crate::Period;

/// How far before the period the baseline snapshot may be.
pub const BASELINE_DAYS: u64 = 31;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct FollowerDay {
    pub day: NaiveDate,
    /// The day's snapshot; `None` on days without one (never filled in).
    pub followers: Option<i64>,
    /// Meta's `follower_count` for the day: accounts that started following.
    pub new_followers: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FollowerGrowth {
    /// One entry per day of the period.
    pub days: Vec<FollowerDay>,
    /// The snapshot the change is measured from: the last in the [`BASELINE_DAYS`] before the
    /// period, else the first in it.
    pub baseline: Option<(NaiveDate, i64)>,
    /// The last snapshot in the period.
    pub end: Option<(NaiveDate, i64)>,
    /// `end - baseline`, when they are snapshots of two different days.
    pub net_change: Option<i64>,
    /// `net_change / baseline`.
    pub growth_rate: Option<f64>,
    /// The sum of `follower_count` over the days that have it.
    pub new_followers: Option<f64>,
    pub new_follower_days: u32,
    pub snapshot_days: u32,
}

/// `snapshots` may hold days before the period (the last of them is the baseline);
/// `new_followers` is Meta's daily `follower_count` series (values with a breakdown are
/// ignored).
pub fn follower_growth(
    period: &Period,
    snapshots: &[FollowersPoint],
    new_followers: &[DailyValue],
) -> FollowerGrowth {
    let by_day: BTreeMap<NaiveDate, i64> = snapshots
        .iter()
        .filter(|p| p.day <= period.last)
        .map(|p| (p.day, p.followers_count))
        .collect();
    let new_by_day: BTreeMap<NaiveDate, f64> = new_followers
        .iter()
        .filter(|v| v.breakdown_value.is_none() && v.day >= period.first && v.day <= period.last)
        .map(|v| (v.day, v.value))
        .collect();

    let in_period = || by_day.range(period.first..=period.last);
    let oldest = period
        .first
        .checked_sub_days(Days::new(BASELINE_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let before = by_day.range(oldest..period.first).next_back();
    let baseline = before
        .or_else(|| in_period().next())
        .map(|(day, count)| (*day, *count));
    let end = in_period().next_back().map(|(day, count)| (*day, *count));
    let net_change = match (baseline, end) {
        (Some((from_day, from)), Some((to_day, to))) if from_day != to_day => Some(to - from),
        _ => None,
    };
    let growth_rate = net_change
        .zip(baseline)
        .filter(|(_, (_, from))| *from > 0)
        .map(|(change, (_, from))| change as f64 / from as f64);

    FollowerGrowth {
        days: period
            .each_day()
            .map(|day| FollowerDay {
                day,
                followers: by_day.get(&day).copied(),
                new_followers: new_by_day.get(&day).copied(),
            })
            .collect(),
        baseline,
        end,
        net_change,
        growth_rate,
        new_followers: (!new_by_day.is_empty()).then(|| new_by_day.values().sum()),
        new_follower_days: new_by_day.len() as u32,
        snapshot_days: in_period().count() as u32,
    }
}

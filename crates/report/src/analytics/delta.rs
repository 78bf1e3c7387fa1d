//! Period-over-period change ([`crate::Measure::PeriodChange`]).

use serde::Serialize;
use ts_rs::TS;

/// A value of this period beside the previous period's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Delta {
    pub current: Option<f64>,
    pub previous: Option<f64>,
    /// `current - previous`, when both are known.
    pub change: Option<f64>,
    /// `change / |previous|`, when both are known and `previous` is not zero.
    pub change_ratio: Option<f64>,
}

pub fn delta(current: Option<f64>, previous: Option<f64>) -> Delta {
    let change = current.zip(previous).map(|(c, p)| c - p);
    let change_ratio = change
        .zip(previous)
        .filter(|(_, p)| *p != 0.0)
        .map(|(change, p)| change / p.abs());
    Delta {
        current,
        previous,
        change,
        change_ratio,
    }
}

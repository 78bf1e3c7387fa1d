//! Chart specs: every chart described once, in Rust. The UI draws a spec with uPlot (the
//! types derive `ts_rs::TS`); the PDF draws the same spec with plotters.

use serde::Serialize;
use ts_rs::TS;

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Line,
    Bar,
    Heatmap,
}

/// What the numbers of an axis or series are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Whole numbers of accounts, views, posts.
    Count,
    /// A fraction (0.05), shown as a percentage (5 %).
    Rate,
    /// Calendar days, labelled `YYYY-MM-DD`.
    Day,
    /// Names of categories (content kinds, ages, weekdays, hours).
    Category,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Axis {
    pub label: String,
    pub unit: Unit,
    /// Whether a value axis starts at zero. False only where a small change on a large
    /// number is the point (followers); the tick labels then show where the axis starts.
    pub from_zero: bool,
}

/// One line or set of bars; `values[i]` belongs to `x.labels[i]`. `null` is a gap (no
/// reading), never a zero.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Series {
    pub name: String,
    pub unit: Unit,
    pub values: Vec<Option<f64>>,
}

/// The x positions of a series chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct XValues {
    pub unit: Unit,
    /// ISO days for [`Unit::Day`], names otherwise.
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChartData {
    Series {
        x: XValues,
        series: Vec<Series>,
    },
    /// A heatmap: `values[row][column]` with the sample size of each cell in `counts`.
    Grid {
        rows: Vec<String>,
        columns: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
        counts: Vec<Vec<u32>>,
        unit: Unit,
        /// Cells with fewer samples are too few to compare: drawn pale, without the scale.
        min_count: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChartSpec {
    /// Stable id, e.g. `followers`, `daily_reach`.
    pub id: String,
    pub kind: ChartKind,
    pub title: String,
    /// One line under the title saying how to read the chart.
    pub subtitle: Option<String>,
    pub x_axis: Axis,
    pub y_axis: Axis,
    pub data: ChartData,
    /// Shown instead of the chart when there is nothing to draw.
    pub empty_message: Option<String>,
}

impl ChartSpec {
    /// True when no series value and no grid cell holds a number.
    pub fn is_empty(&self) -> bool {
        match &self.data {
            ChartData::Series { series, .. } => {
                series.iter().all(|s| s.values.iter().all(Option::is_none))
            }
            ChartData::Grid { values, .. } => values.iter().flatten().all(Option::is_none),
        }
    }

    /// Every text the chart prints: title, subtitle, axis labels, series names, categories.
    pub fn labels(&self) -> Vec<&str> {
        let mut labels = vec![
            self.title.as_str(),
            self.x_axis.label.as_str(),
            self.y_axis.label.as_str(),
        ];
        labels.extend(self.subtitle.as_deref());
        match &self.data {
            ChartData::Series { x, series } => {
                if x.unit == Unit::Category {
                    labels.extend(x.labels.iter().map(String::as_str));
                }
                labels.extend(series.iter().map(|s| s.name.as_str()));
            }
            ChartData::Grid { rows, .. } => labels.extend(rows.iter().map(String::as_str)),
        }
        labels
    }
}

//! Insightdesk's analytics and reports.
//!
//! * [`build_report`] reads one account's period from the store (in the user's time zone,
//!   with `now` passed in) into a [`Report`]: key numbers with changes against the previous
//!   period, follower growth, daily series, content mix, top posts, best time to post, stories,
//!   growth against the median, audience, notes, and the appendix on why figures can differ
//!   from Instagram's app. Every number's meaning is a [`Measure::definition`].
//! * The analytics themselves are pure functions over store rows, in [`analytics`].
//! * Charts are described once as [`chart::ChartSpec`]s (serializable, with TypeScript
//!   bindings through `ts-rs`): the UI draws them with uPlot, the PDF with plotters.
//! * A [`ReportTemplate`] picks the sections a PDF and its text hold: the full report, a
//!   one- to two-page summary, or a media kit for sponsors.
//! * Renderers: [`render_pdf`] / [`write_pdf`], [`render_text`], [`render_csv`] /
//!   [`write_csv_tables`], [`render_json`] / [`write_json`], and [`export_store`] for every
//!   store table as CSV (every account's, or one account's). Files are always written to a
//!   temporary file and renamed into place.

pub mod analytics;
mod cells;
pub mod chart;
pub mod charts;
mod csv;
mod error;
mod format;
mod json;
mod measure;
mod model;
mod output;
mod pdf;
mod period;
mod template;
mod text;

pub use csv::{
    CsvOptions, CsvTable, STORE_DAY_TIME_ZONE, export_store, neutralise, render_csv,
    write_csv_tables, write_posts_csv, write_report_table,
};
pub use error::ReportError;
/// A whole number as the reports write it, with thousands separators (`12,345`).
pub use format::count as format_count;
pub use json::{render_json, write_json, write_text};
pub use measure::{
    Definition, FOLLOWER_SNAPSHOT_MAX_AGE_DAYS, MIN_POSTS_PER_SLOT, Measure, definitions,
};
pub use model::*;
pub use pdf::{Paper, PdfOptions, render_pdf, write_pdf};
pub use period::{MAX_PERIOD_DAYS, Period, PeriodKind, day_span, start_of_day};
pub use template::ReportTemplate;
pub use text::render_text;

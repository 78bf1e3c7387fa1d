//! CSV: one file per table, RFC 4180 (CRLF, quotes doubled), UTF-8 with a byte-order mark by
//! default (Excel needs it to read UTF-8), ISO-8601 times with a `time_zone` column, dot
//! decimals and column names that do not change.
//!
//! Text that people wrote (captions, notes) is neutralised against formula injection: a cell
//! starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
//! spreadsheet shows it as text instead of running it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::SecondsFormat;
use insightdesk_store::{ExportTable, ExportValue, Store};
use serde::Serialize;

use crate::ReportError;
use crate::analytics::Post;
use crate::model::Report;
use crate::output::{self, Staged};

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start each file with a UTF-8 byte-order mark.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self { bom: true }
    }
}

impl CsvOptions {
    /// Without the byte-order mark, for tools that do not expect one.
    pub fn no_bom() -> Self {
        Self { bom: false }
    }
}

/// The tables of a report's CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvTable {
    /// Feed posts and reels with their metrics.
    Posts,
    /// The account's daily metrics and follower snapshots.
    Daily,
    Stories,
    Demographics,
}

impl CsvTable {
    pub const ALL: [CsvTable; 4] = [
        CsvTable::Posts,
        CsvTable::Daily,
        CsvTable::Stories,
        CsvTable::Demographics,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            CsvTable::Posts => "posts.csv",
            CsvTable::Daily => "daily.csv",
            CsvTable::Stories => "stories.csv",
            CsvTable::Demographics => "demographics.csv",
        }
    }
}

/// One cell to write.
enum Cell<'a> {
    /// Text someone typed: neutralised.
    Text(&'a str),
    /// Our own text: numbers, dates, Meta's codes.
    Plain(String),
    Empty,
}

/// Writes CSV rows (the header at creation).
pub(crate) struct CsvWriter<W: Write> {
    out: W,
}

impl<W: Write> CsvWriter<W> {
    fn new(mut out: W, header: &[&str], options: CsvOptions) -> io::Result<Self> {
        if options.bom {
            out.write_all(BOM)?;
        }
        let mut writer = Self { out };
        writer.row(header.iter().map(|h| Cell::Plain((*h).to_owned())))?;
        Ok(writer)
    }

    fn row<'a>(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) -> io::Result<()> {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            match cell {
                Cell::Text(text) => write_field(&mut self.out, &neutralise(text))?,
                Cell::Plain(text) => write_field(&mut self.out, &text)?,
                Cell::Empty => {}
            }
        }
        self.out.write_all(b"\r\n")
    }
}

/// Prefixes a cell a spreadsheet would read as a formula with `'`.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

fn write_field(out: &mut impl Write, text: &str) -> io::Result<()> {
    if text.contains([',', '"', '\r', '\n']) {
        out.write_all(b"\"")?;
        out.write_all(text.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(text.as_bytes())
    }
}

fn number(value: Option<f64>) -> Cell<'static> {
    value.map_or(Cell::Empty, |v| Cell::Plain(format!("{v}")))
}

fn integer(value: Option<i64>) -> Cell<'static> {
    value.map_or(Cell::Empty, |v| Cell::Plain(v.to_string()))
}

/// Rates to six decimals, trailing zeros dropped: `0.05`, `0.117647`.
fn rate(value: Option<f64>) -> Cell<'static> {
    value.map_or(Cell::Empty, |v| {
        let text = format!("{v:.6}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        Cell::Plain(if text.is_empty() || text == "-" {
            "0".to_owned()
        } else {
            text.to_owned()
        })
    })
}

fn plain(text: impl Into<String>) -> Cell<'static> {
    Cell::Plain(text.into())
}

const POST_COLUMNS: [&str; 19] = [
    "account",
    "ig_media_id",
    "posted_at",
    "time_zone",
    "content_type",
    "product_type",
    "media_type",
    "caption",
    "permalink",
    "reach",
    "views",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "followers_at_posting",
    "engagement_rate_by_reach",
    "engagement_rate_by_followers",
];

/// The posts table for any list of posts (stories are left out: they have their own table).
pub fn write_posts_csv(
    out: impl Write,
    account: &str,
    time_zone: &str,
    posts: &[Post],
    options: CsvOptions,
) -> io::Result<()> {
    let mut csv = CsvWriter::new(out, &POST_COLUMNS, options)?;
    for post in posts
        .iter()
        .filter(|p| p.content_type != crate::analytics::ContentType::Story)
    {
        let m = &post.metrics;
        csv.row([
            Cell::Text(account),
            plain(post.ig_media_id.clone()),
            plain(
                post.posted_local
                    .to_rfc3339_opts(SecondsFormat::Secs, false),
            ),
            plain(time_zone),
            plain(post.content_type.as_str()),
            plain(post.product_type.clone()),
            plain(post.media_type.clone()),
            post.caption.as_deref().map_or(Cell::Empty, Cell::Text),
            post.permalink.as_deref().map_or(Cell::Empty, Cell::Text),
            number(m.reach),
            number(m.views),
            number(m.likes),
            number(m.comments),
            number(m.saved),
            number(m.shares),
            number(m.total_interactions),
            integer(post.followers_at_posting),
            rate(post.engagement_rate_by_reach),
            rate(post.engagement_rate_by_followers),
        ])?;
    }
    Ok(())
}

fn write_daily(out: impl Write, report: &Report, options: CsvOptions) -> io::Result<()> {
    let mut csv = CsvWriter::new(
        out,
        &[
            "account",
            "day",
            "time_zone",
            "reach",
            "views",
            "accounts_engaged",
            "total_interactions",
            "likes",
            "comments",
            "saves",
            "shares",
            "new_followers",
            "followers",
        ],
        options,
    )?;
    for day in &report.daily {
        csv.row([
            Cell::Text(&report.account.username),
            plain(day.day.format("%Y-%m-%d").to_string()),
            plain(report.time_zone.clone()),
            number(day.reach),
            number(day.views),
            number(day.accounts_engaged),
            number(day.total_interactions),
            number(day.likes),
            number(day.comments),
            number(day.saves),
            number(day.shares),
            number(day.new_followers),
            integer(day.followers),
        ])?;
    }
    Ok(())
}

fn write_stories(out: impl Write, report: &Report, options: CsvOptions) -> io::Result<()> {
    let mut csv = CsvWriter::new(
        out,
        &[
            "account",
            "ig_media_id",
            "posted_at",
            "time_zone",
            "media_type",
            "capture_state",
            "views",
            "reach",
            "replies",
            "tap_forward",
            "tap_back",
            "tap_exit",
            "swipe_forward",
            "completion_rate",
        ],
        options,
    )?;
    for story in &report.stories.stories {
        let nav = story.navigation;
        csv.row([
            Cell::Text(&report.account.username),
            plain(story.ig_media_id.clone()),
            plain(
                story
                    .posted_local
                    .to_rfc3339_opts(SecondsFormat::Secs, false),
            ),
            plain(report.time_zone.clone()),
            plain(story.media_type.clone()),
            plain(story.capture),
            number(story.views),
            number(story.reach),
            number(story.replies),
            number(nav.map(|n| n.tap_forward)),
            number(nav.map(|n| n.tap_back)),
            number(nav.map(|n| n.tap_exit)),
            number(nav.map(|n| n.swipe_forward)),
            rate(story.completion),
        ])?;
    }
    Ok(())
}

fn write_demographics(out: impl Write, report: &Report, options: CsvOptions) -> io::Result<()> {
    let mut csv = CsvWriter::new(
        out,
        &[
            "account",
            "metric",
            "dimension",
            "snapshot_day",
            "time_zone",
            "bucket",
            "followers",
            "share",
        ],
        options,
    )?;
    for group in &report.demographics.groups {
        for bucket in &group.buckets {
            csv.row([
                Cell::Text(&report.account.username),
                plain("follower_demographics"),
                plain(group.dimension.clone()),
                plain(group.snapshot_day.format("%Y-%m-%d").to_string()),
                plain(report.time_zone.clone()),
                Cell::Text(&bucket.key),
                number(Some(bucket.value)),
                rate(Some(bucket.share)),
            ])?;
        }
    }
    Ok(())
}

/// Writes one of the report's tables as CSV.
pub fn write_report_table(
    out: impl Write,
    report: &Report,
    table: CsvTable,
    options: CsvOptions,
) -> io::Result<()> {
    match table {
        CsvTable::Posts => write_posts_csv(
            out,
            &report.account.username,
            &report.time_zone,
            &report.posts,
            options,
        ),
        CsvTable::Daily => write_daily(out, report, options),
        CsvTable::Stories => write_stories(out, report, options),
        CsvTable::Demographics => write_demographics(out, report, options),
    }
}

/// One of the report's tables as CSV bytes.
pub fn render_csv(report: &Report, table: CsvTable, options: CsvOptions) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_report_table(&mut bytes, report, table, options);
    bytes
}

/// Writes every table of the report into `folder` (created if needed) as `posts.csv`,
/// `daily.csv`, `stories.csv` and `demographics.csv`. Every file is complete before any
/// replaces an older one.
pub fn write_csv_tables(
    report: &Report,
    folder: &Path,
    options: CsvOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    output::ensure_folder(folder)?;
    let staged = CsvTable::ALL
        .into_iter()
        .map(|table| {
            let target = folder.join(table.file_name());
            output::stage(&target, |out| {
                write_report_table(out, report, table, options)
                    .map_err(|e| ReportError::cannot_write(&target, e))
            })
        })
        .collect::<Result<Vec<Staged>, ReportError>>()?;
    output::commit_all(staged)
}

/// The time zone the store's calendar days are cut in. Instagram counts account insights per
/// Pacific day, and the sync files every day it records (daily values, windows, follower and
/// demographic snapshots) under that Pacific date (`insightdesk_sync::days`), whatever time
/// zone the profile shows reports in.
pub const STORE_DAY_TIME_ZONE: &str = "America/Los_Angeles";

/// Exports every table of the store as `<table>.csv` into `folder` (created if needed), rows
/// streamed from one consistent read per table: every account's, or with `account` (an
/// Instagram id) only that account's. Instants are ISO-8601 UTC (`Z`); tables with calendar
/// days get a `time_zone` column after them ([`STORE_DAY_TIME_ZONE`]). Every file is complete
/// before any replaces an older one.
pub fn export_store(
    store: &Store,
    folder: &Path,
    account: Option<&str>,
    options: CsvOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    output::ensure_folder(folder)?;
    let staged = ExportTable::all()
        .iter()
        .map(|table| {
            let target = folder.join(format!("{}.csv", table.name));
            output::stage(&target, |out| {
                export_table(store, table, account, out, options, &target)
            })
        })
        .collect::<Result<Vec<Staged>, ReportError>>()?;
    output::commit_all(staged)
}

/// Where the `time_zone` column goes: after the table's last calendar-day column, if any.
fn time_zone_position(table: &ExportTable) -> Option<usize> {
    table
        .columns
        .iter()
        .rposition(|column| column.is_day())
        .map(|last_day| last_day + 1)
}

fn export_table(
    store: &Store,
    table: &ExportTable,
    account: Option<&str>,
    out: impl Write,
    options: CsvOptions,
    target: &Path,
) -> Result<(), ReportError> {
    let io = |e| ReportError::cannot_write(target, e);
    let zone_at = time_zone_position(table);
    let mut names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    if let Some(at) = zone_at {
        names.insert(at, "time_zone");
    }
    let mut csv = CsvWriter::new(out, &names, options).map_err(io)?;
    store.export_account_rows(table, account, |values| {
        let mut cells: Vec<Cell<'_>> = values
            .iter()
            .map(|value| match value {
                ExportValue::Null => Cell::Empty,
                ExportValue::Text(text) => Cell::Text(text),
                other => Cell::Plain(other.to_string()),
            })
            .collect();
        if let Some(at) = zone_at {
            cells.insert(at, plain(STORE_DAY_TIME_ZONE));
        }
        csv.row(cells).map_err(io)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: Vec<Cell<'_>>) -> String {
        let mut bytes = Vec::new();
        let mut writer = CsvWriter { out: &mut bytes };
        writer.row(cells).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(
            line(vec![
                Cell::Text("plain"),
                Cell::Text("a, b"),
                Cell::Text("say \"hi\""),
                Cell::Text("two\nlines"),
                Cell::Empty,
                Cell::Plain("-3".into()),
            ]),
            "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",,-3\r\n"
        );
    }

    #[test]
    fn formulas_in_people_text_are_neutralised() {
        for dangerous in ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(dangerous), format!("'{dangerous}"));
        }
        assert_eq!(neutralise("Spring sale"), "Spring sale");
        assert_eq!(neutralise("a=b"), "a=b");
        // A neutralised cell that needs quoting is quoted after the prefix.
        assert_eq!(
            line(vec![Cell::Text("=HYPERLINK(\"x\",\"y\")")]),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n"
        );
    }

    #[test]
    fn rates_have_six_decimals_at_most() {
        let text = |v| match rate(Some(v)) {
            Cell::Plain(t) => t,
            _ => unreachable!(),
        };
        assert_eq!(text(0.05), "0.05");
        assert_eq!(text(2.0 / 17.0), "0.117647");
        assert_eq!(text(0.0), "0");
        assert_eq!(text(1.0), "1");
    }
}

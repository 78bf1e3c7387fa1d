//! Reports: weekly, monthly or custom, previewed in the window and exported as PDF (the full
//! report, a summary or a media kit), CSV or JSON; the list of reports made before; the
//! scheduled weekly or monthly report; and the export of every table, of every account or
//! one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
pub use insightdesk_report::ReportTemplate;
use insightdesk_report::{
    CsvOptions, Paper, PdfOptions, Period, Report, ReportRequest, build_report, export_store,
    write_csv_tables, write_json, write_pdf,
};
use insightdesk_store::{AccountId, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::accounts::with_store;
use crate::dashboard::parse_day;
use crate::error::AppError;
use crate::info::NoArgs;
use crate::session::Session;
use crate::syncing::account_row;

const HISTORY_KEY: &str = "reports.history";
const LAST_SCHEDULED_KEY: &str = "reports.schedule.last_period";
/// How many made reports the list keeps.
const HISTORY_LENGTH: usize = 50;

/// Which days a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeriodChoice {
    /// The Monday-to-Sunday week containing `day`, or the last complete week.
    Week { day: Option<String> },
    /// The calendar month containing `day`, or the last complete month.
    Month { day: Option<String> },
    /// ISO days, both included.
    Custom { from: String, to: String },
}

impl PeriodChoice {
    pub fn resolve(&self, now: DateTime<Utc>, tz: Tz) -> Result<Period, AppError> {
        Ok(match self {
            PeriodChoice::Week { day: Some(day) } => Period::week_containing(parse_day(day)?),
            PeriodChoice::Week { day: None } => Period::last_complete_week(now, tz),
            PeriodChoice::Month { day: Some(day) } => Period::month_containing(parse_day(day)?),
            PeriodChoice::Month { day: None } => Period::last_complete_month(now, tz),
            PeriodChoice::Custom { from, to } => Period::custom(parse_day(from)?, parse_day(to)?)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Pdf,
    Csv,
    Json,
}

impl ReportFormat {
    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Pdf => "pdf",
            ReportFormat::Csv => "csv",
            ReportFormat::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ReportArgs {
    #[serde(default)]
    pub account: Option<String>,
    pub period: PeriodChoice,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExportArgs {
    #[serde(default)]
    pub account: Option<String>,
    pub period: PeriodChoice,
    pub format: ReportFormat,
    /// "a4" (default) or "letter".
    #[serde(default)]
    pub paper: Option<String>,
    /// Which PDF: the full report (default), the summary or the media kit. PDF only: CSV
    /// and JSON always hold every table and figure.
    #[serde(default)]
    pub template: Option<ReportTemplate>,
    /// CSV files without the UTF-8 byte-order mark (Excel needs it; some tools trip on it).
    #[serde(default)]
    pub no_bom: bool,
}

/// What [`App::export_everything`] writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllTablesArgs {
    /// Only this account's rows (its Instagram id); every account's when `None`.
    pub account: Option<String>,
    /// CSV files without the UTF-8 byte-order mark.
    pub no_bom: bool,
}

fn csv_options(no_bom: bool) -> CsvOptions {
    if no_bom {
        CsvOptions::no_bom()
    } else {
        CsvOptions::default()
    }
}

/// A report that was made: what, when and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReportRecord {
    pub made_at: String,
    pub account: String,
    pub title: String,
    pub format: ReportFormat,
    /// The template of a PDF; `None` for CSV and JSON.
    #[serde(default)]
    pub template: Option<ReportTemplate>,
    /// The file (PDF, JSON) or folder (CSV).
    pub path: String,
    /// "you" or "schedule".
    pub made_by: String,
}

/// Where a report goes when the caller names it.
pub enum Destination {
    /// A file (PDF, JSON) or a folder (CSV).
    Path(PathBuf),
    /// Ask the user with the host's save dialog.
    Ask,
}

fn paper(name: Option<&str>) -> Result<Paper, AppError> {
    match name.map(str::to_ascii_lowercase).as_deref() {
        None | Some("a4") => Ok(Paper::A4),
        Some("letter") => Ok(Paper::Letter),
        Some(other) => Err(AppError::InvalidInput(format!(
            "“{other}” is not a paper size; use A4 or Letter."
        ))),
    }
}

/// How a report is written, beyond its format.
#[derive(Debug, Clone, Copy, Default)]
struct WriteOptions {
    pdf: PdfOptions,
    csv: CsvOptions,
}

impl WriteOptions {
    /// The options `args` ask for, refusing those that do not fit its format.
    fn of(args: &ExportArgs) -> Result<Self, AppError> {
        let template = args.template.unwrap_or_default();
        if args.format != ReportFormat::Pdf && template != ReportTemplate::Full {
            return Err(AppError::InvalidInput(format!(
                "The {} is a PDF; CSV and JSON exports always hold every table and figure.",
                template.label().to_lowercase()
            )));
        }
        if args.format != ReportFormat::Csv && args.no_bom {
            return Err(AppError::InvalidInput(
                "Leaving out the byte-order mark applies to CSV files only.".into(),
            ));
        }
        Ok(Self {
            pdf: PdfOptions {
                paper: paper(args.paper.as_deref())?,
                template,
            },
            csv: csv_options(args.no_bom),
        })
    }

    /// The template to remember in the list of reports: a PDF's, nothing for other formats.
    fn template_of(&self, format: ReportFormat) -> Option<ReportTemplate> {
        (format == ReportFormat::Pdf).then_some(self.pdf.template)
    }
}

/// Writes a report in a format; returns the file (or, for CSV, the folder).
fn write_report(
    report: &Report,
    format: ReportFormat,
    options: WriteOptions,
    target: &Path,
) -> Result<PathBuf, AppError> {
    Ok(match format {
        ReportFormat::Pdf => write_pdf(report, target, &options.pdf)?,
        ReportFormat::Json => write_json(report, target)?,
        ReportFormat::Csv => {
            write_csv_tables(report, target, options.csv)?;
            target.to_path_buf()
        }
    })
}

fn suggested_name(report: &Report, format: ReportFormat) -> String {
    let base = file_stem(&report.account.username, &report.period_title);
    match format {
        ReportFormat::Csv => base,
        other => format!("{base}.{}", other.extension()),
    }
}

/// `insightdesk-{username}-{period}` as one file name. The username is Meta's answer, so it
/// is cleaned like the title: a CSV report's folder and a scheduled report are joined to a
/// folder without a dialog showing the name, and a `/` or `..` must not lead elsewhere.
fn file_stem(username: &str, period_title: &str) -> String {
    let clean = |text: &str, keep: &[char]| -> String {
        text.chars()
            .map(|c| {
                if c.is_alphanumeric() || keep.contains(&c) {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .trim_matches(['-', '.'])
            .to_owned()
    };
    format!(
        "insightdesk-{}-{}",
        clean(username, &['.', '_']),
        clean(period_title, &[])
    )
}

fn remember(store: &mut Store, record: ReportRecord) -> Result<(), AppError> {
    let mut history: Vec<ReportRecord> = store
        .setting(HISTORY_KEY)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    history.insert(0, record);
    history.truncate(HISTORY_LENGTH);
    let json = serde_json::to_string(&history)?;
    store.write(|b| b.set_setting(HISTORY_KEY, &json))?;
    Ok(())
}

impl App {
    /// The report model of a period (for the preview), from the store only.
    pub async fn report_model(
        &self,
        account: Option<String>,
        period: &PeriodChoice,
    ) -> Result<Report, AppError> {
        let session = self.session().await?;
        let ig_user_id = match account {
            Some(a) => a,
            None => self.active_account().await?,
        };
        let tz = self.time_zone().await?;
        let now = session.meta.now();
        let period = period.resolve(now, tz)?;
        with_store(&session, move |store| {
            let account = account_row(store, &ig_user_id)?;
            Ok(build_report(
                store,
                &ReportRequest::new(account, period, tz, now),
            )?)
        })
        .await
    }

    /// Asks Meta for the reach of exactly a report's period (and the one before) when the
    /// store lacks it: the command line's step before it writes a report. Returns how many
    /// totals were stored; a failure leaves the report to say "not available".
    pub async fn fetch_report_reach(
        &self,
        account: &str,
        period: &PeriodChoice,
    ) -> Result<usize, AppError> {
        let session = self.session().await?;
        let tz = self.time_zone().await?;
        let period = period.resolve(session.meta.now(), tz)?;
        self.fill_period_reach(&session, account, period, tz).await
    }

    /// Writes a report. With [`Destination::Ask`] the host's save dialog picks the place.
    pub async fn export_report(
        &self,
        args: ExportArgs,
        destination: Destination,
        made_by: &str,
    ) -> Result<ReportRecord, AppError> {
        let session = self.session().await?;
        let ig_user_id = match args.account.clone() {
            Some(a) => a,
            None => self.active_account().await?,
        };
        let tz = self.time_zone().await?;
        let now = session.meta.now();
        let period = args.period.resolve(now, tz)?;
        let options = WriteOptions::of(&args)?;
        // A report never waits on Meta: a period's reach (unique, so Meta's own total for
        // exactly that period) is read from the store. The sync keeps last week's and last
        // month's there, the preview asks in the background for any other period, and the
        // command line asks before it writes (`App::fetch_report_reach`); without it the
        // report says "not available" and why.
        let id = ig_user_id.clone();
        let report = with_store(&session, move |store| {
            let account = account_row(store, &id)?;
            Ok(build_report(
                store,
                &ReportRequest::new(account, period, tz, now),
            )?)
        })
        .await?;
        let target = match destination {
            Destination::Path(path) => path,
            Destination::Ask => {
                let host = Arc::clone(&self.host);
                let name = suggested_name(&report, args.format);
                let chosen = tokio::task::spawn_blocking(move || match args.format {
                    ReportFormat::Csv => host
                        .choose_folder("Choose a folder for the CSV files")
                        .map(|d| d.join(name)),
                    format => host.choose_save_path(&name, format.extension()),
                })
                .await?;
                chosen.ok_or(AppError::SaveCancelled)?
            }
        };
        let format = args.format;
        let title = format!("@{} — {}", report.account.username, report.period_title);
        let written =
            tokio::task::spawn_blocking(move || write_report(&report, format, options, &target))
                .await??;
        let record = ReportRecord {
            made_at: now.to_rfc3339(),
            account: ig_user_id,
            title,
            format,
            template: options.template_of(format),
            path: written.display().to_string(),
            made_by: made_by.to_owned(),
        };
        let kept = record.clone();
        with_store(&session, move |store| remember(store, kept)).await?;
        Ok(record)
    }

    pub async fn report_history(&self) -> Result<Vec<ReportRecord>, AppError> {
        let session = self.session().await?;
        let mut history: Vec<ReportRecord> = with_store(&session, |store| {
            Ok(store
                .setting(HISTORY_KEY)?
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default())
        })
        .await?;
        // PDFs listed before there were templates were all full reports.
        for record in &mut history {
            if record.format == ReportFormat::Pdf && record.template.is_none() {
                record.template = Some(ReportTemplate::Full);
            }
        }
        Ok(history)
    }

    /// Writes every table of the profile's store as CSV into `folder`: every account's rows,
    /// or those of `args.account` only.
    pub async fn export_everything(
        &self,
        folder: PathBuf,
        args: AllTablesArgs,
    ) -> Result<Vec<String>, AppError> {
        let session = self.session().await?;
        with_store(&session, move |store| {
            if let Some(ig_user_id) = &args.account {
                // An id the store does not know would give empty files: say so instead.
                account_row(store, ig_user_id)?;
            }
            Ok(export_store(
                store,
                &folder,
                args.account.as_deref(),
                csv_options(args.no_bom),
            )?
            .into_iter()
            .map(|p| p.display().to_string())
            .collect())
        })
        .await
    }

    /// After a sync: when a report is scheduled and its last week or month ended since the
    /// last one was written, writes it into the chosen folder.
    pub(crate) fn write_scheduled_report(
        &self,
        session: &Arc<Session>,
        store: &mut Store,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let Some(schedule) = store
            .setting("reports.schedule")?
            .and_then(|json| serde_json::from_str::<crate::settings::ReportSchedule>(&json).ok())
        else {
            return Ok(());
        };
        let tz: Tz = store
            .setting("ui.time_zone")?
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(crate::settings::system_time_zone);
        let period = match schedule.cadence.as_str() {
            "monthly" => Period::last_complete_month(now, tz),
            _ => Period::last_complete_week(now, tz),
        };
        let key = format!("{LAST_SCHEDULED_KEY}.{}", account.0);
        let stamp = format!("{}:{}", schedule.cadence, period.title());
        if store.setting(&key)?.as_deref() == Some(stamp.as_str()) {
            return Ok(());
        }
        let format = match schedule.format.as_str() {
            "csv" => ReportFormat::Csv,
            "json" => ReportFormat::Json,
            _ => ReportFormat::Pdf,
        };
        let report = build_report(store, &ReportRequest::new(account, period, tz, now))?;
        let target = Path::new(&schedule.folder).join(suggested_name(&report, format));
        let options = WriteOptions::default();
        let written = write_report(&report, format, options, &target)?;
        let record = ReportRecord {
            made_at: now.to_rfc3339(),
            account: report.account.ig_user_id.clone(),
            title: format!("@{} — {}", report.account.username, report.period_title),
            format,
            template: options.template_of(format),
            path: written.display().to_string(),
            made_by: "schedule".into(),
        };
        store.write(|b| b.set_setting(&key, &stamp))?;
        remember(store, record)?;
        log::info!("scheduled report written for {}", session.kind.name());
        self.host.notify(
            "Report ready",
            &format!(
                "Your {} report is in {}.",
                schedule.cadence, schedule.folder
            ),
        );
        Ok(())
    }
}

pub async fn report_preview(app: &Arc<App>, args: ReportArgs) -> Result<Report, AppError> {
    let report = app.report_model(args.account.clone(), &args.period).await?;
    // As the overview does: a period whose reach the store lacks is asked of Meta in the
    // background, and the window reloads when it arrives.
    let reach_missing = report.kpis.iter().any(|k| {
        k.measure == insightdesk_report::Measure::AccountReach
            && (k.delta.current.is_none() || k.delta.previous.is_none())
    });
    if reach_missing {
        let session = app.session().await?;
        let tz = app.time_zone().await?;
        let period = args.period.resolve(session.meta.now(), tz)?;
        app.fill_period_reach_later(report.account.ig_user_id.clone(), period, tz);
    }
    Ok(report)
}

pub async fn report_export(app: &App, args: ExportArgs) -> Result<ReportRecord, AppError> {
    app.export_report(args, Destination::Ask, "you").await
}

pub async fn report_history(app: &App, _args: NoArgs) -> Result<Vec<ReportRecord>, AppError> {
    app.report_history().await
}

pub async fn export_all(app: &App, _args: NoArgs) -> Result<Vec<String>, AppError> {
    let host = Arc::clone(app.host());
    let folder = tokio::task::spawn_blocking(move || {
        host.choose_folder("Choose a folder for every table as CSV")
    })
    .await?
    .ok_or(AppError::SaveCancelled)?;
    app.export_everything(folder, AllTablesArgs::default())
        .await
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn a_report_file_name_stays_one_name_in_the_chosen_folder() {
        assert_eq!(
            file_stem("maya.okafor_", "Week of 16 Nov 2026"),
            "insightdesk-maya.okafor_-Week-of-16-Nov-2026"
        );
        for hostile in [
            "../../.config/autostart/x",
            "..",
            "a/b",
            "a\\..\\b",
            "/etc/passwd",
        ] {
            let stem = file_stem(hostile, "November 2026");
            assert!(!stem.contains('/') && !stem.contains('\\'), "{stem}");
            let folder = std::path::Path::new("/reports");
            assert_eq!(folder.join(&stem).parent(), Some(folder), "{stem}");
        }
    }
}

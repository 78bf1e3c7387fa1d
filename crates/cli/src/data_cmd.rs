//! `sync`, `report`, `export`: the engine headless, for cron and scripts.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use insightdesk_app::reports::{
    AllTablesArgs, Destination, ExportArgs, PeriodChoice, ReportFormat, ReportTemplate,
};
use insightdesk_app::syncing::SyncSummary;
use insightdesk_app::{App, AppError};

use crate::terminal::TerminalHost;

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The Instagram account id to sync (default: the account on screen in the app).
    #[arg(long, value_name = "ID", conflicts_with = "all")]
    account: Option<String>,
    /// Sync every connected account.
    #[arg(long)]
    all: bool,
    /// Print the run's report as JSON (http_requests, counted_calls, media_seen, media_new,
    /// rows_written, duration_ms, warnings) instead of sentences.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PeriodArg {
    Week,
    Month,
    Custom,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Pdf,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TemplateArg {
    /// Everything: key numbers, charts, top posts, best time, stories, audience, your notes,
    /// and why figures can differ from Instagram's app.
    Full,
    /// One or two pages: the key numbers with their changes, followers and reach, the top 5
    /// posts.
    Summary,
    /// A media kit for sponsors: audience size and demographics, reach and engagement rates,
    /// the best posts; no comparisons and none of your notes.
    Brand,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The Instagram account id (default: the account on screen in the app).
    #[arg(long, value_name = "ID")]
    account: Option<String>,
    /// week: Monday to Sunday; month: a calendar month; custom: --from and --to. Without
    /// --from, the last complete week or month in your time zone.
    #[arg(long, value_enum)]
    period: PeriodArg,
    /// First day (YYYY-MM-DD); for week/month, any day inside it.
    #[arg(long, value_name = "D")]
    from: Option<String>,
    /// Last day (YYYY-MM-DD), for custom.
    #[arg(long, value_name = "D")]
    to: Option<String>,
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The file to write (pdf, json) or the folder for the CSV files.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Paper size of the PDF: a4 or letter.
    #[arg(long, default_value = "a4")]
    paper: String,
    /// Which PDF to write (with --format pdf).
    #[arg(long, value_enum, default_value = "full")]
    template: TemplateArg,
    /// CSV files without the UTF-8 byte-order mark, for tools that do not expect one (with
    /// --format csv; Excel needs the mark to read accents right).
    #[arg(long)]
    no_bom: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgsCli {
    /// Only this Instagram account's rows (default: every account's). Settings, which list
    /// every account's reports, are left out then.
    #[arg(long, value_name = "ID")]
    account: Option<String>,
    /// The folder to write one CSV file per table into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// CSV files without the UTF-8 byte-order mark, for tools that do not expect one (Excel
    /// needs the mark to read accents right).
    #[arg(long)]
    no_bom: bool,
}

fn print_summary(summary: &SyncSummary) {
    println!("{}: {}", summary.account, summary.sentence());
    for warning in &summary.warnings {
        println!("  warning: {warning}");
    }
    if summary.new_comments + summary.new_mentions > 0 {
        println!(
            "  {} new comment(s), {} new mention(s)",
            summary.new_comments, summary.new_mentions
        );
    }
}

pub async fn sync(app: &App, host: &TerminalHost, args: SyncArgs) -> Result<(), AppError> {
    host.quiet.store(args.json, Ordering::Relaxed);
    let results = if args.all {
        app.sync_all("cli").await
    } else {
        let account = match args.account {
            Some(account) => account,
            None => app.active_account().await?,
        };
        let result = app.sync_account(&account, "cli").await;
        vec![(account, result)]
    };
    let mut first_error = None;
    let mut reports = Vec::new();
    for (account, result) in results {
        match result {
            Ok(summary) => {
                if !args.json {
                    print_summary(&summary);
                }
                reports.push(summary);
            }
            Err(error) => {
                eprintln!("{account}: {error}");
                first_error.get_or_insert(error);
            }
        }
    }
    if args.json {
        let text = if args.all {
            serde_json::to_string_pretty(&reports)?
        } else {
            match reports.first() {
                Some(report) => serde_json::to_string_pretty(report)?,
                None => String::new(),
            }
        };
        if !text.is_empty() {
            println!("{text}");
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// With --demo on a fresh machine the history is empty: read it once first.
pub async fn sync_if_never_synced(app: &App, account: &str) -> Result<(), AppError> {
    let status = app.sync_status(Some(account.to_owned())).await?;
    if status.data_as_of.is_none() {
        eprintln!("No history yet for this account: syncing it first.");
        app.sync_account(account, "cli").await?;
    }
    Ok(())
}

pub async fn report(app: &App, args: ReportArgs, demo: bool) -> Result<(), AppError> {
    let period = match args.period {
        PeriodArg::Week => PeriodChoice::Week { day: args.from },
        PeriodArg::Month => PeriodChoice::Month { day: args.from },
        PeriodArg::Custom => match (args.from, args.to) {
            (Some(from), Some(to)) => PeriodChoice::Custom { from, to },
            _ => {
                return Err(AppError::InvalidInput(
                    "--period custom needs --from D and --to D (YYYY-MM-DD).".into(),
                ));
            }
        },
    };
    let format = match args.format {
        FormatArg::Pdf => ReportFormat::Pdf,
        FormatArg::Csv => ReportFormat::Csv,
        FormatArg::Json => ReportFormat::Json,
    };
    let template = match args.template {
        TemplateArg::Full => ReportTemplate::Full,
        TemplateArg::Summary => ReportTemplate::Summary,
        TemplateArg::Brand => ReportTemplate::Brand,
    };
    let account = match args.account {
        Some(account) => account,
        None => app.active_account().await?,
    };
    if demo {
        sync_if_never_synced(app, &account).await?;
    }
    // Reach is unique: a period's total is Meta's own for exactly that period, asked now if
    // the history lacks it (a command may wait on Meta; a screen never does).
    if let Err(error) = app.fetch_report_reach(&account, &period).await {
        log::info!("the period's reach could not be fetched: {error}");
    }
    let record = app
        .export_report(
            ExportArgs {
                account: Some(account),
                period,
                format,
                paper: Some(args.paper),
                template: Some(template),
                no_bom: args.no_bom,
            },
            Destination::Path(args.out),
            "cli",
        )
        .await?;
    println!("Wrote {} ({})", record.path, record.title);
    Ok(())
}

pub async fn export(app: &App, args: ExportArgsCli, demo: bool) -> Result<(), AppError> {
    if demo {
        let account = match &args.account {
            Some(account) => account.clone(),
            None => app.active_account().await?,
        };
        sync_if_never_synced(app, &account).await?;
    }
    let files = app
        .export_everything(
            args.out,
            AllTablesArgs {
                account: args.account,
                no_bom: args.no_bom,
            },
        )
        .await?;
    for file in &files {
        println!("{file}");
    }
    eprintln!("Exported {} table(s).", files.len());
    Ok(())
}

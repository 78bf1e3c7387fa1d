//! `insightdesk`: the command line over the application layer (`insightdesk-app`). The same
//! engine as the desktop app, for headless servers and scheduled runs; no GUI libraries.

mod accounts_cmd;
mod data_cmd;
mod logger;
mod sandbox_cmd;
mod terminal;
mod webhooks_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use insightdesk_app::{App, AppConfig, AppError, ConfigOptions, ProfileKind};

#[derive(Debug, Parser)]
#[command(
    name = "insightdesk",
    version,
    about = "Insightdesk: your Instagram insights, kept on your own computer",
    long_about = "Insightdesk signs in with Meta, pulls Instagram account, post, reel and story insights and keeps every reading in a local history.\n\nWith --demo every command works on a simulated creator, with no Meta account."
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct GlobalArgs {
    /// Where profiles and logs live (default: $XDG_DATA_HOME/insightdesk).
    #[arg(long, global = true, value_name = "DIR", env = "INSIGHTDESK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Use the demo profile: a simulated Meta runs inside the command, with its demo creator.
    #[arg(long, global = true)]
    demo: bool,
    /// Talk to the simulated Meta of `insightdesk sandbox` at URL instead of Meta.
    #[arg(long, global = true, value_name = "URL")]
    meta_base: Option<String>,
    /// The Graph API version, e.g. v26.0 (default: the newest live one).
    #[arg(long, global = true, value_name = "vNN.0")]
    api_version: Option<String>,
    /// Where tokens are kept: the OS keyring, or an encrypted file whose key is in
    /// INSIGHTDESK_VAULT_KEY (for headless servers).
    #[arg(long, global = true, value_name = "keyring|file")]
    vault: Option<String>,
    /// The port on this computer that Meta sends the browser back to after signing in with
    /// your own Meta app, from 1024 to 65535 (default 47813; also INSIGHTDESK_LOGIN_PORT).
    /// Register http://localhost:N/callback for it in your Meta app.
    #[arg(long, global = true, value_name = "N", value_parser = insightdesk_app::config::parse_login_port)]
    login_port: Option<u16>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the simulated Meta platform (OAuth and Instagram Graph API) on 127.0.0.1.
    ///
    /// Prints its base URL on the first line and, on the second, a JSON object with the demo
    /// app's ids and secrets, the demo creator's account ids and long-lived tokens. Then serves
    /// until Ctrl-C or SIGTERM.
    Sandbox(sandbox_cmd::SandboxArgs),
    /// Connect Instagram accounts: sign in with Meta in the browser, or adopt a pasted token.
    Login(accounts_cmd::LoginArgs),
    /// List the connected accounts.
    Accounts(accounts_cmd::AccountsArgs),
    /// Sign out: revoke the grant at Meta and delete the tokens (the history stays).
    Logout(accounts_cmd::LogoutArgs),
    /// Read what is due from Instagram into the local history (for cron: hourly catches every
    /// story before it vanishes).
    Sync(data_cmd::SyncArgs),
    /// Write a weekly, monthly or custom report as PDF, CSV or JSON.
    Report(data_cmd::ReportArgs),
    /// Write every table of the local history as CSV files into a folder.
    Export(data_cmd::ExportArgsCli),
    /// Meta webhooks for a server: receive deliveries, subscribe accounts, list subscriptions.
    #[command(subcommand)]
    Webhooks(webhooks_cmd::WebhooksCommand),
}

fn main() -> ExitCode {
    logger::install();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sandbox(args) => sandbox_cmd::run(args),
        command => run_with_app(&cli.global, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("insightdesk: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the app from the global flags and runs a command that needs it.
fn run_with_app(global: &GlobalArgs, command: Command) -> Result<(), String> {
    let options = ConfigOptions {
        data_dir: global.data_dir.clone(),
        meta_base: global.meta_base.clone(),
        api_version: global.api_version.clone(),
        vault: global.vault.clone(),
    };
    let mut config = AppConfig::from_options(
        &options,
        &|name| std::env::var(name).ok(),
        insightdesk_app::paths::platform_data_dir(),
    )?;
    // The flag wins over INSIGHTDESK_LOGIN_PORT, which `from_options` read for both binaries.
    if let Some(port) = global.login_port {
        config.loopback_port = port;
    }
    config.data_dir.ensure_exists().map_err(|e| e.to_string())?;
    insightdesk_app::crash::install(config.data_dir.path().join("logs"), "insightdesk");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the runtime: {e}"))?;
    let demo = global.demo;
    runtime.block_on(async move {
        let host = std::sync::Arc::new(terminal::TerminalHost::default());
        let app = std::sync::Arc::new(App::new(config, host.clone()));
        open(&app, demo).await.map_err(|e| e.to_string())?;
        insightdesk_app::crash::crash_if_asked();
        let result = match command {
            Command::Login(args) => accounts_cmd::login(&app, &host, args).await,
            Command::Accounts(args) => accounts_cmd::accounts(&app, args).await,
            Command::Logout(args) => accounts_cmd::logout(&app, args).await,
            Command::Sync(args) => data_cmd::sync(&app, &host, args).await,
            Command::Report(args) => data_cmd::report(&app, args, demo).await,
            Command::Export(args) => data_cmd::export(&app, args, demo).await,
            Command::Webhooks(command) => webhooks_cmd::run(&app, command).await,
            Command::Sandbox(_) => Ok(()),
        };
        result.map_err(|e| e.to_string())
    })
}

/// Opens the profile the flags ask for; the demo signs its creator in on first use.
async fn open(app: &std::sync::Arc<App>, demo: bool) -> Result<(), AppError> {
    if demo {
        app.explore_demo().await?;
    } else {
        app.open_profile(ProfileKind::Main).await?;
    }
    Ok(())
}

//! `login`, `accounts`, `logout`.

use std::io::{BufRead, Read};

use insightdesk_app::App;
use insightdesk_app::AppError;
use insightdesk_app::accounts::{AccountView, OwnAppArgs, Provider, SignInHealth};
use insightdesk_secret::Sensitive;

use crate::terminal::TerminalHost;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ProviderArg {
    Facebook,
    Instagram,
}

impl From<ProviderArg> for Provider {
    fn from(p: ProviderArg) -> Self {
        match p {
            ProviderArg::Facebook => Provider::Facebook,
            ProviderArg::Instagram => Provider::Instagram,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// Which of Meta's sign-ins: Facebook Login (needs a Facebook Page) or Instagram Login.
    #[arg(long, value_enum, default_value = "facebook")]
    provider: ProviderArg,
    /// Print the sign-in address instead of opening the browser.
    #[arg(long)]
    no_browser: bool,
    /// Adopt a long-lived token instead of signing in; `-` reads it from standard input
    /// (e.g. from Meta's Graph API Explorer). It is checked with debug_token like a sign-in.
    #[arg(long, value_name = "-")]
    token: Option<String>,
    /// Your Meta app's App ID (the Instagram App ID for Instagram Login), saved for next time.
    #[arg(long, value_name = "ID")]
    app_id: Option<String>,
    /// Read your Meta app's App Secret from standard input (`-`); it goes to the vault.
    #[arg(long, value_name = "-", requires = "app_id")]
    app_secret: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct AccountsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct LogoutArgs {
    /// The Instagram account id to sign out (default: every account of the profile).
    #[arg(long, value_name = "ID")]
    account: Option<String>,
}

/// Reads one secret line from standard input; refuses anything but `-` so a secret never
/// sits in the shell's history or the process list.
fn read_stdin_secret(flag: &str, value: &str) -> Result<Sensitive<String>, AppError> {
    if value != "-" {
        return Err(AppError::InvalidInput(format!(
            "{flag} takes `-` and reads the value from standard input, so it never shows in your shell history."
        )));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        AppError::InvalidInput(format!("could not read {flag} from standard input: {e}"))
    })?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        // A pipe with the value on several lines, or nothing at all.
        let mut rest = String::new();
        let _ = std::io::stdin().read_to_string(&mut rest);
        if rest.trim().is_empty() {
            return Err(AppError::InvalidInput(format!(
                "{flag}: standard input was empty."
            )));
        }
        return Ok(Sensitive::new(rest.trim().to_owned()));
    }
    Ok(Sensitive::new(line))
}

pub async fn login(app: &App, host: &TerminalHost, args: LoginArgs) -> Result<(), AppError> {
    let provider = Provider::from(args.provider);
    if let (Some(app_id), Some(secret)) = (&args.app_id, &args.app_secret) {
        let secret = read_stdin_secret("--app-secret", secret)?;
        app.save_own_app(OwnAppArgs {
            provider,
            app_id: app_id.clone(),
            app_secret: secret.expose().clone(),
        })
        .await?;
        println!("Saved your Meta app (App ID {app_id}); its secret is in the vault.");
    }
    host.print_sign_in_page
        .store(args.no_browser, std::sync::atomic::Ordering::Relaxed);
    let result = match &args.token {
        Some(token) => {
            let token = read_stdin_secret("--token", token)?;
            app.adopt_pasted_token(provider, token).await?
        }
        None => {
            let state = app.session_state().await?;
            println!(
                "Waiting for Meta (the redirect URI to register in your app is {}).",
                state.redirect_uri
            );
            app.sign_in(provider).await?
        }
    };
    for account in &result.accounts {
        println!("Connected {}", describe(account));
    }
    for note in &result.notes {
        println!("note: {note}");
    }
    Ok(())
}

pub async fn accounts(app: &App, args: AccountsArgs) -> Result<(), AppError> {
    let state = app.session_state().await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&state.accounts)?);
        return Ok(());
    }
    if state.accounts.is_empty() {
        println!(
            "No account is connected. Run `insightdesk login`, or try `insightdesk --demo accounts`."
        );
        return Ok(());
    }
    for account in &state.accounts {
        let marker = if state.active_account.as_deref() == Some(account.id.as_str()) {
            "*"
        } else {
            " "
        };
        println!("{marker} {}", describe(account));
    }
    Ok(())
}

pub async fn logout(app: &App, args: LogoutArgs) -> Result<(), AppError> {
    let before = app.session_state().await?.accounts.len();
    let after = app.sign_out(args.account.as_deref()).await?.accounts.len();
    println!(
        "Signed out {} account(s); the history stays on this computer.",
        before.saturating_sub(after)
    );
    Ok(())
}

fn describe(account: &AccountView) -> String {
    let name = account
        .username
        .as_deref()
        .map(|u| format!("@{u}"))
        .unwrap_or_else(|| account.id.clone());
    let provider = match account.provider {
        Provider::Facebook => "Facebook Login",
        Provider::Instagram => "Instagram Login",
    };
    let page = account
        .page_name
        .as_deref()
        .map(|p| format!(", Page “{p}”"))
        .unwrap_or_default();
    let health = match &account.health {
        SignInHealth::Fine | SignInHealth::RefreshDue => String::new(),
        SignInHealth::ExpiresSoon { days } => format!(" — sign-in ends in {days} day(s)"),
        SignInHealth::Expired => " — sign-in expired: run `insightdesk login`".into(),
    };
    format!("{name} (id {}, {provider}{page}){health}", account.id)
}

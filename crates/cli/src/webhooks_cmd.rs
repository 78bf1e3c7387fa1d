//! `webhooks serve|subscribe|list`: Meta's webhooks for people who run a server.

use std::net::{IpAddr, SocketAddr};

use insightdesk_app::{App, AppError};
use insightdesk_secret::Sensitive;

#[derive(Debug, clap::Subcommand)]
pub enum WebhooksCommand {
    /// Receive Meta's webhook deliveries (comments, mentions, story insights) into the local
    /// history. Every delivery's X-Hub-Signature-256 must match the secret of one of your
    /// Meta apps (the Facebook Login and Instagram Login apps saved with `login --app-id`, and
    /// INSIGHTDESK_APP_SECRET); put it behind an HTTPS reverse proxy.
    Serve {
        /// The port to listen on.
        #[arg(long)]
        port: u16,
        /// The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// The verify token you typed into the App Dashboard's webhook form.
        #[arg(
            long,
            value_name = "T",
            env = "INSIGHTDESK_VERIFY_TOKEN",
            hide_env_values = true
        )]
        verify_token: String,
    },
    /// Subscribe an account (its Page with Facebook Login, the account with Instagram Login)
    /// to comments, mentions and story insights.
    Subscribe {
        /// The Instagram account id (default: the account on screen in the app).
        #[arg(long, value_name = "ID")]
        account: Option<String>,
    },
    /// Show what an account is subscribed to.
    List {
        #[arg(long, value_name = "ID")]
        account: Option<String>,
    },
}

async fn account_or_active(app: &App, account: Option<String>) -> Result<String, AppError> {
    match account {
        Some(account) => Ok(account),
        None => app.active_account().await,
    }
}

pub async fn run(app: &App, command: WebhooksCommand) -> Result<(), AppError> {
    match command {
        WebhooksCommand::Serve {
            port,
            bind,
            verify_token,
        } => {
            if verify_token.trim().len() < 8 {
                return Err(AppError::InvalidInput(
                    "Choose a verify token of at least 8 characters.".into(),
                ));
            }
            let secret = std::env::var("INSIGHTDESK_APP_SECRET")
                .ok()
                .filter(|s| !s.is_empty())
                .map(Sensitive::new);
            let address = SocketAddr::new(bind, port);
            eprintln!("Receiving Meta webhooks on http://{address}/ (Ctrl-C to stop).");
            let stats = app
                .serve_webhooks(
                    address,
                    Sensitive::new(verify_token),
                    secret,
                    crate::sandbox_cmd::wait_for_stop(),
                )
                .await?;
            eprintln!("Stopped: {stats:?}");
            Ok(())
        }
        WebhooksCommand::Subscribe { account } => {
            let account = account_or_active(app, account).await?;
            let view = app.subscribe_webhooks(&account).await?;
            println!("Subscribed {account}'s {}:", view.object);
            for (app_id, fields) in view.apps {
                println!("  app {app_id}: {}", fields.join(", "));
            }
            Ok(())
        }
        WebhooksCommand::List { account } => {
            let account = account_or_active(app, account).await?;
            let view = app.webhook_subscriptions(&account).await?;
            if view.apps.is_empty() {
                println!("{account}'s {} has no webhook subscriptions.", view.object);
            }
            for (app_id, fields) in view.apps {
                println!("app {app_id}: {}", fields.join(", "));
            }
            Ok(())
        }
    }
}

//! `insightdesk-broker`: serves the token broker configured by environment variables (see
//! README.md) until SIGINT or SIGTERM.

use std::io::Write;

/// Logs to stderr, one line per record; the level comes from `INSIGHTDESK_BROKER_LOG`
/// (error, warn, info, debug; default info).
struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let _ = writeln!(
                std::io::stderr(),
                "{} {:<5} {} {}",
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                record.level(),
                record.target(),
                record.args()
            );
        }
    }

    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    log::info!("shutting down");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let level = std::env::var("INSIGHTDESK_BROKER_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(log::LevelFilter::Info);
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level);
    }
    let config = match insightdesk_broker::BrokerConfig::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("insightdesk-broker: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match insightdesk_broker::serve(config, shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("insightdesk-broker: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

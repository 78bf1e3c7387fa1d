//! `insightdesk sandbox`: the simulated Meta platform as a server of its own.

use insightdesk_sandbox::{ClockConfig, FaultPlan, Sandbox, SandboxConfig, parse_instant};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Port to listen on (default: an ephemeral port).
    #[arg(long)]
    pub port: Option<u16>,
    /// Seed of the synthetic accounts; the same seed gives the same accounts, media and ids.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The simulated "now" to start from (RFC 3339, e.g. 2025-04-21T12:00:00Z); it then runs
    /// with real time. Default: the real current time.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Keep "now" still instead of letting it run with real time.
    #[arg(long)]
    pub frozen: bool,
    /// Faults to inject, e.g. "5xx=0.05,reset=0.02,delay=0.01:30s,throttle_after=200" or "5xx@3~/insights".
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
}

pub fn run(args: SandboxArgs) -> Result<(), String> {
    let start = match &args.now {
        Some(text) => Some(parse_instant(text).ok_or_else(|| {
            format!("--now must be an RFC 3339 time such as 2026-11-26T12:00:00Z, not \"{text}\".")
        })?),
        None => None,
    };
    let clock = match (start, args.frozen) {
        (Some(at), true) => ClockConfig::Fixed(at),
        (None, true) => ClockConfig::Fixed(chrono::Utc::now()),
        (start, false) => ClockConfig::RealTime(start),
    };
    let faults = match &args.faults {
        Some(spec) => FaultPlan::parse(spec).map_err(|e| e.to_string())?,
        None => FaultPlan::none(),
    };
    let config = SandboxConfig {
        seed: args.seed,
        clock,
        port: args.port,
        faults,
        ..SandboxConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the runtime: {e}"))?;
    runtime.block_on(async move {
        let sandbox = Sandbox::start(config).await.map_err(|e| e.to_string())?;
        let credentials =
            serde_json::to_string(&sandbox.credentials()).map_err(|e| e.to_string())?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", sandbox.base_url())
            .and_then(|()| stdout.flush())
            .map_err(|e| e.to_string())?;
        writeln!(stdout, "{credentials}")
            .and_then(|()| stdout.flush())
            .map_err(|e| e.to_string())?;
        drop(stdout);
        wait_for_stop().await;
        log::info!("stopping the sandbox");
        sandbox.stop().await;
        Ok(())
    })
}

pub async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

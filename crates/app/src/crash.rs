//! Crash reports. When a thread panics, what happened (the panic's message with any
//! credential `name=value` pair masked, where in the code, which version, the backtrace) goes
//! to `logs/crash-<time>.txt` in the data folder, and one line pointing at it to standard
//! error. The default hook is replaced, not chained: it would print the message unmasked.
//!
//! No token is ever formatted into a message on purpose (`Sensitive` prints `<redacted>`), so
//! the masking is the second line of defence: a message that quotes a Graph URL or a form body
//! loses its `access_token=…`, `client_secret=…`, `code=…` values.

use std::io::Write;
use std::path::{Path, PathBuf};

use insightdesk_secret::redact_pairs;

/// A debug build of either binary panics on purpose when this is set (its value is the panic
/// message), so the tests can check what a crash leaves behind. Release builds ignore it.
pub const CRASH_FOR_TEST_ENV: &str = "INSIGHTDESK_CRASH_FOR_TEST";

/// Installs the crash reporter for this process: reports go into `logs_dir`.
pub fn install(logs_dir: PathBuf, program: &'static str) {
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".to_owned());
        let thread = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned();
        let report = report_text(
            program,
            &message,
            &location,
            &thread,
            &std::backtrace::Backtrace::force_capture().to_string(),
        );
        // The time is read here, at the edge: a crash has no caller to pass it in.
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let path = logs_dir.join(format!("crash-{stamp}.txt"));
        let saved = save(&path, &report);
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "{program} stopped unexpectedly: {} (at {location}).",
            redact_pairs(&message)
        );
        let _ = match saved {
            Ok(()) => writeln!(stderr, "A crash report is in {}.", path.display()),
            Err(error) => writeln!(stderr, "The crash report could not be saved: {error}."),
        };
    }));
}

/// A debug build's way to crash on purpose (see [`CRASH_FOR_TEST_ENV`]).
pub fn crash_if_asked() {
    if !cfg!(debug_assertions) {
        return;
    }
    if let Some(message) = std::env::var_os(CRASH_FOR_TEST_ENV) {
        panic!("{}", message.to_string_lossy());
    }
}

/// The report, every line of it masked.
pub fn report_text(
    program: &str,
    message: &str,
    location: &str,
    thread: &str,
    backtrace: &str,
) -> String {
    let text = format!(
        "{program} {} crashed.\n\nWhat happened: {message}\nWhere: {location} (thread {thread})\n\nBacktrace:\n{backtrace}\n",
        env!("CARGO_PKG_VERSION"),
    );
    text.lines()
        .map(redact_pairs)
        .collect::<Vec<_>>()
        .join("\n")
}

fn save(path: &Path, report: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(report.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_masks_credentials_in_the_message_and_says_where() {
        let report = report_text(
            "insightdesk",
            "GET https://graph.facebook.com/v24.0/me?fields=id&access_token=EAAGcanary123 failed",
            "crates/x.rs:7",
            "main",
            "0: frame",
        );
        assert!(!report.contains("EAAGcanary123"), "{report}");
        assert!(report.contains("access_token=REDACTED"), "{report}");
        assert!(report.contains("crates/x.rs:7 (thread main)"), "{report}");
        assert!(report.contains(env!("CARGO_PKG_VERSION")), "{report}");
    }
}

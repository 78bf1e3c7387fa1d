//! A `log` logger that keeps every line, installed once for the whole test binary, so tests
//! can prove what was (and was not) logged.

use std::sync::{Mutex, OnceLock};

struct Capture {
    lines: Mutex<Vec<String>>,
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(line);
        }
    }

    fn flush(&self) {}
}

static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();

fn capture() -> &'static Capture {
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::new(Capture {
            lines: Mutex::new(Vec::new()),
        }));
        // Fails only if another logger is installed, which this binary never does.
        let _ = log::set_logger(capture);
        log::set_max_level(log::LevelFilter::Trace);
        capture
    })
}

/// Installs the logger (idempotent).
pub fn install() {
    capture();
}

/// Every line logged so far by any test of this binary.
pub fn lines() -> Vec<String> {
    capture()
        .lines
        .lock()
        .map(|l| l.clone())
        .unwrap_or_default()
}

//! The command line's side of the application's `Host`: events become lines on stderr, the
//! sign-in page opens with the desktop's opener (or is printed), files are named by flags.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use insightdesk_app::{AppEvent, Host};

#[derive(Debug, Default)]
pub struct TerminalHost {
    /// `--no-browser`: print the sign-in address instead of opening it.
    pub print_sign_in_page: AtomicBool,
    /// `--json`: keep stderr free of progress lines.
    pub quiet: AtomicBool,
}

impl Host for TerminalHost {
    fn emit(&self, event: AppEvent) {
        if self.quiet.load(Ordering::Relaxed) {
            return;
        }
        match event {
            AppEvent::SyncProgress {
                step, done, total, ..
            } if total > 0 => eprintln!("[{done}/{total}] {step}"),
            AppEvent::SyncProgress { .. } => {}
            // The commands print outcomes themselves, and alerts arrive through `notify`.
            AppEvent::SyncFinished { .. }
            | AppEvent::SyncFailed { .. }
            | AppEvent::Alert { .. } => {}
            AppEvent::SessionChanged | AppEvent::DataChanged => {}
        }
    }

    fn open_sign_in_page(&self, url: &str) -> Result<(), String> {
        let print = |url: &str| {
            // The address carries the sign-in's one-time state: it goes to the terminal the
            // user is sitting at, never to a log.
            println!("Open this address in your browser to sign in:\n\n  {url}\n");
        };
        if self.print_sign_in_page.load(Ordering::Relaxed) {
            print(url);
            return Ok(());
        }
        let opened = std::process::Command::new("xdg-open")
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !opened {
            print(url);
        }
        Ok(())
    }

    fn choose_save_path(&self, _suggested_name: &str, _extension: &str) -> Option<PathBuf> {
        // The command line names its files with --out; it never asks.
        None
    }

    fn choose_folder(&self, _title: &str) -> Option<PathBuf> {
        None
    }

    fn notify(&self, title: &str, body: &str) {
        if !self.quiet.load(Ordering::Relaxed) {
            eprintln!("alert: {title} — {body}");
        }
    }
}

//! While Instagram's limits pause a sync — the client waits out a throttle before it goes
//! on — the window hears it: a progress event saying when the sync resumes, so the progress
//! bar never just stalls, and the next progress event of the sync replaces it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use insightdesk_graph::{Clock, Governor};
use tokio_util::sync::CancellationToken;

use crate::host::{AppEvent, Host};

/// How often the governor is looked at while a sync runs.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// The last progress a sync reported, so the pause notice keeps its done/total.
#[derive(Debug, Default)]
pub(crate) struct LastProgress {
    pub done: AtomicU32,
    pub total: AtomicU32,
}

/// "Instagram limits reached, resuming at 15:32. …" in the creator's time zone.
pub fn pause_sentence(until: DateTime<Utc>, tz: Tz) -> String {
    format!(
        "Instagram limits reached, resuming at {}. Everything read so far is saved.",
        until.with_timezone(&tz).format("%H:%M")
    )
}

/// Watches `governor` until `stop`, telling the window each time Meta's throttle blocks it.
pub(crate) fn watch(
    host: Arc<dyn Host>,
    governor: Arc<Governor>,
    clock: Arc<dyn Clock>,
    tz: Tz,
    account: String,
    progress: Arc<LastProgress>,
    stop: CancellationToken,
) {
    tokio::spawn(async move {
        let mut announced: Option<DateTime<Utc>> = None;
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(LOOK_EVERY) => {}
            }
            match governor.status(clock.now()).blocked_until {
                Some(until) if announced != Some(until) => {
                    announced = Some(until);
                    host.emit(AppEvent::SyncProgress {
                        account: account.clone(),
                        step: pause_sentence(until, tz),
                        done: progress.done.load(Ordering::Relaxed),
                        total: progress.total.load(Ordering::Relaxed),
                        resumes_at: Some(until.to_rfc3339()),
                    });
                }
                Some(_) => {}
                None => announced = None,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_reads_in_the_creators_time() {
        let until = DateTime::parse_from_rfc3339("2026-11-26T14:32:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(
            pause_sentence(until, chrono_tz::Europe::Berlin),
            "Instagram limits reached, resuming at 15:32. Everything read so far is saved."
        );
    }
}

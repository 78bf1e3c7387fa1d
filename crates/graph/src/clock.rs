//! Time, passed in. The client reads the time and sleeps only through a [`Clock`], so tests
//! drive time by hand ([`ManualClock`]) and never sleep for real.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A future returned by [`Clock::sleep_until`].
pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// The source of "now" and of waiting.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Resolves once `deadline` has come (at once if it has passed).
    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_>;
}

/// The computer's clock and tokio's timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_> {
        let wait = (deadline - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A clock that moves only when told to. Sleeping on it moves it to the deadline at once and
/// adds the wait to [`ManualClock::slept`], so a test sees how long the client would have
/// waited without waiting.
#[derive(Debug)]
pub struct ManualClock {
    state: Mutex<ManualState>,
}

#[derive(Debug)]
struct ManualState {
    now: DateTime<Utc>,
    slept: Duration,
    sleeps: u32,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            state: Mutex::new(ManualState {
                now: start,
                slept: Duration::ZERO,
                sleeps: 0,
            }),
        }
    }

    pub fn set(&self, now: DateTime<Utc>) {
        if let Ok(mut s) = self.state.lock() {
            s.now = now;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut s) = self.state.lock() {
            s.now += chrono::Duration::from_std(by).unwrap_or(chrono::Duration::zero());
        }
    }

    /// Total time spent in [`Clock::sleep_until`].
    pub fn slept(&self) -> Duration {
        self.state.lock().map(|s| s.slept).unwrap_or_default()
    }

    /// How many sleeps actually waited (deadline in the future).
    pub fn sleeps(&self) -> u32 {
        self.state.lock().map(|s| s.sleeps).unwrap_or_default()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.state
            .lock()
            .map(|s| s.now)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_> {
        if let Ok(mut s) = self.state.lock()
            && deadline > s.now
        {
            let wait = (deadline - s.now).to_std().unwrap_or_default();
            s.slept += wait;
            s.sleeps += 1;
            s.now = deadline;
        }
        // Yield so a sleeping task still lets others run, as a real sleep would.
        Box::pin(tokio::task::yield_now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn manual_clock_jumps_to_the_deadline() {
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let clock = ManualClock::new(start);
        clock
            .sleep_until(start + chrono::Duration::seconds(90))
            .await;
        clock.sleep_until(start).await;
        assert_eq!(clock.now(), start + chrono::Duration::seconds(90));
        assert_eq!(clock.slept(), Duration::from_secs(90));
        assert_eq!(clock.sleeps(), 1);
        clock.advance(Duration::from_secs(10));
        assert_eq!(clock.now(), start + chrono::Duration::seconds(100));
    }
}

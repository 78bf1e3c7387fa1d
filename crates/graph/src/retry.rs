//! When to try a request again: transient errors, 5xx, resets, timeouts and garbled bodies,
//! with jittered exponential backoff, a bounded number of times. Errors that will not change
//! by themselves (auth, permission, bad parameter, unsupported metric) are never retried here.

use std::time::Duration;

use rand::Rng;

/// Backoff for transient failures, and how long the client may wait for the rate limit.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub max_attempts: u32,
    /// The wait before the second try; it doubles for each try after.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How many times a throttled request waits and tries again before the error is returned.
    pub max_throttle_waits: u32,
    /// The longest wait the client accepts (for a throttle or the governor) before returning
    /// the error so the caller can plan around it.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            max_throttle_waits: 3,
            max_wait: Duration::from_secs(3600),
        }
    }
}

impl RetryPolicy {
    /// The wait before try number `attempt + 1` (after `attempt` failures, from 1): an
    /// exponential step with "equal jitter" (half fixed, half random), so many clients that
    /// failed together do not come back together.
    pub fn delay(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let step = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_delay);
        let half = step / 2;
        let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(rng.random_range(0..=jitter_ms))
    }

    /// Never retry transient failures (for tests that want to see the first error).
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            max_throttle_waits: 0,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_are_jittered_and_capped() {
        let policy = RetryPolicy::default();
        let mut rng = rand::rng();
        for _ in 0..100 {
            let first = policy.delay(1, &mut rng);
            assert!(
                first >= Duration::from_millis(250) && first <= Duration::from_millis(500),
                "{first:?}"
            );
            let fourth = policy.delay(4, &mut rng);
            assert!(
                fourth >= Duration::from_secs(2) && fourth <= Duration::from_secs(4),
                "{fourth:?}"
            );
            let late = policy.delay(40, &mut rng);
            assert!(
                late >= Duration::from_secs(30) && late <= Duration::from_secs(60),
                "{late:?}"
            );
        }
    }
}

//! The governor: one per (app, account). It keeps a rolling ledger of the calls Meta counts,
//! reads the usage Meta reports, slows down as usage climbs, stops before the budget runs out,
//! waits out a block, and answers the sync planner's question "may I spend N calls now, and
//! if not, when?".
//!
//! Meta reports usage as a percentage only. The governor turns it into a budget by dividing
//! by the calls it has seen in the window: a percentage that also counts calls made before
//! this process started makes the estimate smaller, so the error is always on the side of
//! calling less.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::usage::Usage;

/// The answer to "may I spend N calls now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permit {
    Now,
    /// Not before this time.
    At(DateTime<Utc>),
}

/// How the governor paces.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernorConfig {
    /// The rolling window Meta counts calls in (24 h for the Instagram business use case).
    pub window: Duration,
    /// (usage percent, gap per call): above each percentage, calls are spaced by the gap.
    pub tiers: Vec<(f64, Duration)>,
    /// No call may bring the estimated usage above this percentage.
    pub ceiling: f64,
    /// How long to stop when Meta throttles without saying for how long.
    pub default_block: Duration,
    /// Calls in the ledger needed before a percentage is turned into a budget.
    pub min_calls_for_estimate: u64,
}

impl Default for GovernorConfig {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(24 * 3600),
            tiers: vec![
                (50.0, Duration::from_secs(2)),
                (75.0, Duration::from_secs(10)),
                (90.0, Duration::from_secs(60)),
            ],
            ceiling: 95.0,
            default_block: Duration::from_secs(5 * 60),
            min_calls_for_estimate: 5,
        }
    }
}

/// What the governor currently believes.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernorStatus {
    /// Estimated usage now, percent of the budget.
    pub percent: Option<f64>,
    pub calls_in_window: u64,
    pub blocked_until: Option<DateTime<Utc>>,
}

#[derive(Debug)]
struct Observed {
    percent: f64,
    /// Calls in our ledger's window when Meta reported `percent`.
    calls: u64,
}

#[derive(Debug, Default)]
struct State {
    ledger: VecDeque<(DateTime<Utc>, u64)>,
    observed: Option<Observed>,
    blocked_until: Option<DateTime<Utc>>,
    last_spend: Option<(DateTime<Utc>, u64)>,
}

/// Paces the calls of one (app, account) pair. Share it (`Arc`) between every client that
/// spends this pair's budget.
#[derive(Debug)]
pub struct Governor {
    account: Option<String>,
    config: GovernorConfig,
    state: Mutex<State>,
}

fn chrono_of(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl Governor {
    /// A governor for the account with this business-object id (the IG user id Meta keys
    /// `X-Business-Use-Case-Usage` by), or for whatever account the headers report.
    pub fn new(account: Option<String>, config: GovernorConfig) -> Self {
        Self {
            account,
            config,
            state: Mutex::new(State::default()),
        }
    }

    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        match self.state.lock() {
            Ok(mut s) => f(&mut s),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    fn prune(&self, state: &mut State, now: DateTime<Utc>) {
        let horizon = now - chrono_of(self.config.window);
        while state.ledger.front().is_some_and(|(t, _)| *t <= horizon) {
            state.ledger.pop_front();
        }
    }

    fn calls(state: &State) -> u64 {
        state.ledger.iter().map(|(_, n)| n).sum()
    }

    /// Percent of the budget one call costs, when it can be estimated.
    fn per_call(&self, state: &State) -> Option<f64> {
        let observed = state.observed.as_ref()?;
        (observed.calls >= self.config.min_calls_for_estimate && observed.percent > 0.0)
            .then(|| observed.percent / observed.calls as f64)
    }

    fn estimate(&self, state: &State) -> Option<f64> {
        let observed = state.observed.as_ref()?;
        Some(match self.per_call(state) {
            Some(per_call) => per_call * Self::calls(state) as f64,
            None => observed.percent,
        })
    }

    fn gap(&self, percent: f64) -> Duration {
        self.config
            .tiers
            .iter()
            .filter(|(above, _)| percent > *above)
            .map(|(_, gap)| *gap)
            .max()
            .unwrap_or(Duration::ZERO)
    }

    /// May `n` calls be spent at `now`? If not, the earliest time they may.
    pub fn permit(&self, n: u64, now: DateTime<Utc>) -> Permit {
        self.with_state(|state| {
            self.prune(state, now);
            let mut earliest = now;
            if let Some(until) = state.blocked_until {
                if until > now {
                    earliest = until;
                } else {
                    state.blocked_until = None;
                }
            }
            if let Some(percent) = self.estimate(state) {
                if let Some(per_call) = self.per_call(state) {
                    let allowed = (self.config.ceiling / per_call).floor() as u64;
                    let calls = Self::calls(state);
                    if calls + n > allowed {
                        // Wait until enough of the oldest calls leave the window.
                        let mut to_free = (calls + n).saturating_sub(allowed);
                        let mut at = now + chrono_of(self.config.window);
                        for (t, k) in &state.ledger {
                            to_free = to_free.saturating_sub(*k);
                            if to_free == 0 {
                                at = *t + chrono_of(self.config.window);
                                break;
                            }
                        }
                        earliest = earliest.max(at);
                    }
                } else if percent >= self.config.ceiling {
                    // Too few calls of ours to know the budget, and Meta says it is nearly
                    // spent: stop for a while rather than guess, then let one call through to
                    // read a fresh percentage.
                    let at = earliest.max(now + chrono_of(self.config.default_block));
                    state.blocked_until = Some(at);
                    state.observed = None;
                    earliest = at;
                }
                if let Some((last, count)) = state.last_spend {
                    let gap = self.gap(percent);
                    let factor = u32::try_from(count.max(1)).unwrap_or(u32::MAX);
                    let at = last + chrono_of(gap.saturating_mul(factor));
                    earliest = earliest.max(at);
                }
            }
            if earliest > now {
                Permit::At(earliest)
            } else {
                Permit::Now
            }
        })
    }

    /// Records `n` calls spent at `now`.
    pub fn record(&self, n: u64, now: DateTime<Utc>) {
        if n == 0 {
            return;
        }
        self.with_state(|state| {
            self.prune(state, now);
            state.ledger.push_back((now, n));
            state.last_spend = Some((now, n));
        });
    }

    /// Takes in the usage a response reported.
    pub fn observe(&self, usage: &Usage, now: DateTime<Utc>) {
        let account = self.account.as_deref();
        let percent = usage.highest_percent(account);
        let regain = usage.regain_after(account);
        self.with_state(|state| {
            self.prune(state, now);
            if let Some(percent) = percent {
                state.observed = Some(Observed {
                    percent,
                    calls: Self::calls(state),
                });
            }
            if let Some(wait) = regain {
                let until = now + chrono_of(wait);
                state.blocked_until = Some(state.blocked_until.map_or(until, |b| b.max(until)));
            }
        });
    }

    /// Meta throttled: stop until `retry_after` (or the default block) has passed. Returns
    /// when calls may resume.
    pub fn throttled(&self, retry_after: Option<Duration>, now: DateTime<Utc>) -> DateTime<Utc> {
        let wait = retry_after.unwrap_or(self.config.default_block);
        let until = now + chrono_of(wait);
        self.with_state(|state| {
            let until = state.blocked_until.map_or(until, |b| b.max(until));
            state.blocked_until = Some(until);
            until
        })
    }

    pub fn status(&self, now: DateTime<Utc>) -> GovernorStatus {
        self.with_state(|state| {
            self.prune(state, now);
            GovernorStatus {
                percent: self.estimate(state),
                calls_in_window: Self::calls(state),
                blocked_until: state.blocked_until.filter(|b| *b > now),
            }
        })
    }
}

/// The governors of an app's accounts: one per (app, account) pair, which is how Meta counts,
/// handed to every client that spends that pair's budget.
#[derive(Debug, Default)]
pub struct Governors {
    config: GovernorConfig,
    pairs: Mutex<HashMap<(String, String), Arc<Governor>>>,
}

impl Governors {
    pub fn new(config: GovernorConfig) -> Self {
        Self {
            config,
            pairs: Mutex::new(HashMap::new()),
        }
    }

    /// The governor of (`app_id`, `ig_user_id`), created on first use.
    pub fn for_pair(&self, app_id: &str, ig_user_id: &str) -> Arc<Governor> {
        let create = || {
            Arc::new(Governor::new(
                Some(ig_user_id.to_owned()),
                self.config.clone(),
            ))
        };
        match self.pairs.lock() {
            Ok(mut pairs) => Arc::clone(
                pairs
                    .entry((app_id.to_owned(), ig_user_id.to_owned()))
                    .or_insert_with(create),
            ),
            Err(_) => create(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usage::{BusinessUsage, Usage};

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn secs(s: i64) -> chrono::Duration {
        chrono::Duration::seconds(s)
    }

    fn usage(account: &str, call_count: f64, regain: f64) -> Usage {
        Usage {
            business: vec![BusinessUsage {
                object_id: account.into(),
                kind: Some("instagram".into()),
                call_count,
                total_cputime: 1.0,
                total_time: 1.0,
                regain_minutes: regain,
            }],
            app: None,
        }
    }

    #[test]
    fn free_below_half_of_the_budget() {
        let g = Governor::new(Some("1".into()), GovernorConfig::default());
        for i in 0..10 {
            assert_eq!(g.permit(1, t0() + secs(i)), Permit::Now);
            g.record(1, t0() + secs(i));
        }
        g.observe(&usage("1", 10.0, 0.0), t0() + secs(10));
        assert_eq!(g.permit(1, t0() + secs(10)), Permit::Now);
    }

    #[test]
    fn slows_down_as_usage_climbs() {
        let g = Governor::new(Some("1".into()), GovernorConfig::default());
        let mut now = t0();
        for _ in 0..10 {
            g.record(1, now);
            now += secs(1);
        }
        // 10 calls = 60% → 2 s between calls.
        g.observe(&usage("1", 60.0, 0.0), now);
        let last = now - secs(1);
        assert_eq!(g.permit(1, now), Permit::At(last + secs(2)));
        // 80% → 10 s.
        g.observe(&usage("1", 80.0, 0.0), now);
        assert_eq!(g.permit(1, now), Permit::At(last + secs(10)));
    }

    #[test]
    fn never_plans_beyond_the_ceiling_and_says_when_budget_returns() {
        let config = GovernorConfig {
            tiers: vec![],
            ..GovernorConfig::default()
        };
        let g = Governor::new(Some("1".into()), config);
        // 20 calls, one a minute, reported as 90% → 4.5% per call; the ceiling of 95% allows 21.
        for i in 0..20 {
            g.record(1, t0() + secs(60 * i));
        }
        let now = t0() + secs(60 * 20);
        g.observe(&usage("1", 90.0, 0.0), now);
        assert_eq!(g.permit(1, now), Permit::Now);
        // Three more would need the two oldest calls to leave the 24 h window.
        assert_eq!(
            g.permit(3, now),
            Permit::At(t0() + secs(60) + secs(24 * 3600))
        );
        g.record(1, now);
        assert_eq!(g.permit(1, now), Permit::At(t0() + secs(24 * 3600)));
        assert_eq!(g.permit(1, t0() + secs(24 * 3600)), Permit::Now);
    }

    #[test]
    fn waits_out_the_regain_estimate_and_throttles() {
        let g = Governor::new(Some("1".into()), GovernorConfig::default());
        g.observe(&usage("1", 100.0, 20.0), t0());
        assert_eq!(g.permit(1, t0()), Permit::At(t0() + secs(20 * 60)));
        let g = Governor::new(None, GovernorConfig::default());
        let until = g.throttled(None, t0());
        assert_eq!(until, t0() + secs(300));
        assert_eq!(g.permit(1, t0() + secs(299)), Permit::At(until));
        assert_eq!(g.permit(1, until), Permit::Now);
        assert_eq!(g.status(until).blocked_until, None);
    }

    #[test]
    fn a_high_report_without_history_stops_for_the_default_block() {
        let g = Governor::new(Some("1".into()), GovernorConfig::default());
        g.record(1, t0());
        g.observe(&usage("1", 97.0, 0.0), t0());
        assert_eq!(g.permit(1, t0()), Permit::At(t0() + secs(300)));
        assert_eq!(g.permit(1, t0() + secs(100)), Permit::At(t0() + secs(300)));
        // Then one call may go out to read a fresh percentage.
        assert_eq!(g.permit(1, t0() + secs(300)), Permit::Now);
    }

    #[test]
    fn one_governor_per_app_and_account() {
        let governors = Governors::default();
        let a = governors.for_pair("app", "1");
        assert!(Arc::ptr_eq(&a, &governors.for_pair("app", "1")));
        assert!(!Arc::ptr_eq(&a, &governors.for_pair("app", "2")));
        assert!(!Arc::ptr_eq(&a, &governors.for_pair("other app", "1")));
        assert_eq!(a.account(), Some("1"));
    }

    #[test]
    fn another_accounts_usage_does_not_slow_this_one() {
        let g = Governor::new(Some("1".into()), GovernorConfig::default());
        let mut u = usage("1", 5.0, 0.0);
        u.business.extend(usage("2", 99.0, 30.0).business);
        g.record(1, t0());
        g.observe(&u, t0());
        assert_eq!(g.permit(1, t0()), Permit::Now);
    }
}

//! Rate limits: Meta's Business Use Case (BUC) ledger per (app, Instagram account) over a rolling
//! 24 hours, and the Platform limit per app over a rolling hour for calls that touch no account.

use crate::errors::GraphError;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};

/// The knobs of Meta's formulas. Tests make budgets small; the defaults are Meta's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucConfig {
    /// Calls per rolling 24 hours per impression (Meta: 4800 × impressions).
    pub calls_per_impression: u64,
    /// Replaces the account's impressions of the last day in the formula.
    pub impressions: Option<u64>,
    /// Replaces the whole BUC budget (calls per rolling 24 hours per app and account).
    pub budget: Option<u64>,
    /// Platform limit: calls per user per rolling hour (Meta: 200).
    pub platform_calls_per_user_hour: u64,
}

impl Default for BucConfig {
    fn default() -> Self {
        BucConfig {
            calls_per_impression: 4800,
            impressions: None,
            budget: None,
            platform_calls_per_user_hour: 200,
        }
    }
}

impl BucConfig {
    pub(crate) fn budget_for(&self, impressions_24h: u64) -> u64 {
        self.budget
            .unwrap_or_else(|| {
                self.calls_per_impression
                    .saturating_mul(self.impressions.unwrap_or(impressions_24h).max(1))
            })
            .max(1)
    }
}

#[derive(Debug, Default)]
struct Window {
    calls: VecDeque<DateTime<Utc>>,
    blocked_until: Option<DateTime<Utc>>,
}

impl Window {
    fn prune(&mut self, now: DateTime<Utc>, span: Duration) {
        while self.calls.front().is_some_and(|t| *t <= now - span) {
            self.calls.pop_front();
        }
        if self.blocked_until.is_some_and(|t| t <= now) {
            self.blocked_until = None;
        }
    }

    /// Refuses while blocked or at budget; a refusal blocks until enough calls leave the window.
    fn charge(
        &mut self,
        now: DateTime<Utc>,
        span: Duration,
        budget: u64,
        calls: u32,
    ) -> Result<(), ()> {
        self.prune(now, span);
        if self.blocked_until.is_some() {
            return Err(());
        }
        let used = self.calls.len() as u64;
        if used >= budget {
            let index = usize::try_from(used - budget).unwrap_or(0);
            let free_at = self
                .calls
                .get(index)
                .map(|t| *t + span)
                .unwrap_or(now + Duration::minutes(1));
            self.blocked_until = Some(free_at.max(now + Duration::seconds(1)));
            return Err(());
        }
        for _ in 0..calls {
            self.calls.push_back(now);
        }
        Ok(())
    }

    fn usage(&self, now: DateTime<Utc>, budget: u64) -> Usage {
        let live = self.calls.len() as u64;
        let percent = live.saturating_mul(100) / budget.max(1);
        let eta = self
            .blocked_until
            .filter(|t| *t > now)
            .map(|t| u64::try_from(((t - now).num_seconds() + 59) / 60).unwrap_or(0))
            .unwrap_or(0);
        Usage {
            call_count: percent,
            total_cputime: percent * 3 / 5,
            total_time: percent * 4 / 5,
            estimated_time_to_regain_access: eta,
        }
    }
}

/// One usage report as the headers print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Usage {
    pub(crate) call_count: u64,
    pub(crate) total_cputime: u64,
    pub(crate) total_time: u64,
    /// Minutes.
    pub(crate) estimated_time_to_regain_access: u64,
}

impl Usage {
    /// This usage with Meta's estimate of when access returns, at least `minutes`. The
    /// percentages stay as they are: Meta throttles on more than the call count (a recorded
    /// capture shows an estimate of 20 minutes at a call count of 12%).
    pub(crate) fn regaining_in(self, minutes: u64) -> Usage {
        Usage {
            estimated_time_to_regain_access: self.estimated_time_to_regain_access.max(minutes),
            ..self
        }
    }
}

/// Whether a throttling code is a Business Use Case limit (80001, 80002), whose usage entry
/// carries an estimate of when access returns. Platform codes (4, 17, 32, 613) are reported in
/// `X-App-Usage`, which has no estimate.
pub(crate) fn is_buc_code(code: i64) -> bool {
    matches!(code, 80001 | 80002)
}

/// The minutes an injected BUC throttle says access returns in. A fault is one refusal (the
/// account is not actually held), so the estimate is short: a client that obeys it loses little,
/// and it differs from the 5 minutes clients tend to assume, so a test can tell which was used.
pub(crate) const INJECTED_REGAIN_MINUTES: u64 = 3;

#[derive(Debug, Default)]
pub(crate) struct RateLimits {
    buc: HashMap<(String, String), Window>,
    platform: HashMap<String, Window>,
}

fn day() -> Duration {
    Duration::hours(24)
}

impl RateLimits {
    /// Charges `calls` BUC calls for (app, account); `Err` is Meta's 80002 refusal.
    pub(crate) fn charge_buc(
        &mut self,
        app: &str,
        ig_user_id: &str,
        budget: u64,
        now: DateTime<Utc>,
        calls: u32,
    ) -> Result<(), GraphError> {
        let window = self
            .buc
            .entry((app.to_string(), ig_user_id.to_string()))
            .or_default();
        window
            .charge(now, day(), budget, calls)
            .map_err(|()| GraphError::instagram_throttled())
    }

    pub(crate) fn block_buc(&mut self, app: &str, ig_user_id: &str, until: DateTime<Utc>) {
        let window = self
            .buc
            .entry((app.to_string(), ig_user_id.to_string()))
            .or_default();
        window.blocked_until = Some(until);
    }

    pub(crate) fn buc_usage(
        &mut self,
        app: &str,
        ig_user_id: &str,
        budget: u64,
        now: DateTime<Utc>,
    ) -> Usage {
        let window = self
            .buc
            .entry((app.to_string(), ig_user_id.to_string()))
            .or_default();
        window.prune(now, day());
        window.usage(now, budget)
    }

    /// Charges a Platform call for the app; `Err` is Meta's code 4.
    pub(crate) fn charge_platform(
        &mut self,
        app: &str,
        budget: u64,
        now: DateTime<Utc>,
    ) -> Result<(), GraphError> {
        let window = self.platform.entry(app.to_string()).or_default();
        window
            .charge(now, Duration::hours(1), budget, 1)
            .map_err(|()| GraphError::throttled(4))
    }

    pub(crate) fn block_platform(&mut self, app: &str, until: DateTime<Utc>) {
        self.platform
            .entry(app.to_string())
            .or_default()
            .blocked_until = Some(until);
    }

    pub(crate) fn platform_usage(&mut self, app: &str, budget: u64, now: DateTime<Utc>) -> Usage {
        let window = self.platform.entry(app.to_string()).or_default();
        window.prune(now, Duration::hours(1));
        window.usage(now, budget)
    }
}

/// `X-Business-Use-Case-Usage`: a JSON string keyed by Instagram user id (as in the real capture).
pub(crate) fn buc_header(entries: &[(String, Usage)]) -> String {
    let mut map = serde_json::Map::new();
    for (id, usage) in entries {
        map.insert(
            id.clone(),
            json!([{
                "type": "instagram",
                "call_count": usage.call_count,
                "total_cputime": usage.total_cputime,
                "total_time": usage.total_time,
                "estimated_time_to_regain_access": usage.estimated_time_to_regain_access,
            }]),
        );
    }
    Value::Object(map).to_string()
}

/// `X-App-Usage: {"call_count":…,"total_cputime":…,"total_time":…}`.
pub(crate) fn app_usage_header(usage: Usage) -> String {
    json!({ "call_count": usage.call_count, "total_cputime": usage.total_cputime, "total_time": usage.total_time }).to_string()
}

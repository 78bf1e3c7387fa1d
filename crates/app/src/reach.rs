//! Reach for exactly a period. Reach is unique (an account reached on two days counts once),
//! so a period's reach can never be added up from days: Meta must be asked for that range.
//! The answers are kept in the store as window totals, so a screen asks at most once and
//! then reads them offline; the screens never wait for it — they ask in the background and
//! are told when the number arrived.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use chrono_tz::Tz;
use insightdesk_graph::MetricType;
use insightdesk_graph::models::insights::Period as InsightsPeriod;
use insightdesk_report::Period;
use insightdesk_store::{AccountWindowValue, DayRange};

use crate::App;
use crate::accounts::with_store;
use crate::error::AppError;
use crate::host::AppEvent;
use crate::session::Session;
use crate::syncing::account_row;

/// Meta answers a reach total for at most this many days.
const MAX_DAYS: u32 = 30;

/// A total of a period still inside Meta's reporting lag is asked again after this long.
const MOVING_REFRESH: Duration = Duration::from_secs(6 * 3600);

/// When each (account, first day, last day) was last asked, so a moving period is not asked
/// on every screen change.
#[derive(Debug, Default)]
pub struct ReachAsked(std::sync::Mutex<HashMap<(String, NaiveDate, NaiveDate), Instant>>);

impl ReachAsked {
    /// True (and remembered) when the range should be asked now.
    fn claim(&self, key: (String, NaiveDate, NaiveDate), settled: bool, now: Instant) -> bool {
        let Ok(mut asked) = self.0.lock() else {
            return false;
        };
        match asked.get(&key) {
            Some(_) if settled => false,
            Some(at) if now.duration_since(*at) < MOVING_REFRESH => false,
            _ => {
                asked.insert(key, now);
                true
            }
        }
    }
}

impl App {
    /// Makes sure the store holds Meta's reach total for `period` and the period before it,
    /// asking Meta for the ones missing (or still moving). Returns how many totals it stored.
    pub async fn fill_period_reach(
        &self,
        session: &Arc<Session>,
        ig_user_id: &str,
        period: Period,
        tz: Tz,
    ) -> Result<usize, AppError> {
        if period.days() > MAX_DAYS {
            return Ok(0);
        }
        let today = session.meta.now().with_timezone(&tz).date_naive();
        let wanted = [period, period.previous()];
        let id = ig_user_id.to_owned();
        let stored = with_store(session, move |store| {
            let account = account_row(store, &id)?;
            let windows = store.account_window_values(
                account,
                "reach",
                None,
                DayRange::new(wanted[1].first, wanted[0].last),
            )?;
            Ok(wanted.map(|p| {
                windows.iter().any(|w| {
                    w.breakdown_value.is_none() && w.first_day == p.first && w.last_day == p.last
                })
            }))
        })
        .await?;
        let mut ask = Vec::new();
        for (period, have) in wanted.iter().zip(stored) {
            // Meta can still revise the last two days.
            let settled = period.last + chrono::Days::new(2) < today;
            let key = (ig_user_id.to_owned(), period.first, period.last);
            if (!have || !settled)
                && self
                    .reach_asked
                    .claim(key, settled && !have, Instant::now())
            {
                ask.push(*period);
            }
        }
        if ask.is_empty() {
            return Ok(0);
        }
        let access = self.account_access(session, ig_user_id).await?;
        let client = self
            .client_builder(session, &access)
            .account(ig_user_id)
            .timeout(Duration::from_secs(15))
            .build()?;
        let mut values = Vec::new();
        for period in ask {
            let range = period.time_range(tz);
            let answer = client
                .user(ig_user_id)
                .insights()
                .metrics(["reach"])
                .metric_type(MetricType::TotalValue)
                .period(InsightsPeriod::Day)
                .range(range.start, range.end)
                .send()
                .await?;
            let value = answer
                .metric("reach")
                .and_then(|m| m.total_value.as_ref())
                .and_then(|t| t.value.as_ref())
                .and_then(|v| v.as_f64());
            if let Some(value) = value {
                values.push(AccountWindowValue {
                    metric: "reach".into(),
                    first_day: period.first,
                    last_day: period.last,
                    breakdown: None,
                    value,
                });
            }
        }
        let count = values.len();
        if count > 0 {
            let now = session.meta.now();
            let id = ig_user_id.to_owned();
            with_store(session, move |store| {
                let account = account_row(store, &id)?;
                Ok(store.write(|b| b.record_account_window(account, &values, now))?)
            })
            .await?;
        }
        Ok(count)
    }

    /// [`App::fill_period_reach`] in the background; the window hears `data_changed` when a
    /// number arrived.
    pub(crate) fn fill_period_reach_later(
        self: &Arc<Self>,
        ig_user_id: String,
        period: Period,
        tz: Tz,
    ) {
        let app = Arc::clone(self);
        tokio::spawn(async move {
            let Ok(session) = app.session().await else {
                return;
            };
            match app
                .fill_period_reach(&session, &ig_user_id, period, tz)
                .await
            {
                Ok(0) => {}
                Ok(_) => app.host.emit(AppEvent::DataChanged),
                Err(error) => log::info!("period reach not available now: {error}"),
            }
        });
    }
}

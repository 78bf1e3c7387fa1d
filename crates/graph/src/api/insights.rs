//! Insights requests, and what happens when Meta refuses a metric: it is dropped for its
//! scope, the refusal is recorded through [`MetricExclusions`](crate::MetricExclusions), and
//! the request is tried once more without it.

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt};
use reqwest::Method;

use super::comma;
use crate::catalog::{MetricGroup, MetricType};
use crate::client::{GraphClient, Request};
use crate::error::{ErrorClass, GraphError};
use crate::exclusions::ExclusionScope;
use crate::models::insights::Period;
use crate::models::{InsightMetric, Insights, MediaProductType, MediaType, Paging};
use crate::pagination::{MAX_INSIGHTS_SPAN, chunk_range};

/// An insights answer, and the metrics dropped on the way because Meta refused them.
#[derive(Debug, Clone, Default)]
pub struct InsightsAnswer {
    pub metrics: Vec<InsightMetric>,
    pub paging: Option<Paging>,
    /// Metrics Meta refused in this scope (now recorded as excluded).
    pub dropped: Vec<String>,
}

impl InsightsAnswer {
    pub fn metric(&self, name: &str) -> Option<&InsightMetric> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

/// The answer for one window of a ranged user-insights request.
#[derive(Debug, Clone)]
pub struct InsightsWindow {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub answer: InsightsAnswer,
}

/// Sends an insights request built by `build` for `requested` metrics, without the ones
/// already excluded in `scope`; when Meta refuses a metric, records it, drops it and tries
/// once more. No request is sent when nothing is left to ask for.
pub(crate) async fn fetch_insights(
    client: &GraphClient,
    scope: &ExclusionScope,
    requested: &[String],
    build: impl Fn(&[String]) -> Request,
) -> Result<InsightsAnswer, GraphError> {
    let exclusions = client.exclusions();
    let mut metrics: Vec<String> = requested
        .iter()
        .filter(|m| !exclusions.is_excluded(scope, m))
        .cloned()
        .collect();
    let mut dropped = Vec::new();
    let mut retried = false;
    loop {
        if metrics.is_empty() {
            return Ok(InsightsAnswer {
                dropped,
                ..InsightsAnswer::default()
            });
        }
        let mut request = build(&metrics);
        request.metrics = metrics.clone();
        let error = match client.execute::<Insights>(&request).await {
            Ok(page) => {
                return Ok(InsightsAnswer {
                    metrics: page.data,
                    paging: page.paging,
                    dropped,
                });
            }
            Err(error) => error,
        };
        let ErrorClass::MetricUnsupported { metric } = error.class() else {
            return Err(error);
        };
        let Some(culprit) = exclude_refused(client, scope, metric, &metrics, &error) else {
            return Err(error);
        };
        if retried {
            return Err(name_metric(error, culprit));
        }
        retried = true;
        metrics.retain(|m| m != &culprit);
        dropped.push(culprit);
    }
}

/// Finds the metric Meta refused among `metrics` (the one it named, else the catalog's
/// suspect), records it as excluded in `scope`, and returns it; `None` when it cannot be told.
pub(crate) fn exclude_refused(
    client: &GraphClient,
    scope: &ExclusionScope,
    named: Option<String>,
    metrics: &[String],
    error: &GraphError,
) -> Option<String> {
    let now = client.now();
    let named = named.and_then(|m| metrics.iter().find(|r| r.eq_ignore_ascii_case(&m)).cloned());
    let culprit = named.or_else(|| {
        client
            .catalog()
            .suspect(metrics, scope.level, client.version(), now.date_naive())
    })?;
    let reason = error
        .meta()
        .map(|m| m.message.clone())
        .unwrap_or_else(|| error.to_string());
    client
        .exclusions()
        .record_exclusion(scope, &culprit, &reason, now);
    log::warn!(
        "Meta refused the metric {culprit} for {} insights ({reason}); it will not be asked for again in this scope.",
        scope.level.as_str()
    );
    Some(culprit)
}

/// The error with the refused metric named, when only elimination could name it.
fn name_metric(error: GraphError, culprit: String) -> GraphError {
    match error {
        GraphError::Api {
            class: ErrorClass::MetricUnsupported { .. },
            meta,
            status,
            request,
        } => GraphError::Api {
            class: ErrorClass::MetricUnsupported {
                metric: Some(culprit),
            },
            meta,
            status,
            request,
        },
        other => other,
    }
}

/// `GET /{ig-user-id}/insights`.
#[derive(Debug, Clone)]
pub struct UserInsights {
    client: GraphClient,
    user_id: String,
    metrics: Vec<String>,
    metric_type: Option<MetricType>,
    period: Option<Period>,
    breakdown: Option<String>,
    timeframe: Option<String>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl UserInsights {
    pub(crate) fn new(client: GraphClient, user_id: &str) -> Self {
        Self {
            client,
            user_id: user_id.to_owned(),
            metrics: Vec::new(),
            metric_type: None,
            period: None,
            breakdown: None,
            timeframe: None,
            since: None,
            until: None,
        }
    }

    pub fn metrics<S: Into<String>>(mut self, metrics: impl IntoIterator<Item = S>) -> Self {
        self.metrics = metrics.into_iter().map(Into::into).collect();
        self
    }

    /// Everything of one catalog group: metrics, metric type, period, breakdown, timeframe.
    pub fn group(mut self, group: &MetricGroup) -> Self {
        self.metrics = group.metrics.clone();
        self.metric_type = group.metric_type;
        self.period = group.period.clone();
        self.breakdown = group.breakdown.clone();
        self.timeframe = group.timeframe.clone();
        self
    }

    pub fn metric_type(mut self, metric_type: MetricType) -> Self {
        self.metric_type = Some(metric_type);
        self
    }

    pub fn period(mut self, period: Period) -> Self {
        self.period = Some(period);
        self
    }

    pub fn breakdown(mut self, breakdown: &str) -> Self {
        self.breakdown = Some(breakdown.to_owned());
        self
    }

    pub fn timeframe(mut self, timeframe: &str) -> Self {
        self.timeframe = Some(timeframe.to_owned());
        self
    }

    pub fn range(mut self, since: DateTime<Utc>, until: DateTime<Utc>) -> Self {
        self.since = Some(since);
        self.until = Some(until);
        self
    }

    fn scope(&self) -> ExclusionScope {
        ExclusionScope::user(&self.user_id, self.client.login(), self.metric_type)
    }

    fn build(&self, metrics: &[String], window: Option<(DateTime<Utc>, DateTime<Utc>)>) -> Request {
        let mut request = self
            .client
            .graph(Method::GET, &format!("{}/insights", self.user_id))
            .query("metric", comma(metrics));
        if let Some(period) = &self.period {
            request.set_query("period", period.as_str());
        }
        if let Some(metric_type) = self.metric_type {
            request.set_query("metric_type", metric_type.as_str());
        }
        if let Some(breakdown) = &self.breakdown {
            request.set_query("breakdown", breakdown.clone());
        }
        if let Some(timeframe) = &self.timeframe {
            request.set_query("timeframe", timeframe.clone());
        }
        if let Some((since, until)) = window {
            request.set_query("since", since.timestamp().to_string());
            request.set_query("until", until.timestamp().to_string());
        }
        request
    }

    /// One request. A range longer than 30 days is refused here, before Meta refuses it: use
    /// [`UserInsights::windows`] for long ranges.
    pub async fn send(&self) -> Result<InsightsAnswer, GraphError> {
        let window = match (self.since, self.until) {
            (Some(since), Some(until)) => {
                if until - since > MAX_INSIGHTS_SPAN {
                    return Err(GraphError::RangeTooLong {
                        days: (until - since).num_days(),
                    });
                }
                Some((since, until))
            }
            _ => None,
        };
        fetch_insights(&self.client, &self.scope(), &self.metrics, |m| {
            self.build(m, window)
        })
        .await
    }

    /// The range cut into windows of at most 30 days (Meta's only time-paged edge), one
    /// request per window, oldest first. A metric dropped in one window is not asked for in
    /// the next. Without a range, this is one request for Meta's default (the last 24 h).
    pub fn windows(self) -> BoxStream<'static, Result<InsightsWindow, GraphError>> {
        let windows = match (self.since, self.until) {
            (Some(since), Some(until)) => chunk_range(since, until, MAX_INSIGHTS_SPAN),
            _ => Vec::new(),
        };
        if windows.is_empty() {
            let now = self.client.now();
            return stream::once(async move {
                let answer = self.send().await?;
                Ok(InsightsWindow {
                    since: now - chrono::Duration::days(1),
                    until: now,
                    answer,
                })
            })
            .boxed();
        }
        stream::iter(windows)
            .then(move |(since, until)| {
                let this = self.clone();
                async move {
                    let scope = this.scope();
                    let answer = fetch_insights(&this.client, &scope, &this.metrics, |m| {
                        this.build(m, Some((since, until)))
                    })
                    .await?;
                    Ok(InsightsWindow {
                        since,
                        until,
                        answer,
                    })
                }
            })
            .boxed()
    }
}

/// `GET /{ig-media-id}/insights`.
#[derive(Debug, Clone)]
pub struct MediaInsights {
    client: GraphClient,
    media_id: String,
    metrics: Vec<String>,
    breakdown: Option<String>,
    product_type: Option<MediaProductType>,
    media_type: Option<MediaType>,
}

impl MediaInsights {
    pub(crate) fn new(client: GraphClient, media_id: &str) -> Self {
        Self {
            client,
            media_id: media_id.to_owned(),
            metrics: Vec::new(),
            breakdown: None,
            product_type: None,
            media_type: None,
        }
    }

    pub fn metrics<S: Into<String>>(mut self, metrics: impl IntoIterator<Item = S>) -> Self {
        self.metrics = metrics.into_iter().map(Into::into).collect();
        self
    }

    pub fn breakdown(mut self, breakdown: &str) -> Self {
        self.breakdown = Some(breakdown.to_owned());
        self
    }

    /// The media's kind, which is the scope a refused metric is remembered in.
    pub fn kind(
        mut self,
        product_type: Option<MediaProductType>,
        media_type: Option<MediaType>,
    ) -> Self {
        self.product_type = product_type;
        self.media_type = media_type;
        self
    }

    pub(crate) fn scope(&self) -> ExclusionScope {
        ExclusionScope::media(
            self.client.account().unwrap_or_default(),
            self.client.login(),
            self.product_type.clone(),
            self.media_type.clone(),
        )
    }

    pub async fn send(&self) -> Result<InsightsAnswer, GraphError> {
        let build = |metrics: &[String]| {
            let mut request = self
                .client
                .graph(Method::GET, &format!("{}/insights", self.media_id))
                .query("metric", comma(metrics));
            if let Some(breakdown) = &self.breakdown {
                request.set_query("breakdown", breakdown.clone());
            }
            request
        };
        fetch_insights(&self.client, &self.scope(), &self.metrics, build).await
    }
}

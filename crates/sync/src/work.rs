//! Work items: one insights request each, described before it is sent, so the same item can go
//! out as a batch item (Facebook Login) or as a request of its own (Instagram Login), be sent
//! again without a refused metric, and be turned into store rows when it comes back.

use chrono::{DateTime, NaiveDate, Utc};
use insightdesk_graph::catalog::{Level, MetricType};
use insightdesk_graph::models::insights::Period;
use insightdesk_graph::models::{MediaProductType, MediaType};
use insightdesk_graph::{ExclusionScope, GraphClient, GraphError, InsightsAnswer, LoginKind};
use insightdesk_store::MediaId;

use crate::days::DaySpan;
use crate::schedule::StoryReading;

/// A post or story as the planner knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRef {
    pub id: MediaId,
    pub ig_id: String,
    pub product: MediaProductType,
    pub media_type: Option<MediaType>,
    pub posted_at: DateTime<Utc>,
}

/// What a work item belongs to, for the marks written when a kind of work is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    Story,
    Post,
    /// Recent account days (and any gap before them).
    Daily,
    Demographics,
    /// One chunk of account history, by its first day.
    History(NaiveDate),
}

/// One insights request.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// A post's or story's lifetime metrics: one catalog group (plain, or one breakdown).
    Media {
        media: MediaRef,
        metrics: Vec<String>,
        breakdown: Option<String>,
        /// Set for stories: which reading this is.
        story: Option<StoryReading>,
    },
    /// Time-series account metrics: one value per day of the span.
    Series { metrics: Vec<String>, span: DaySpan },
    /// Total-value account metrics over the span: a day's value when `window` is false (the
    /// span is one day), else one total for the whole window.
    Total {
        metrics: Vec<String>,
        breakdown: Option<String>,
        span: DaySpan,
        window: bool,
    },
    /// One demographics metric by one breakdown (lifetime).
    Demographics {
        metric: String,
        breakdown: String,
        timeframe: Option<String>,
    },
    /// `online_followers`: an hour-by-hour map per day of the span.
    OnlineFollowers { span: DaySpan },
}

/// A work item: what to ask, and what it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub tag: Tag,
    pub ask: Ask,
}

impl Ask {
    pub fn metrics(&self) -> Vec<String> {
        match self {
            Ask::Media { metrics, .. }
            | Ask::Series { metrics, .. }
            | Ask::Total { metrics, .. } => metrics.clone(),
            Ask::Demographics { metric, .. } => vec![metric.clone()],
            Ask::OnlineFollowers { .. } => vec!["online_followers".to_owned()],
        }
    }

    pub fn level(&self) -> Level {
        match self {
            Ask::Media { .. } => Level::Media,
            _ => Level::User,
        }
    }

    fn metric_type(&self) -> Option<MetricType> {
        match self {
            Ask::Media { .. } => None,
            Ask::Series { .. } | Ask::OnlineFollowers { .. } => Some(MetricType::TimeSeries),
            Ask::Total { .. } | Ask::Demographics { .. } => Some(MetricType::TotalValue),
        }
    }

    fn period(&self) -> Option<Period> {
        match self {
            Ask::Media { .. } => None,
            Ask::Series { .. } | Ask::Total { .. } => Some(Period::Day),
            Ask::Demographics { .. } | Ask::OnlineFollowers { .. } => Some(Period::Lifetime),
        }
    }

    fn breakdown(&self) -> Option<&str> {
        match self {
            Ask::Media { breakdown, .. } | Ask::Total { breakdown, .. } => breakdown.as_deref(),
            Ask::Demographics { breakdown, .. } => Some(breakdown),
            _ => None,
        }
    }

    fn range(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match self {
            Ask::Series { span, .. } | Ask::Total { span, .. } | Ask::OnlineFollowers { span } => {
                Some(span.range())
            }
            _ => None,
        }
    }

    /// Where Meta's refusal of a metric of this request is remembered.
    pub fn scope(&self, account: &str, login: LoginKind) -> ExclusionScope {
        match self {
            Ask::Media { media, .. } => ExclusionScope::media(
                account,
                login,
                Some(media.product.clone()),
                media.media_type.clone(),
            ),
            _ => ExclusionScope::user(account, login, self.metric_type()),
        }
    }

    /// The request's path and query (without token), for `metrics`.
    pub fn path_and_query(
        &self,
        account: &str,
        metrics: &[String],
    ) -> (String, Vec<(String, String)>) {
        let path = match self {
            Ask::Media { media, .. } => format!("{}/insights", media.ig_id),
            _ => format!("{account}/insights"),
        };
        let mut query = vec![("metric".to_owned(), metrics.join(","))];
        if let Some(period) = self.period() {
            query.push(("period".to_owned(), period.as_str().to_owned()));
        }
        if let Some(metric_type) = self.metric_type() {
            query.push(("metric_type".to_owned(), metric_type.as_str().to_owned()));
        }
        if let Some(breakdown) = self.breakdown() {
            query.push(("breakdown".to_owned(), breakdown.to_owned()));
        }
        if let Ask::Demographics {
            timeframe: Some(timeframe),
            ..
        } = self
        {
            query.push(("timeframe".to_owned(), timeframe.clone()));
        }
        if let Some((since, until)) = self.range() {
            query.push(("since".to_owned(), since.timestamp().to_string()));
            query.push(("until".to_owned(), until.timestamp().to_string()));
        }
        (path, query)
    }

    /// Sends this request on its own through the client's typed handlers, which drop a
    /// refused metric, remember it and try once more without it.
    pub async fn send(
        &self,
        client: &GraphClient,
        account: &str,
    ) -> Result<InsightsAnswer, GraphError> {
        if let Ask::Media {
            media,
            metrics,
            breakdown,
            ..
        } = self
        {
            let mut request = client
                .media(&media.ig_id)
                .insights()
                .metrics(metrics.clone())
                .kind(Some(media.product.clone()), media.media_type.clone());
            if let Some(breakdown) = breakdown {
                request = request.breakdown(breakdown);
            }
            return request.send().await;
        }
        let mut request = client.user(account).insights().metrics(self.metrics());
        if let Some(metric_type) = self.metric_type() {
            request = request.metric_type(metric_type);
        }
        if let Some(period) = self.period() {
            request = request.period(period);
        }
        if let Some(breakdown) = self.breakdown() {
            request = request.breakdown(breakdown);
        }
        if let Ask::Demographics {
            timeframe: Some(timeframe),
            ..
        } = self
        {
            request = request.timeframe(timeframe);
        }
        if let Some((since, until)) = self.range() {
            request = request.range(since, until);
        }
        request.send().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn requests_group_by_metric_type_and_breakdown_and_carry_whole_days() {
        let ask = Ask::Total {
            metrics: vec!["views".into(), "likes".into()],
            breakdown: Some("media_product_type".into()),
            span: DaySpan::one(day("2026-11-20")),
            window: false,
        };
        let (path, query) = ask.path_and_query("1784", &ask.metrics());
        assert_eq!(path, "1784/insights");
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            query,
            [
                "metric=views,likes",
                "period=day",
                "metric_type=total_value",
                "breakdown=media_product_type",
                // Pacific midnights (PST in November).
                "since=1795161600",
                "until=1795248000",
            ]
        );
        let demographics = Ask::Demographics {
            metric: "engaged_audience_demographics".into(),
            breakdown: "age".into(),
            timeframe: Some("this_month".into()),
        };
        let (_, query) = demographics.path_and_query("1784", &demographics.metrics());
        assert!(query.contains(&("timeframe".into(), "this_month".into())));
        assert!(query.contains(&("period".into(), "lifetime".into())));
        assert!(
            !query.iter().any(|(k, _)| k == "since"),
            "demographics take no range"
        );
        assert_eq!(
            demographics.scope("1784", LoginKind::Facebook).metric_type,
            Some(MetricType::TotalValue)
        );
    }
}

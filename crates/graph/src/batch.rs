//! The batch endpoint: up to 50 sub-requests in one HTTP request (Facebook Login's
//! graph.facebook.com only). It saves round trips, not quota: every sub-request counts.
//! A sub-request Meta did not finish in time comes back `null` and is sent again.

use crate::redact::redact_link;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::GraphClient;
use crate::error::{ErrorClass, GraphError, MetaError};
use crate::parse::read_answer;

/// Meta's limit of sub-requests per batch.
pub const MAX_BATCH: usize = 50;

/// One sub-request: a method and a URL relative to the Graph host, version included
/// (`v26.0/{id}/insights?metric=reach`). Never put a token in it: the batch's
/// `Authorization` header authorises every item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchRequest {
    pub method: String,
    pub relative_url: String,
}

impl BatchRequest {
    pub fn get(relative_url: impl Into<String>) -> Self {
        Self {
            method: "GET".into(),
            relative_url: relative_url.into(),
        }
    }

    /// The metrics of a `metric=` parameter, for naming a refused one.
    fn metrics(&self) -> Vec<String> {
        let query = self
            .relative_url
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default();
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "metric")
            .map(|(_, v)| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default()
    }
}

/// One sub-response.
#[derive(Debug, Clone)]
pub struct BatchResponse {
    pub code: u16,
    pub body: String,
    request: BatchRequest,
}

impl BatchResponse {
    /// The body as `T`, or the sub-request's error (classified like any other).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, GraphError> {
        let shown = format!(
            "batch item {} {}",
            self.request.method,
            redact_link(&self.request.relative_url)
        );
        read_answer(
            self.code,
            self.body.as_bytes(),
            shown,
            &self.request.metrics(),
        )
    }
}

#[derive(Deserialize)]
struct RawItem {
    code: u16,
    #[serde(default)]
    body: Option<String>,
}

/// Pairs a batch answer with the request indexes it answers (in order): the answered items,
/// and the indexes to send again because Meta answered `null` (a timed-out item) or nothing.
fn sort_answers(
    pending: &[usize],
    answers: Vec<Option<RawItem>>,
) -> (Vec<(usize, RawItem)>, Vec<usize>) {
    let mut answers = answers.into_iter();
    let mut answered = Vec::new();
    let mut again = Vec::new();
    for index in pending {
        match answers.next().flatten() {
            Some(item) => answered.push((*index, item)),
            None => again.push(*index),
        }
    }
    (answered, again)
}

impl GraphClient {
    /// A relative URL for a batch item on this client's version: `vNN.0/{path}?{query}`.
    pub fn batch_url(&self, path: &str, query: &[(&str, &str)]) -> String {
        let mut url = format!("{}/{}", self.version(), path.trim_start_matches('/'));
        if !query.is_empty() {
            let encoded = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(query)
                .finish();
            url.push('?');
            url.push_str(&encoded);
        }
        url
    }

    /// Sends `requests` in batches of at most 50 and answers one result per request, in
    /// order. Sub-requests that come back `null` (Meta's timeout) are sent again, as often as
    /// the retry policy allows; the whole call fails only if a batch request itself fails.
    pub async fn batch(
        &self,
        requests: Vec<BatchRequest>,
    ) -> Result<Vec<Result<BatchResponse, GraphError>>, GraphError> {
        if !self.login().has_batch() {
            return Err(GraphError::Unsupported("The batch endpoint"));
        }
        let mut results: Vec<Option<Result<BatchResponse, GraphError>>> =
            requests.iter().map(|_| None).collect();
        for chunk_start in (0..requests.len()).step_by(MAX_BATCH) {
            let chunk_end = (chunk_start + MAX_BATCH).min(requests.len());
            let mut pending: Vec<usize> = (chunk_start..chunk_end).collect();
            let mut attempt = 0;
            while !pending.is_empty() && attempt < self.retry_attempts() {
                attempt += 1;
                let items: Vec<&BatchRequest> = pending.iter().map(|i| &requests[*i]).collect();
                let batch_json =
                    serde_json::to_string(&items).map_err(|e| GraphError::Malformed {
                        request: "building a batch".into(),
                        reason: e.to_string(),
                    })?;
                let request = self
                    .graph(Method::POST, "")
                    .form(vec![
                        ("batch".into(), batch_json),
                        ("include_headers".into(), "false".into()),
                    ])
                    .cost(pending.len() as u64);
                let answers: Vec<Option<RawItem>> = self.execute(&request).await?;
                let (answered, still_pending) = sort_answers(&pending, answers);
                for (index, item) in answered {
                    let body = item.body.unwrap_or_default();
                    if (200..300).contains(&item.code)
                        && MetaError::from_body(body.as_bytes()).is_none()
                    {
                        self.offer_batch_item(&requests[index].relative_url, body.as_bytes());
                    }
                    if let Some(meta) = MetaError::from_body(body.as_bytes())
                        && let ErrorClass::Throttled { .. } = meta.class()
                    {
                        // A batch item carries no usage header of its own; the batch's answer
                        // did, and it already set the block to Meta's estimate. Only without
                        // one is the default block assumed.
                        let now = self.now();
                        if self.governor().status(now).blocked_until.is_none() {
                            self.governor().throttled(None, now);
                        }
                    }
                    results[index] = Some(Ok(BatchResponse {
                        code: item.code,
                        body,
                        request: requests[index].clone(),
                    }));
                }
                if !still_pending.is_empty() {
                    log::warn!(
                        "Meta did not finish {} of {} batch items in time; sending them again.",
                        still_pending.len(),
                        pending.len()
                    );
                }
                pending = still_pending;
            }
            for index in pending {
                results[index] = Some(Err(GraphError::Transport {
                    request: format!(
                        "batch item GET {}",
                        redact_link(&requests[index].relative_url)
                    ),
                    reason: "Meta did not finish this part of the batch in time".into(),
                    timed_out: true,
                }));
            }
        }
        Ok(results
            .into_iter()
            .map(|r| {
                r.unwrap_or(Err(GraphError::Transport {
                    request: "batch item".into(),
                    reason: "no answer".into(),
                    timed_out: false,
                }))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::LoginKind;

    #[test]
    fn relative_urls_carry_the_version_and_metrics_are_read_back() {
        let client = GraphClient::builder(LoginKind::Facebook).build().unwrap();
        let url = client.batch_url("/17/insights", &[("metric", "reach,views")]);
        assert_eq!(url, "v26.0/17/insights?metric=reach%2Cviews");
        assert_eq!(BatchRequest::get(url).metrics(), vec!["reach", "views"]);
    }

    #[test]
    fn null_and_missing_items_are_sent_again() {
        let answers: Vec<Option<RawItem>> = serde_json::from_str(
            r#"[{"code":200,"body":"{}"},null,{"code":400,"body":"{\"error\":{}}"}]"#,
        )
        .unwrap();
        let (answered, again) = sort_answers(&[7, 8, 9, 10], answers);
        let codes: Vec<(usize, u16)> = answered.iter().map(|(i, item)| (*i, item.code)).collect();
        assert_eq!(codes, [(7, 200), (9, 400)]);
        assert_eq!(again, [8, 10], "the null item and the one Meta left out");
    }

    #[test]
    fn sub_responses_classify_like_direct_ones() {
        let response = BatchResponse {
            code: 400,
            body: r#"{"error":{"message":"(#100) The Media Insights API does not support the views metric for this media product type.","type":"OAuthException","code":100}}"#.into(),
            request: BatchRequest::get("v26.0/1/insights?metric=reach,views"),
        };
        let error = response.parse::<serde_json::Value>().err().unwrap();
        assert_eq!(
            error.class(),
            ErrorClass::MetricUnsupported {
                metric: Some("views".into())
            }
        );
    }
}

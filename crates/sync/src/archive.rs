//! Meta's raw answers, collected while a step runs and archived in that step's store batch,
//! so the numbers can be recomputed if Meta renames a metric.

use std::sync::Mutex;

use insightdesk_graph::{RawAnswer, ResponseSink};
use insightdesk_store::{AccountId, ArchivedResponse, StoreError, WriteBatch};

/// One answer waiting for its step to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collected {
    pub endpoint: String,
    pub api_version: String,
    pub body: Vec<u8>,
}

/// A [`ResponseSink`] that keeps answers until the engine writes them.
#[derive(Debug, Default)]
pub struct AnswerCollector {
    enabled: bool,
    answers: Mutex<Vec<Collected>>,
}

impl AnswerCollector {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            answers: Mutex::new(Vec::new()),
        }
    }

    /// The answers collected since the last call.
    pub fn take(&self) -> Vec<Collected> {
        self.answers
            .lock()
            .map(|mut a| std::mem::take(&mut *a))
            .unwrap_or_default()
    }

    /// Archives answers through the step's batch; returns how many were written.
    pub fn write(
        batch: &mut WriteBatch<'_>,
        account: AccountId,
        answers: &[Collected],
        fetched_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        for answer in answers {
            batch.archive_response(
                &ArchivedResponse {
                    account: Some(account),
                    endpoint: &answer.endpoint,
                    api_version: &answer.api_version,
                    body: &answer.body,
                },
                fetched_at,
            )?;
        }
        Ok(answers.len() as u64)
    }
}

impl ResponseSink for AnswerCollector {
    fn received(&self, answer: &RawAnswer<'_>) {
        if !self.enabled {
            return;
        }
        // A body that carries a token (a Page list) is never kept, whatever asked for it.
        if contains(answer.body, b"access_token") {
            return;
        }
        if let Ok(mut answers) = self.answers.lock() {
            answers.push(Collected {
                endpoint: answer.endpoint.to_owned(),
                api_version: answer.api_version.to_owned(),
                body: answer.body.to_vec(),
            });
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_with_tokens_are_never_collected() {
        let collector = AnswerCollector::new(true);
        collector.received(&RawAnswer {
            endpoint: "/v26.0/me/accounts",
            api_version: "v26.0",
            body: br#"{"data":[{"access_token":"EAAB"}]}"#,
        });
        collector.received(&RawAnswer {
            endpoint: "/v26.0/1/insights?metric=reach",
            api_version: "v26.0",
            body: br#"{"data":[]}"#,
        });
        let kept = collector.take();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].endpoint, "/v26.0/1/insights?metric=reach");
        assert!(collector.take().is_empty());
        let off = AnswerCollector::new(false);
        off.received(&RawAnswer {
            endpoint: "/v26.0/1",
            api_version: "v26.0",
            body: b"{}",
        });
        assert!(off.take().is_empty());
    }
}

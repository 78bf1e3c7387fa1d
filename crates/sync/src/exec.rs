//! Sending work items: up to 50 per batch request where the login has the batch endpoint
//! (Facebook Login's graph.facebook.com), one request each where it has not (Instagram
//! Login's graph.instagram.com answers no batch).
//!
//! Either way an item ends in one of three ways: an answer; an error that concerns the item
//! only (a story with too few viewers, a post from before the business conversion, a metric
//! refused twice), which the engine records and moves past; or an error that stops the run (the
//! token is gone, Meta keeps throttling, the network keeps failing, cancellation). Throttling
//! and passing failures never become "no data": the item is sent again, or the run stops and
//! the next one asks again.

use chrono::{DateTime, Utc};
use insightdesk_graph::models::Insights;
use insightdesk_graph::{BatchRequest, ErrorClass, GraphClient, GraphError, InsightsAnswer};

use crate::work::Work;

/// How often one batch item is sent before its failure stops the run.
const MAX_ITEM_TRIES: u32 = 5;

/// One finished work item.
#[derive(Debug)]
pub struct Outcome {
    pub work: Work,
    pub result: Result<InsightsAnswer, GraphError>,
}

/// What a step's sending produced: every finished item, and the error that stopped it, if one
/// did (the finished items are still written).
#[derive(Debug, Default)]
pub struct Executed {
    pub outcomes: Vec<Outcome>,
    pub fatal: Option<GraphError>,
}

/// Whether an error of an item stops the run rather than the item.
fn stops_the_run(error: &GraphError) -> bool {
    error.is_cancelled()
        || matches!(
            error.class(),
            ErrorClass::NeedsReauth | ErrorClass::Throttled { .. } | ErrorClass::Transient
        )
}

/// The metric Meta refused among `metrics`: the one it named, else the catalog's suspect.
fn culprit(
    client: &GraphClient,
    error: &GraphError,
    metrics: &[String],
    work: &Work,
    now: DateTime<Utc>,
) -> Option<String> {
    let ErrorClass::MetricUnsupported { metric } = error.class() else {
        return None;
    };
    metric
        .and_then(|named| {
            metrics
                .iter()
                .find(|m| m.eq_ignore_ascii_case(&named))
                .cloned()
        })
        .or_else(|| {
            client.catalog().suspect(
                metrics,
                work.ask.level(),
                client.version(),
                now.date_naive(),
            )
        })
}

struct Slot {
    work: Work,
    metrics: Vec<String>,
    dropped: Vec<String>,
    refused_once: bool,
    tries: u32,
}

/// Sends `works` through the batch endpoint, 50 per request, sending items again that Meta
/// did not finish, throttled, or refused a metric of (without that metric, once).
pub async fn run_batched(client: &GraphClient, account: &str, works: Vec<Work>) -> Executed {
    let login = client.login();
    let exclusions = client.exclusions().clone();
    let mut slots: Vec<Slot> = works
        .into_iter()
        .map(|work| Slot {
            metrics: work.ask.metrics(),
            work,
            dropped: Vec::new(),
            refused_once: false,
            tries: 0,
        })
        .collect();
    let mut results: Vec<Option<Result<InsightsAnswer, GraphError>>> =
        slots.iter().map(|_| None).collect();
    let mut pending: Vec<usize> = (0..slots.len()).collect();
    let mut fatal = None;
    while !pending.is_empty() && fatal.is_none() {
        let mut sending = Vec::new();
        for index in pending.drain(..) {
            let slot = &mut slots[index];
            let scope = slot.work.ask.scope(account, login);
            slot.metrics.retain(|m| !exclusions.is_excluded(&scope, m));
            if slot.metrics.is_empty() {
                // Everything it asked for is refused in this scope: nothing to send.
                results[index] = Some(Ok(InsightsAnswer {
                    dropped: std::mem::take(&mut slot.dropped),
                    ..InsightsAnswer::default()
                }));
            } else {
                sending.push(index);
            }
        }
        if sending.is_empty() {
            break;
        }
        let requests: Vec<BatchRequest> = sending
            .iter()
            .map(|index| {
                let slot = &slots[*index];
                let (path, query) = slot.work.ask.path_and_query(account, &slot.metrics);
                let query: Vec<(&str, &str)> = query
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                BatchRequest::get(client.batch_url(&path, &query))
            })
            .collect();
        let answers = match client.batch(requests).await {
            Ok(answers) => answers,
            Err(error) => {
                fatal = Some(error);
                break;
            }
        };
        let now = client.now();
        for (index, answer) in sending.into_iter().zip(answers) {
            let slot = &mut slots[index];
            slot.tries += 1;
            let error = match answer.and_then(|response| response.parse::<Insights>()) {
                Ok(page) => {
                    results[index] = Some(Ok(InsightsAnswer {
                        metrics: page.data,
                        paging: page.paging,
                        dropped: slot.dropped.clone(),
                    }));
                    continue;
                }
                Err(error) => error,
            };
            if !slot.refused_once
                && let Some(refused) = culprit(client, &error, &slot.metrics, &slot.work, now)
            {
                let scope = slot.work.ask.scope(account, login);
                let reason = error
                    .meta()
                    .map(|m| m.message.clone())
                    .unwrap_or_else(|| error.to_string());
                exclusions.record_exclusion(&scope, &refused, &reason, now);
                slot.metrics.retain(|m| m != &refused);
                slot.dropped.push(refused);
                slot.refused_once = true;
                pending.push(index);
                continue;
            }
            if stops_the_run(&error) {
                let retryable = !error.is_cancelled()
                    && error.class().is_retryable()
                    && slot.tries < MAX_ITEM_TRIES;
                if retryable {
                    pending.push(index);
                } else if fatal.is_none() {
                    fatal = Some(error);
                }
                continue;
            }
            results[index] = Some(Err(error));
        }
    }
    let outcomes = slots
        .into_iter()
        .zip(results)
        .filter_map(|(slot, result)| {
            result.map(|result| Outcome {
                work: slot.work,
                result,
            })
        })
        .collect();
    Executed { outcomes, fatal }
}

/// Sends `works` one request each (the client drops a refused metric and tries once more on
/// its own, and waits out throttling and passing failures as its retry policy allows).
pub async fn run_direct(client: &GraphClient, account: &str, works: Vec<Work>) -> Executed {
    let mut executed = Executed::default();
    for work in works {
        let result = work.ask.send(client, account).await;
        match result {
            Err(error) if stops_the_run(&error) => {
                executed.fatal = Some(error);
                break;
            }
            result => executed.outcomes.push(Outcome { work, result }),
        }
    }
    executed
}

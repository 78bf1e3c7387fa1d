//! Every request the sandbox answered, so tests and benchmarks can count calls.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::VecDeque;

/// Entries kept in memory; older ones are dropped (the counters keep counting).
const MAX_ENTRIES: usize = 200_000;

/// One answered request, or one item of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerEntry {
    pub seq: u64,
    /// The sandbox's "now" when the request was answered.
    pub at: DateTime<Utc>,
    pub method: String,
    /// `/{host}/{path}?{query}` with access tokens, secrets and codes removed.
    pub path: String,
    pub status: u16,
    /// True for an HTTP request; false for an item inside a batch.
    pub http_request: bool,
    /// Calls Meta counts against rate limits: 1 for a Graph call, 0 for a batch envelope (its
    /// items count), 1 + N for a media page with N expanded `insights`, 0 for pages and images.
    pub counted_calls: u32,
    /// The injected fault, if any (`5xx`, `reset`, `delay`, ...).
    pub fault: Option<String>,
    pub app_id: Option<String>,
    pub ig_user_id: Option<String>,
    /// For batch items: the `seq` of the batch request.
    pub batch_of: Option<u64>,
}

#[derive(Debug, Default)]
pub(crate) struct Ledger {
    entries: VecDeque<LedgerEntry>,
    http_requests: u64,
    counted_calls: u64,
}

impl Ledger {
    pub(crate) fn push(&mut self, entry: LedgerEntry) {
        if entry.http_request {
            self.http_requests += 1;
        }
        self.counted_calls += u64::from(entry.counted_calls);
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> Vec<LedgerEntry> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn http_requests(&self) -> u64 {
        self.http_requests
    }

    pub(crate) fn counted_calls(&self) -> u64 {
        self.counted_calls
    }

    pub(crate) fn clear(&mut self) {
        *self = Ledger::default();
    }
}

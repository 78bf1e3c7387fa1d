//! The Graph API client: the only code in Insightdesk that speaks HTTP to Meta.
//!
//! - [`Endpoints`], [`ApiVersion`] and [`LoginKind`] say where Meta is and which of its two
//!   Instagram APIs a token belongs to.
//! - [`GraphClient`] sends every request: the token in the `Authorization` header (never in a
//!   query string we build), `appsecret_proof` when the app secret is at hand, pacing by the
//!   [`Governor`], retries of transient failures, counters of HTTP requests and of the calls
//!   Meta counts. Handlers per area: [`GraphClient::user`], [`GraphClient::media`],
//!   [`GraphClient::me`], [`GraphClient::oauth`], [`GraphClient::batch`],
//!   [`GraphClient::subscriptions`] (webhook subscriptions).
//! - [`models`] are the typed answers; [`catalog`] says which metrics Meta answers where;
//!   [`MetricExclusions`] remembers the ones it refused anyway.
//! - [`ResponseSink`] receives the raw body of every successful answer, for the archive.
//! - [`GraphError`] is the one error type; [`GraphError::class`] tells the caller what to do.
//!
//! Every URL that reaches a log line, an error or a `Debug` output is redacted with
//! [`insightdesk_secret::redact_url`]; tokens are [`insightdesk_secret::Sensitive`].

pub mod api;
pub mod batch;
pub mod catalog;
pub mod client;
pub mod clock;
pub mod endpoints;
pub mod error;
pub mod exclusions;
pub mod governor;
pub mod models;
pub mod oauth;
pub mod pagination;
pub mod parse;
mod redact;
pub mod retry;
pub mod sink;
pub mod usage;

pub use api::{
    AppSubscription, InsightsAnswer, InsightsWindow, MeHandler, MediaHandler, MediaInsights,
    MediaList, Subscriptions, UserHandler, UserInsights,
};
pub use batch::{BatchRequest, BatchResponse, MAX_BATCH};
pub use catalog::{Catalog, Level, MetricGroup, MetricSpec, MetricStatus, MetricType, Selector};
pub use client::{
    CallCounts, Counters, GraphClient, GraphClientBuilder, MAX_MEDIA_FILE_BYTES, MediaFile,
    appsecret_proof,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use endpoints::{ApiVersion, Endpoints, Host, LoginKind};
pub use error::{ErrorClass, ErrorShape, GraphError, MetaError};
pub use exclusions::{Exclusion, ExclusionScope, InMemoryExclusions, MetricExclusions};
pub use governor::{Governor, GovernorConfig, GovernorStatus, Governors, Permit};
pub use oauth::{AppCredentials, AuthorizeParams, AuthorizeUrl, OAuth, pkce_challenge};
pub use pagination::{MAX_INSIGHTS_SPAN, MEDIA_CAP, chunk_range};
pub use retry::RetryPolicy;
pub use sink::{RawAnswer, ResponseSink};
pub use usage::{AppUsage, BusinessUsage, Usage};

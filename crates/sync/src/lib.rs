//! The sync: what to read from Instagram when, at the lowest cost Meta allows, into the local
//! store, which keeps every reading for ever.
//!
//! - [`SyncJob`] runs one sync of one account: an overview call (profile, newest posts, live
//!   stories: one call), the first sync's listing of every post, then every insights request
//!   that is due, in steps. Each step's data, progress cursor, counters and resume state are
//!   one store transaction, so a killed run leaves whole steps and the next run continues.
//! - The planner ([`plan`]) decides what is due from the store alone: posts at fixed ages
//!   (1 h, 6 h, 24 h, 3 d, 7 d, 30 d, 90 d, then monthly to a year and quarterly after),
//!   live stories hourly and once in their final hour, recent account days one day at a time
//!   (the last few re-read), history in 30-day windows, demographics weekly — each kind only
//!   once its [`Freshness`] window has passed.
//! - Requests go out 50 to a batch with Facebook Login; Instagram Login's host has no batch
//!   endpoint, so there each goes alone. The governor is asked before spending; throttling is
//!   waited out or ends the run with the time to resume, never recorded as "no data".
//! - [`StoreExclusions`] keeps the metrics Meta refused in the store, so a refusal is learned
//!   once and shown as one warning.
//! - A metric the catalog says Meta removed stops being asked for on its day; when the store
//!   has history of it, the creator is told once per account and metric ([`dropped`]).
//!
//! Time comes from the client's clock (the sandbox's in tests); nothing here reads the
//! computer's clock to decide anything.

mod archive;
pub mod days;
pub mod dropped;
mod engine;
mod error;
mod exclusions;
mod exec;
pub mod plan;
mod policy;
mod record;
mod report;
pub mod schedule;
mod work;

pub use engine::SyncJob;
pub use error::SyncError;
pub use exclusions::{LearnedExclusion, StoreExclusions};
pub use policy::{Freshness, OlderReads, SyncPolicy};
pub use report::{NoProgress, Phase, Progress, ProgressUpdate, SyncReport};
pub use work::{Ask, MediaRef, Tag, Work};

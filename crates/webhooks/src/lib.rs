//! Real-time engagement for Insightdesk.
//!
//! * **Servers** ([`serve`], [`WebhookServer`]): the endpoint Meta POSTs webhook deliveries to,
//!   for publishers and power users who run `insightdesk webhooks serve`. It answers the
//!   subscription handshake, refuses every delivery whose `X-Hub-Signature-256` matches none
//!   of the app secrets it serves (compared in constant time, over the exact raw body), and writes
//!   `comments`, `mentions` and `story_insights` into the same store the desktop reads, through
//!   one writer that batches deliveries into transactions. Meta retries deliveries; a replay
//!   is stored once. Other fields are acknowledged and ignored.
//! * **Desktops** ([`poll_engagement`]): a desktop cannot be reached by Meta, so it polls the
//!   comments of recent posts and the media it is tagged in, within a call budget and the
//!   governor's pacing, and returns what is new.
//! * Subscribing an account to the webhooks is a Graph call, so it lives in the graph crate:
//!   [`insightdesk_graph::Subscriptions`] (`client.subscriptions()`).
//!
//! ## How `story_insights` is stored
//! Meta sends a story's final numbers about an hour after it expired, under the old metric
//! names ([`STORY_WEBHOOK_METRICS`]), which are kept as they are. Each value is a reading of
//! the story at the event time; the story is marked captured (`final`). A value Meta sends as
//! `-1` (fewer than 5) is stored as *no reading* of that metric plus a reading `1` of the flag
//! metric `<metric>.under_5` ([`under_five_flag`]) — never as a negative count. A story the
//! store never saw gets a row of its own (see the writer's notes on its estimated date).

mod error;
mod payload;
mod poll;
mod server;
mod signature;
mod writer;

pub use error::WebhookError;
pub use payload::{
    Delivery, PayloadError, Record, STORY_WEBHOOK_METRICS, StoryReading, StoryValue,
    UNDER_FIVE_SUFFIX, parse_delivery, under_five_flag,
};
pub use poll::{PollBudget, PollReport, PollStop, poll_engagement};
pub use server::{DeliveryStats, MAX_BODY_BYTES, ServerConfig, StoreSource, WebhookServer, serve};
pub use signature::{
    SIGNATURE_HEADER, SignatureError, signature_header, verify_signature, verify_signature_by_any,
    verify_token_matches,
};

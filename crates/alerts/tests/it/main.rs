//! Alert rules on tiny hand-made rows (golden texts), on the sandbox creator's history read
//! through the Graph client, deduplication, acknowledgement and settings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod golden;
mod history;
mod lifecycle;
mod settings;
mod support;

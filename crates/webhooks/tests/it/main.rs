//! Integration tests of the webhook receiver (over HTTP on loopback, with Meta's recorded
//! payloads from fixtures/graph/), of polling against the sandbox, and fuzzing of the
//! signature check and the payload reader.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod deliveries;
mod fuzz;
mod handshake;
mod poll;
mod stories;
mod support;

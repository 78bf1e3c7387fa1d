//! Integration tests of the broker: an instance served in-process in front of the sandbox,
//! driven over HTTP like a browser and a desktop would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod flow;
mod logger;
mod support;

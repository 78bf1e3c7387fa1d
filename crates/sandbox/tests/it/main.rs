//! Integration tests of the simulated Meta platform, over HTTP like the real clients.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod conformance;
mod faults;
mod graph;
mod insights;
mod limits;
mod oauth;
mod robustness;
mod support;
mod world;

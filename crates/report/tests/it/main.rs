//! Integration tests of the report crate: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analytics;
mod bad_input;
mod csv;
mod export;
mod generated;
mod pdf;
mod sample;
mod text;

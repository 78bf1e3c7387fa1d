//! Integration tests of the sync against the sandbox: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod faults;
mod first_sync;
mod incremental;
mod kill;
mod matrix;
mod ontime;
mod removal;
mod small_account;
mod support;

//! Integration tests of the store: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod crash;
mod disk_full;
mod dump;
mod median_at_age;
mod open;
mod queries;
mod sample;
mod windows;
mod writes;

//! Integration tests of the application layer, headless, against the in-process demo.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod bindings;
mod demo_history;
mod desktop_commands;
mod engagement;
mod freshness;
mod rpc;
mod schedule;
mod screens;
mod support;

//! Integration tests of the Graph client: recorded fixtures, fuzzing of every parser, the
//! token canary, and (against the sandbox) every endpoint, error class and fault.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod canary;
mod classes;
mod endpoints;
mod faults;
mod fixtures;
mod fuzz;
mod lifecycle;
mod limits;
mod logger;
mod sink;
mod subscriptions;
mod support;

//! Integration tests of the Graph client: recorded fixtures, fuzzing of every parser, the
//! token canary, and (against the sandbox) every endpoint, error class and fault.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod canary;
mod fixtures;
mod fuzz;
mod logger;

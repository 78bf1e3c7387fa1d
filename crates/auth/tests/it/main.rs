//! Integration tests of the sign-in crate: both logins in all three configurations against the
//! sandbox (a browser followed over HTTP), every rejection of the loopback receiver, the
//! vaults (a real gnome-keyring when a session bus is there), refresh, sign-out and the canary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod canary;
mod fuzz;
mod lifecycle;
mod logger;
mod receiver;
mod signin;
mod support;
mod vault;

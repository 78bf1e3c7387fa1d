//! End-to-end tests of the real desktop app: the built binary under Xvfb, driven over
//! WebDriver (tauri-driver in front of WebKitWebDriver), with screenshots kept under
//! `target/e2e/`.
//!
//! These need a display and the two drivers. Without them the tests say so and pass, unless
//! `E2E_REQUIRED=1` (set by the test command), where a missing piece is a failure: a test
//! that silently skips in CI hides breakage.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;
mod smoke;

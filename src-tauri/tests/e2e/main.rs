//! End-to-end tests of the real desktop app: the built binary under Xvfb, driven over
//! WebDriver (tauri-driver in front of WebKitWebDriver), with screenshots kept under
//! `target/e2e/` and measured figures in `target/e2e/figures.txt`.
//!
//! These need a display and the two drivers. Without them the tests say so and pass, unless
//! `E2E_REQUIRED=1` (set by the test command), where a missing piece is a failure: a test
//! that silently skips in CI hides breakage. The tests take turns: the app is single-instance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod demo;
mod engagement;
mod external_meta;
mod figures;
mod harness;
mod meta_faults;
mod smoke;

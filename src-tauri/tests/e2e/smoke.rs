use std::time::Duration;

use crate::harness::{Session, prerequisites_met};

/// The window opens, titled "Insightdesk", and shows the version and data folder it read
/// from Rust: the first round trip through the typed IPC.
#[tokio::test(flavor = "multi_thread")]
async fn window_shows_version_and_data_dir_from_rust() {
    if !prerequisites_met() {
        return;
    }
    let session = Session::start().await;
    let version = session.text_of("[data-testid=app-version]").await;
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let data_dir = session.text_of("[data-testid=data-dir]").await;
    assert_eq!(data_dir, session.data_dir.path().display().to_string());
    let title = session.client.title().await.expect("title");
    assert_eq!(title, "Insightdesk");
    let shot = session.screenshot("foundation-round-trip").await;
    assert!(std::fs::metadata(&shot).expect("screenshot").len() > 1000);

    // Without an own Meta app set up, "Continue with Facebook" opens the setup panel with the
    // steps and the exact redirect URI to register.
    session.click("[data-testid=continue-facebook]").await;
    session
        .find("[data-testid=own-app-setup]", Duration::from_secs(10))
        .await;
    let redirect = session
        .find("[data-testid=redirect-uri]", Duration::from_secs(10))
        .await
        .prop("value")
        .await
        .expect("the redirect URI")
        .unwrap_or_default();
    assert_eq!(redirect, "http://localhost:47813/callback");
    session.screenshot("welcome-own-app-setup").await;
    session.close().await;
}

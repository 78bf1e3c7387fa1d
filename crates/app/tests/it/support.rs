use std::sync::Arc;

use insightdesk_app::{App, AppConfig, DataDir, RecordingHost};
use insightdesk_auth::VaultKind;
use insightdesk_secret::Sensitive;

/// An app over a fresh data folder, with the encrypted-file vault so tests need no keyring.
pub struct TestApp {
    pub app: Arc<App>,
    pub host: Arc<RecordingHost>,
    pub dir: tempfile::TempDir,
}

pub fn test_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(DataDir::resolve(Some(dir.path().into()), None, None).unwrap());
    config.vault = VaultKind::File;
    // Most tests want the demo as its first sign-in leaves it; `demo_history` replays weeks.
    config.demo_history_days = 0;
    config.vault_key = Some(Sensitive::new(
        "a-test-vault-key-that-is-long-enough-0123".into(),
    ));
    let host = Arc::new(RecordingHost::default());
    let app = Arc::new(App::new(config, host.clone()));
    TestApp { app, host, dir }
}

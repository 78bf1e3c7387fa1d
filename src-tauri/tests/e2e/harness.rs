//! Starts tauri-driver, opens a WebDriver session on the app binary, and tears both down.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// Where screenshots go: `target/e2e/` of the workspace, whatever `CARGO_TARGET_DIR` says, so
/// CI keeps them with the clone.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).expect("create target/e2e");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Returns why end-to-end tests cannot run here, if they cannot.
fn missing_prerequisite() -> Option<String> {
    if std::env::var_os("DISPLAY").is_none() {
        return Some("no DISPLAY (run under xvfb-run)".into());
    }
    for program in ["tauri-driver", "WebKitWebDriver"] {
        if !on_path(program) {
            return Some(format!("{program} is not on PATH"));
        }
    }
    None
}

/// True when the test should run; false (after saying why) when it may be skipped.
pub fn prerequisites_met() -> bool {
    match missing_prerequisite() {
        None => true,
        Some(why) if std::env::var("E2E_REQUIRED").as_deref() == Ok("1") => {
            panic!("end-to-end tests are required but cannot run: {why}")
        }
        Some(why) => {
            eprintln!("skipping end-to-end test: {why}");
            false
        }
    }
}

/// One running app under WebDriver.
pub struct Session {
    pub client: Client,
    driver: Child,
    pub data_dir: tempfile::TempDir,
}

impl Session {
    /// Starts tauri-driver and the app with a fresh data directory.
    pub async fn start() -> Session {
        let data_dir = tempfile::tempdir().expect("temp data dir");
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            // The app inherits this environment from the driver.
            .env("INSIGHTDESK_DATA_DIR", data_dir.path())
            .env("XDG_DATA_HOME", data_dir.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", data_dir.path().join("xdg-config"))
            // Not WEBKIT_DISABLE_COMPOSITING_MODE / WEBKIT_DISABLE_DMABUF_RENDERER: with either
            // set, WebKitWebDriver's screenshot never answers under Xvfb.
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tauri-driver");

        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": env!("CARGO_BIN_EXE_insightdesk-desktop") }
        });
        let capabilities = capabilities.as_object().cloned().expect("object");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if Instant::now() < deadline => {
                    let _ = error; // tauri-driver is still starting
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(error) => panic!("could not open a WebDriver session: {error}"),
            }
        };
        Session {
            client,
            driver,
            data_dir,
        }
    }

    /// Waits for an element by CSS selector and returns its text.
    pub async fn text_of(&self, css: &str) -> String {
        let element = self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"));
        element.text().await.expect("element text")
    }

    /// Saves a screenshot as `target/e2e/{name}.png`, after a short pause so the frame shown
    /// is the one the last assertion saw.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        tokio::time::sleep(Duration::from_millis(800)).await;
        let png = tokio::time::timeout(Duration::from_secs(30), self.client.screenshot())
            .await
            .expect("the screenshot did not come back within 30 s")
            .expect("screenshot");
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

//! The `insightdesk` binary, run as a user would run it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod canary;
mod data;
mod webhooks;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Kills the child when the test ends, pass or fail.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn sandbox_prints_its_url_and_credentials_and_answers_me() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .args(["sandbox", "--seed", "7", "--now", "2026-11-26T12:00:00Z"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.take_stdout();
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let base = lines.next().unwrap().unwrap();
    let credentials: serde_json::Value =
        serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with('/'),
        "{base}"
    );
    for key in [
        "facebook_app",
        "instagram_app",
        "ig_user_id",
        "page_id",
        "fb_user_id",
        "small_ig_user_id",
        "user_token",
        "instagram_token",
    ] {
        assert!(credentials.get(key).is_some(), "credentials carry {key}");
    }
    assert_ne!(
        credentials["facebook_app"]["app_id"],
        credentials["instagram_app"]["app_id"]
    );
    let token = credentials["user_token"]["access_token"].as_str().unwrap();
    let me = get_json(&format!("{base}/graph.facebook.com/v24.0/me"), token).await;
    assert_eq!(me["id"], credentials["fb_user_id"]);
    assert_eq!(me["name"], "Maya Okafor");
    let ig_token = credentials["instagram_token"]["access_token"]
        .as_str()
        .unwrap();
    let ig = get_json(
        &format!("{base}/graph.instagram.com/me?fields=user_id,username"),
        ig_token,
    )
    .await;
    assert_eq!(ig["user_id"], credentials["ig_user_id"]);
    drop(running);
}

async fn get_json(url: &str, token: &str) -> serde_json::Value {
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

pub trait TakeStdout {
    fn take_stdout(&mut self) -> std::process::ChildStdout;
}

impl TakeStdout for Child {
    fn take_stdout(&mut self) -> std::process::ChildStdout {
        self.stdout.take().expect("stdout is piped")
    }
}

#[test]
fn help_lists_only_what_exists() {
    let output = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for present in [
        "sandbox", "login", "accounts", "logout", "sync", "report", "export", "webhooks",
    ] {
        assert!(text.contains(present), "--help lists `{present}`");
    }
    let sandbox = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .args(["sandbox", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(sandbox.stdout).unwrap();
    for flag in ["--port", "--seed", "--now", "--faults"] {
        assert!(text.contains(flag), "sandbox --help shows {flag}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .args(["sandbox", "--faults", "boom=1"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("fault plan")
    );
}

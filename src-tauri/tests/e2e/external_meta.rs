//! A simulated Meta outside the app — `insightdesk sandbox` — whose faults a test changes
//! while the app runs, and a main profile provisioned against it with the command line, as a
//! creator who signed in before would have it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The encrypted-file vault's key for these tests (the app gets it from its environment).
pub const VAULT_KEY: &str = "an-e2e-vault-key-that-is-long-enough-42";

/// The `insightdesk` command line. `cargo test --workspace` builds it (the CLI crate has
/// integration tests, so cargo builds its binary before any test runs); it sits beside this
/// test binary's `deps/` folder.
pub fn cli_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let debug = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let cli = debug.join("insightdesk");
    assert!(
        cli.is_file(),
        "{} is missing: build it with `cargo build -p insightdesk-cli` (cargo test --workspace does)",
        cli.display()
    );
    cli
}

pub struct ExternalMeta {
    child: Child,
    pub base_url: String,
    pub credentials: serde_json::Value,
}

impl ExternalMeta {
    /// Starts `insightdesk sandbox --seed SEED` and reads its base URL and credentials.
    pub fn start(seed: u64) -> ExternalMeta {
        let mut child = Command::new(cli_binary())
            .args(["sandbox", "--seed", &seed.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start insightdesk sandbox");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base_url = lines.next().expect("line 1").expect("base URL");
        let credentials = lines.next().expect("line 2").expect("credentials");
        let credentials = serde_json::from_str(&credentials).expect("credentials JSON");
        ExternalMeta {
            child,
            base_url,
            credentials,
        }
    }

    pub fn credential(&self, pointer: &str) -> String {
        self.credentials
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no {pointer} in the sandbox's credentials"))
            .to_owned()
    }

    /// The demo creator's Instagram account id.
    pub fn creator(&self) -> String {
        self.credential("/ig_user_id")
    }

    /// Replaces the fault plan (`POST /__sandbox/faults`).
    pub async fn set_faults(&self, spec: &str) {
        let answer = reqwest::Client::new()
            .post(format!("{}/__sandbox/faults", self.base_url))
            .body(spec.to_owned())
            .send()
            .await
            .expect("the sandbox answers");
        assert!(answer.status().is_success(), "faults {spec:?} refused");
    }

    /// Signs the demo creator into the main profile of `data_dir` with the command line, the
    /// token piped in as `insightdesk login --token -` takes it; with `own_app`, the Meta app's
    /// id and secret are saved too, so the desktop can sign in again through the browser.
    pub fn provision(&self, data_dir: &Path, own_app: bool) {
        let mut command = Command::new(cli_binary());
        command
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--meta-base", &self.base_url, "--vault", "file", "login"])
            .env("INSIGHTDESK_VAULT_KEY", VAULT_KEY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut input = String::new();
        if own_app {
            command.args(["--app-id", &self.credential("/facebook_app/app_id")]);
            command.args(["--app-secret", "-"]);
            input.push_str(&self.credential("/facebook_app/app_secret"));
            input.push('\n');
        }
        command.args(["--token", "-"]);
        input.push_str(&self.credential("/user_token/access_token"));
        input.push('\n');
        let mut child = command.spawn().expect("run insightdesk login");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("pipe the token");
        let output = child.wait_with_output().expect("insightdesk login ends");
        assert!(
            output.status.success(),
            "insightdesk login failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for ExternalMeta {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

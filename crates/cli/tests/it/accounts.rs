//! `login --token -`, `accounts`, `logout` against `insightdesk sandbox` over `--meta-base`,
//! and `--demo`, with a file vault so no keyring is needed.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use crate::{Running, TakeStdout};

pub const VAULT_KEY: &str = "cli-test-vault-key-0123456789abcdefghij";

/// The binary over `data_dir` with a file vault, its standard streams piped.
fn command(data_dir: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_insightdesk"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--vault", "file"])
        .args(args)
        .env("INSIGHTDESK_VAULT_KEY", VAULT_KEY)
        // The demo as its first sign-in leaves it: these tests count that first sync's
        // figures (the app's tests cover the replayed weeks).
        .env("INSIGHTDESK_DEMO_HISTORY_DAYS", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Writes `text` (if any) to the child's standard input and closes it.
fn feed(child: &mut std::process::Child, text: Option<&str>) {
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = text {
        pipe.write_all(text.as_bytes()).unwrap();
    }
}

pub fn insightdesk(data_dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = command(data_dir, args)
        .env("INSIGHTDESK_LOG", "debug")
        .spawn()
        .unwrap();
    feed(&mut child, stdin);
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `insightdesk sandbox` running: its base URL and its credentials line. It stops when the
/// `Running` is dropped.
pub fn sandbox(seed: &str) -> (Running, String, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .args(["sandbox", "--seed", seed])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.take_stdout();
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let base = lines.next().unwrap().unwrap();
    let credentials = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    (running, base, credentials)
}

#[test]
fn a_pasted_token_is_checked_stored_listed_and_signed_out_without_ever_being_printed() {
    let (_running, base, credentials) = sandbox("11");
    let token = credentials["user_token"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let dir = tempfile::tempdir().unwrap();

    let login = insightdesk(
        dir.path(),
        &["--meta-base", &base, "login", "--token", "-"],
        Some(&format!("{token}\n")),
    );
    assert!(login.status.success(), "{}", text(&login.stderr));
    let out = text(&login.stdout);
    assert!(out.contains("Connected @"), "{out}");
    assert!(
        out.contains("has no Instagram professional account linked"),
        "{out}"
    );

    let listed = insightdesk(
        dir.path(),
        &["--meta-base", &base, "accounts", "--json"],
        None,
    );
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let accounts: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(
        accounts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == credentials["ig_user_id"]),
        "{accounts}"
    );

    let logout = insightdesk(dir.path(), &["--meta-base", &base, "logout"], None);
    assert!(logout.status.success(), "{}", text(&logout.stderr));
    let after = insightdesk(dir.path(), &["--meta-base", &base, "accounts"], None);
    assert!(text(&after.stdout).contains("No account is connected"));

    // The canary: the token appears in no output, log line or file.
    for output in [&login, &listed, &logout, &after] {
        assert!(!text(&output.stdout).contains(&token));
        assert!(!text(&output.stderr).contains(&token));
    }
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&token),
            "{} holds the token",
            entry.display()
        );
    }
}

#[test]
fn a_token_is_only_read_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let output = insightdesk(dir.path(), &["login", "--token", "EAAsecret"], None);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("standard input"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn demo_accounts_work_on_a_fresh_machine() {
    let dir = tempfile::tempdir().unwrap();
    let output = insightdesk(dir.path(), &["--demo", "accounts"], None);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("* @"),
        "{}",
        text(&output.stdout)
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A port nobody listens on now (the system's pick, released at once).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_login_port_flag_moves_the_redirect_uri_and_the_listener() {
    let (_sandbox, base, credentials) = sandbox("12");
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let app = &credentials["facebook_app"];
    let secret = format!("{}\n", app["app_secret"].as_str().unwrap());
    let port_text = port.to_string();
    let mut child = command(
        dir.path(),
        &[
            "--meta-base",
            &base,
            "--login-port",
            &port_text,
            "login",
            "--no-browser",
            "--app-id",
            app["app_id"].as_str().unwrap(),
            "--app-secret",
            "-",
        ],
    )
    // The flag wins over the variable.
    .env("INSIGHTDESK_LOGIN_PORT", "47813")
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    feed(&mut child, Some(&secret));
    let stdout = child.take_stdout();
    let _login = Running(child);
    let mut printed = Vec::new();
    let mut authorize_url = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.trim_start().starts_with("http") {
            authorize_url = Some(line.trim().to_owned());
            break;
        }
        printed.push(line);
    }
    let redirect = format!("http://localhost:{port}/callback");
    assert!(
        printed.iter().any(|l| l.contains(&format!(
            "the redirect URI to register in your app is {redirect}"
        ))),
        "{printed:?}"
    );
    let authorize_url = url::Url::parse(&authorize_url.expect("the sign-in address")).unwrap();
    let sent = authorize_url
        .query_pairs()
        .find(|(name, _)| name == "redirect_uri")
        .map(|(_, value)| value.into_owned());
    assert_eq!(sent, Some(redirect));
    // The sign-in waits for Meta's answer on that port.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
}

#[test]
fn a_login_port_outside_1024_to_65535_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let flag = insightdesk(dir.path(), &["--login-port", "80", "accounts"], None);
    assert!(!flag.status.success());
    let said = text(&flag.stderr);
    assert!(
        said.contains("--login-port") && said.contains("from 1024 to 65535"),
        "{said}"
    );
    let variable = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("accounts")
        .env("INSIGHTDESK_LOGIN_PORT", "http")
        .output()
        .unwrap();
    assert!(!variable.status.success());
    let said = text(&variable.stderr);
    assert!(
        said.contains("INSIGHTDESK_LOGIN_PORT “http” is not usable")
            && said.contains("from 1024 to 65535"),
        "{said}"
    );
    let help = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .args(["login", "--help"])
        .output()
        .unwrap();
    let said = text(&help.stdout);
    assert!(
        said.contains("--login-port <N>") && said.contains("INSIGHTDESK_LOGIN_PORT"),
        "{said}"
    );
}

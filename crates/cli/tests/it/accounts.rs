//! `login --token -`, `accounts`, `logout` against `insightdesk sandbox` over `--meta-base`,
//! and `--demo`, with a file vault so no keyring is needed.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use crate::{Running, TakeStdout};

const VAULT_KEY: &str = "cli-test-vault-key-0123456789abcdefghij";

pub fn insightdesk(data_dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--vault", "file"])
        .args(args)
        .env("INSIGHTDESK_VAULT_KEY", VAULT_KEY)
        .env("INSIGHTDESK_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_pasted_token_is_checked_stored_listed_and_signed_out_without_ever_being_printed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .args(["sandbox", "--seed", "11"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.take_stdout();
    let _running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let base = lines.next().unwrap().unwrap();
    let credentials: serde_json::Value =
        serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
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

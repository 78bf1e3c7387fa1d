//! `sync --json`, `report`, `export` and `webhooks serve` with `--demo` on a fresh data folder.

use std::process::{Command, Stdio};

use crate::accounts::{insightdesk, text};

#[test]
fn demo_sync_prints_the_json_report_and_a_second_run_costs_almost_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = insightdesk(dir.path(), &["--demo", "sync", "--json"], None);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    for key in [
        "http_requests",
        "counted_calls",
        "media_seen",
        "media_new",
        "rows_written",
        "duration_ms",
        "warnings",
    ] {
        assert!(report.get(key).is_some(), "the report has {key}: {report}");
    }
    assert!(report["media_new"].as_u64().unwrap() > 100);
    assert!(report["http_requests"].as_u64().unwrap() <= 40, "{report}");

    let again = insightdesk(dir.path(), &["--demo", "sync", "--json"], None);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["media_new"], 0);
    assert!(report["counted_calls"].as_u64().unwrap() <= 5, "{report}");
}

#[test]
fn demo_reports_and_exports_work_on_a_fresh_machine() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("week.pdf");
    let out = insightdesk(
        dir.path(),
        &[
            "--demo",
            "report",
            "--period",
            "week",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    let csv = dir.path().join("month-csv");
    let out = insightdesk(
        dir.path(),
        &[
            "--demo",
            "report",
            "--period",
            "custom",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(csv.join("posts.csv").exists());

    let bad = insightdesk(
        dir.path(),
        &[
            "--demo", "report", "--period", "custom", "--format", "json", "--out", "x.json",
        ],
        None,
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("--from"),
        "{}",
        text(&bad.stderr)
    );

    let all = dir.path().join("all");
    let out = insightdesk(
        dir.path(),
        &["--demo", "export", "--out", all.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(all.join("media.csv").exists());
    assert!(all.join("account_daily.csv").exists());
}

#[test]
fn webhooks_serve_answers_the_handshake_and_refuses_unsigned_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--vault",
            "file",
            "--demo",
            "webhooks",
            "serve",
            "--port",
            &port.to_string(),
        ])
        .args(["--verify-token", "verify-me-please"])
        .env(
            "INSIGHTDESK_VAULT_KEY",
            "cli-test-vault-key-0123456789abcdefghij",
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _running = crate::Running(child);
    let base = format!("http://127.0.0.1:{port}/hook");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let mut answer = None;
        for _ in 0..100 {
            if let Ok(r) = http
                .get(format!(
                    "{base}?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=42"
                ))
                .send()
                .await
            {
                answer = Some(r);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let answer = answer.expect("the server came up");
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.text().await.unwrap(), "42");
        let refused = http.post(&base).body("{}").send().await.unwrap();
        assert_eq!(refused.status(), 403);
    });
}

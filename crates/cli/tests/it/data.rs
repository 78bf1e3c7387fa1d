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

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `report` of the last complete week, in the format and with the options that follow.
fn last_week(format_and_options: &[&str]) -> Vec<String> {
    ["report", "--period", "week", "--format"]
        .iter()
        .chain(format_and_options)
        .map(|arg| (*arg).to_owned())
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// `insightdesk --demo …` that must succeed; returns its standard output.
fn demo_ok(dir: &std::path::Path, args: &[&str]) -> String {
    let out = insightdesk(dir, &[&["--demo"], args].concat(), None);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// `insightdesk --demo …` that must fail and say something containing `says`.
fn demo_refused(dir: &std::path::Path, args: &[&str], says: &str) {
    let out = insightdesk(dir, &[&["--demo"], args].concat(), None);
    assert!(!out.status.success(), "{args:?} succeeded");
    let error = text(&out.stderr);
    assert!(error.contains(says), "{args:?}: {error}");
}

#[test]
fn no_bom_leaves_the_byte_order_mark_out_of_report_and_export_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let marked = last_week(&["csv", "--out", &path("marked")]);
    demo_ok(dir.path(), &strs(&marked));
    let plain = last_week(&["csv", "--out", &path("plain"), "--no-bom"]);
    demo_ok(dir.path(), &strs(&plain));
    demo_ok(dir.path(), &["export", "--out", &path("all-marked")]);
    demo_ok(
        dir.path(),
        &["export", "--no-bom", "--out", &path("all-plain")],
    );
    for (marked, plain, header) in [
        (
            "marked/posts.csv",
            "plain/posts.csv",
            "account,ig_media_id,",
        ),
        (
            "all-marked/media.csv",
            "all-plain/media.csv",
            "account,ig_media_id,",
        ),
        (
            "all-marked/account.csv",
            "all-plain/account.csv",
            "ig_user_id,",
        ),
    ] {
        let marked = std::fs::read(dir.path().join(marked)).unwrap();
        let plain = std::fs::read(dir.path().join(plain)).unwrap();
        assert!(marked.starts_with(&[BOM, header.as_bytes()].concat()));
        assert!(
            plain.starts_with(header.as_bytes()),
            "{}",
            text(&plain[..40])
        );
        assert_eq!(&marked[BOM.len()..], &plain[..], "only the mark differs");
    }

    let pdf = last_week(&["pdf", "--no-bom", "--out", &path("x.pdf")]);
    demo_refused(dir.path(), &strs(&pdf), "CSV");
}

#[test]
fn export_with_an_account_holds_only_that_accounts_rows() {
    let dir = tempfile::tempdir().unwrap();
    demo_ok(dir.path(), &["sync", "--all"]);
    let accounts: serde_json::Value =
        serde_json::from_str(&demo_ok(dir.path(), &["accounts", "--json"])).unwrap();
    let ids: Vec<&str> = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        2,
        "the demo has a second, small account: {accounts}"
    );
    let (main, small) = (ids[0], ids[1]);
    let all = dir.path().join("all");
    let only = dir.path().join("small");
    demo_ok(dir.path(), &["export", "--out", all.to_str().unwrap()]);
    demo_ok(
        dir.path(),
        &[
            "export",
            "--account",
            small,
            "--out",
            only.to_str().unwrap(),
        ],
    );
    let rows = |folder: &std::path::Path, table: &str| -> Vec<String> {
        let body = std::fs::read_to_string(folder.join(format!("{table}.csv"))).unwrap();
        body.trim_start_matches('\u{feff}')
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let media_of = |folder: &std::path::Path, id: &str| {
        rows(folder, "media")
            .iter()
            .filter(|r| r.starts_with(&format!("{id},")))
            .count()
    };
    // Both accounts are in the store and in the full export.
    assert!(media_of(&all, main) > 0 && media_of(&all, small) > 0);
    // Only the small account is in its export, with all of its posts.
    assert_eq!(media_of(&only, main), 0);
    assert_eq!(media_of(&only, small), media_of(&all, small));
    assert_eq!(rows(&only, "media").len(), media_of(&all, small));
    assert_eq!(rows(&only, "account").len(), 1);
    assert!(rows(&only, "account")[0].starts_with(small));
    for table in [
        "account_daily",
        "followers_snapshot",
        "sync_run",
        "fetch_state",
    ] {
        assert!(
            rows(&only, table).iter().all(|r| !r.contains(main)),
            "{table} holds the other account"
        );
    }

    demo_refused(
        dir.path(),
        &["export", "--account", "17841499999999999", "--out", "x"],
        "is not connected in this profile",
    );
}

#[test]
fn report_templates_are_chosen_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let help = insightdesk(dir.path(), &["report", "--help"], None);
    let help = text(&help.stdout);
    for expected in ["--template", "full", "summary", "brand", "--no-bom"] {
        assert!(help.contains(expected), "{expected}: {help}");
    }
    let brand = dir.path().join("kit.pdf");
    let kit = last_week(&[
        "pdf",
        "--template",
        "brand",
        "--out",
        brand.to_str().unwrap(),
    ]);
    demo_ok(dir.path(), &strs(&kit));
    let pdf = Command::new("pdftotext")
        .arg(&brand)
        .arg("-")
        .output()
        .unwrap();
    let pdf = text(&pdf.stdout);
    assert!(
        pdf.contains("MEDIA KIT") && !pdf.contains("Your notes"),
        "{pdf}"
    );

    let json = last_week(&["json", "--template", "summary", "--out", "s.json"]);
    demo_refused(dir.path(), &strs(&json), "PDF");
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
        // The demo as its first sign-in leaves it: no weeks replayed before serving.
        .env("INSIGHTDESK_DEMO_HISTORY_DAYS", "0")
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

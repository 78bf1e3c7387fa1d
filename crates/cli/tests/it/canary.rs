//! The canary across the whole app. A simulated Meta runs in this test; its app secrets and
//! the tokens it issues are the canaries. The creator signs in through the command line (an
//! own app's secret and a pasted token, both on standard input) and uses every command with
//! `INSIGHTDESK_LOG=trace`; then the desktop's side runs in process over the same data
//! folder — every IPC command of `rpc::COMMAND_NAMES`, a real browser sign-in through the
//! consent page, the demo — with a trace logger standing in for the desktop's log file.
//!
//! Then everything is searched: each run's stdout and stderr (a crash's included), every file
//! under the data folder and the output folder (store and WAL, reports, exports, thumbnails,
//! vault, crash report), the raw-response
//! archive decompressed, each IPC answer and event, every log line. A canary is an exact
//! secret or token, or anything shaped like a token the simulated Meta issues (`EAAG…` or
//! `IGAA…` and 40 more base-62 characters: exchanged, refreshed and Page tokens included).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex};

use insightdesk_app::config::MetaTarget;
use insightdesk_app::{App, AppConfig, AppEvent, DataDir, Host, rpc};
use insightdesk_sandbox::{Sandbox, SandboxConfig};
use insightdesk_secret::Sensitive;
use insightdesk_store::{Store, TimeRange};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

const VAULT_KEY: &str = "canary-vault-key-0123456789abcdefghijklmn";

/// Every log record of this test process, at trace level: the desktop's log file would hold a
/// subset of these (it logs from info up).
struct CapturingLogger(Mutex<Vec<u8>>);

impl log::Log for CapturingLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if let Ok(mut lines) = self.0.lock() {
            lines.extend_from_slice(
                format!(
                    "[{} {}] {}\n",
                    record.level(),
                    record.target(),
                    record.args()
                )
                .as_bytes(),
            );
        }
    }

    fn flush(&self) {}
}

static LOGGER: CapturingLogger = CapturingLogger(Mutex::new(Vec::new()));

/// What must never appear, and the searches made for it.
#[derive(Default)]
struct Canaries {
    exact: Vec<String>,
    /// Everything searched: (where, bytes) — kept so a failure can say where.
    searched: Vec<(String, usize)>,
    hits: Vec<String>,
}

impl Canaries {
    fn add(&mut self, secret: &str) {
        assert!(secret.len() >= 16, "a canary is distinctive");
        self.exact.push(secret.to_owned());
    }

    fn search(&mut self, place: impl Into<String>, bytes: &[u8]) {
        let place = place.into();
        for secret in &self.exact {
            if contains(bytes, secret.as_bytes()) {
                self.hits.push(format!(
                    "{place}: the canary {}…",
                    &secret[..6.min(secret.len())]
                ));
            }
        }
        for prefix in [&b"EAAG"[..], &b"IGAA"[..]] {
            let mut from = 0;
            while let Some(at) = find(&bytes[from..], prefix) {
                let start = from + at;
                let run = bytes[start + 4..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                if run >= 40 {
                    self.hits.push(format!(
                        "{place}: a token {}…",
                        String::from_utf8_lossy(&bytes[start..start + 8])
                    ));
                }
                from = start + 4;
            }
        }
        self.searched.push((place, bytes.len()));
    }

    fn search_output(&mut self, what: &str, output: &Output) {
        self.search(format!("{what}: stdout"), &output.stdout);
        self.search(format!("{what}: stderr"), &output.stderr);
    }

    /// Every file below `dir`, and every archived body of every store there.
    fn search_files(&mut self, when: &str, dir: &Path) {
        for file in walk(dir) {
            let Ok(bytes) = std::fs::read(&file) else {
                // A WAL or journal that SQLite removed between listing and reading.
                continue;
            };
            self.search(format!("{when}: {}", file.display()), &bytes);
            if file.extension().is_some_and(|e| e == "sqlite") {
                let store = Store::open(&file).unwrap();
                let everything = TimeRange::new(
                    chrono::DateTime::UNIX_EPOCH,
                    chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(365 * 200),
                );
                for info in store.raw_responses(everything, None).unwrap() {
                    let body = store.raw_response_body(info.id).unwrap().unwrap();
                    self.search(
                        format!("{when}: {} archive {}", file.display(), info.endpoint),
                        &body,
                    );
                }
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// One run of the `insightdesk` binary, at trace level, with `stdin` written to it.
async fn insightdesk(data: &Path, base: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(["--vault", "file", "--meta-base", base])
        .args(args)
        .env("INSIGHTDESK_VAULT_KEY", VAULT_KEY)
        .env("INSIGHTDESK_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.as_bytes()).await.unwrap();
    drop(pipe);
    let output = child.wait_with_output().await.unwrap();
    assert!(
        output.status.success(),
        "insightdesk {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The desktop's front end as a test plays it: dialogs answer with places in the output
/// folder, the browser is a client that presses Allow on the consent page, and everything it
/// is told is kept for the search.
struct CanaryHost {
    out: PathBuf,
    events: Mutex<Vec<AppEvent>>,
    opened: Mutex<Vec<String>>,
    notified: Mutex<Vec<String>>,
}

impl Host for CanaryHost {
    fn emit(&self, event: AppEvent) {
        self.events.lock().unwrap().push(event);
    }

    fn open_sign_in_page(&self, url: &str) -> Result<(), String> {
        self.opened.lock().unwrap().push(url.to_owned());
        let url = url.to_owned();
        // A browser whose user presses Allow: the demo's own consent follower.
        tokio::spawn(async move {
            insightdesk_app::demo::approve_consent(&url).await.unwrap();
        });
        Ok(())
    }

    fn open_link(&self, url: &str) -> Result<(), String> {
        self.opened.lock().unwrap().push(url.to_owned());
        Ok(())
    }

    fn choose_save_path(&self, suggested_name: &str, _extension: &str) -> Option<PathBuf> {
        Some(self.out.join(suggested_name))
    }

    fn choose_folder(&self, _title: &str) -> Option<PathBuf> {
        let folder = self.out.join("chosen");
        std::fs::create_dir_all(&folder).unwrap();
        Some(folder)
    }

    fn notify(&self, title: &str, body: &str) {
        self.notified
            .lock()
            .unwrap()
            .push(format!("{title}: {body}"));
    }
}

/// Every IPC command with valid arguments, in an order that makes each meaningful. The test
/// fails while a command of `COMMAND_NAMES` is missing here.
fn ipc_plan(
    account: &str,
    fb_app: &str,
    fb_secret: &str,
    post: &str,
) -> Vec<(&'static str, Value)> {
    let week = json!({"kind": "week", "day": null});
    vec![
        ("app_info", json!({})),
        ("session_state", json!({})),
        (
            "save_own_app",
            json!({"provider": "facebook", "app_id": fb_app, "app_secret": fb_secret}),
        ),
        ("sign_in", json!({"provider": "facebook"})),
        ("cancel_sign_in", json!({})),
        ("select_account", json!({"account": account})),
        ("sync_now", json!({"account": account})),
        ("sync_status", json!({"account": account})),
        ("cancel_sync", json!({"account": account})),
        ("overview", json!({"range": {"kind": "last28"}})),
        (
            "content",
            json!({"range": {"kind": "last_year"}, "search": "a", "limit": 500}),
        ),
        ("post_detail", json!({"id": post})),
        ("engagement", json!({})),
        ("open_post", json!({"id": post})),
        ("stories", json!({"range": {"kind": "last7"}})),
        ("audience", json!({})),
        ("best_time", json!({"range": {"kind": "last90"}})),
        (
            "report_preview",
            json!({"period": {"kind": "month", "day": null}}),
        ),
        ("report_export", json!({"period": week, "format": "pdf"})),
        ("report_export", json!({"period": week, "format": "csv"})),
        (
            "report_export",
            json!({"period": {"kind": "custom", "from": "2026-10-01", "to": "2026-10-31"}, "format": "json", "paper": "letter"}),
        ),
        ("report_history", json!({})),
        ("export_all", json!({})),
        ("choose_folder", json!({"title": "Scheduled reports"})),
        ("settings_get", json!({})),
        ("settings_save", Value::Null),
        ("explore_demo", json!({})),
        // Wipes the demo's profile (and opens the creator's own afresh).
        ("wipe_profile", json!({})),
        ("leave_demo", json!({})),
        ("sign_out", json!({"account": account})),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_token_reaches_any_output_file_log_answer_or_event() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
    let sandbox = Sandbox::start(SandboxConfig {
        seed: 271_828,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let base = sandbox.base_url();
    let creds = sandbox.credentials();
    let mut canaries = Canaries::default();
    for secret in [
        &creds.facebook_app.app_secret,
        &creds.instagram_app.app_secret,
        &creds.user_token.access_token,
        &creds.instagram_token.access_token,
    ] {
        canaries.add(secret);
    }
    // The search finds what it looks for: an exact canary, and a token it was not told of.
    canaries.search(
        "self-check",
        format!("a{}.", creds.user_token.access_token).as_bytes(),
    );
    assert_eq!(canaries.hits.len(), 2, "{:?}", canaries.hits);
    canaries.search("self-check", format!("IGAA{}", "x1".repeat(20)).as_bytes());
    assert_eq!(canaries.hits.len(), 3, "{:?}", canaries.hits);
    canaries.hits.clear();
    canaries.searched.clear();
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (data, out) = (data.path(), out.path());
    let path = |name: &str| out.join(name).display().to_string();
    let account = creds.ig_user_id.as_str();

    // The command line: both sign-ins with an own app, then every command.
    let mut runs: Vec<(String, Output)> = Vec::new();
    for (provider, app, token) in [
        ("facebook", &creds.facebook_app, &creds.user_token),
        ("instagram", &creds.instagram_app, &creds.instagram_token),
    ] {
        let login = [
            "login",
            "--provider",
            provider,
            "--app-id",
            &app.app_id,
            "--app-secret",
            "-",
            "--token",
            "-",
        ];
        let stdin = format!("{}\n{}\n", app.app_secret, token.access_token);
        runs.push((
            format!("login ({provider})"),
            insightdesk(data, &base, &login, &stdin).await,
        ));
    }
    let (pdf, csv, json_file, all) = (
        path("week.pdf"),
        path("month-csv"),
        path("custom.json"),
        path("all"),
    );
    // Paths in the temporary folder hold no spaces, so each command is one line to split.
    let commands = [
        "accounts".to_owned(),
        "accounts --json".to_owned(),
        "sync --all --json".to_owned(),
        format!("sync --account {account}"),
        format!("report --period week --format pdf --out {pdf}"),
        format!("report --period month --format csv --out {csv}"),
        format!(
            "report --account {account} --period custom --from 2026-10-01 --to 2026-10-31 --format json --out {json_file} --paper letter"
        ),
        format!("export --out {all}"),
        format!("webhooks subscribe --account {account}"),
        "webhooks list".to_owned(),
    ];
    for command in &commands {
        let args: Vec<&str> = command.split(' ').collect();
        runs.push((command.clone(), insightdesk(data, &base, &args, "").await));
    }
    runs.push((
        "webhooks serve".into(),
        serve_one_signed_delivery(data, &base, &creds.facebook_app.app_secret).await,
    ));
    // A crash whose message quotes a Graph URL with the token in it: the report and the
    // line on standard error keep the place, not the token.
    let crashed = tokio::process::Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(["--vault", "file", "--meta-base", &base, "accounts"])
        .env("INSIGHTDESK_VAULT_KEY", VAULT_KEY)
        .env(
            insightdesk_app::crash::CRASH_FOR_TEST_ENV,
            format!(
                "GET {base}/graph.facebook.com/v24.0/me?fields=id&access_token={} went wrong",
                creds.user_token.access_token
            ),
        )
        .output()
        .await
        .unwrap();
    assert!(!crashed.status.success());
    let said = String::from_utf8_lossy(&crashed.stderr).into_owned();
    assert!(
        said.contains("stopped unexpectedly") && said.contains("A crash report is in"),
        "{said}"
    );
    let reports: Vec<PathBuf> = walk(&data.join("logs"))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
        })
        .collect();
    assert_eq!(reports.len(), 1, "{reports:?}");
    let report = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(
        report.contains("access_token=REDACTED") && report.contains("Backtrace:"),
        "{report}"
    );
    runs.push(("a crash".into(), crashed));
    canaries.search_files("after the command line", data);

    // The desktop's side, in process, over the same folder.
    let mut config =
        AppConfig::new(DataDir::resolve(Some(data.to_path_buf()), None, None).unwrap());
    config.meta = MetaTarget::Base(url::Url::parse(&base).unwrap());
    config.vault = insightdesk_auth::VaultKind::File;
    config.vault_key = Some(Sensitive::new(VAULT_KEY.to_owned()));
    config.loopback_port = 0;
    let host = Arc::new(CanaryHost {
        out: out.to_path_buf(),
        events: Mutex::new(Vec::new()),
        opened: Mutex::new(Vec::new()),
        notified: Mutex::new(Vec::new()),
    });
    let app = Arc::new(App::new(config, host.clone()));
    // The app opens a connection per call and SQLite folds the WAL away when the last one
    // closes: a connection held open here keeps the WAL file, with the newest writes, there.
    let holds_the_wal = Store::open(data.join("profiles/main/insightdesk.sqlite")).unwrap();
    let post = {
        let page = rpc::dispatch(
            &app,
            "content",
            json!({"range": {"kind": "last_year"}, "limit": 1}),
        )
        .await
        .unwrap();
        page["rows"][0]["id"].as_str().unwrap().to_owned()
    };
    let plan = ipc_plan(
        account,
        &creds.facebook_app.app_id,
        &creds.facebook_app.app_secret,
        &post,
    );
    let planned: BTreeSet<&str> = plan.iter().map(|(name, _)| *name).collect();
    let missing: Vec<&&str> = rpc::COMMAND_NAMES
        .iter()
        .filter(|n| !planned.contains(**n))
        .collect();
    assert!(
        missing.is_empty(),
        "the canary uses every IPC command; add {missing:?}"
    );
    let mut answers: Vec<(String, Value)> = Vec::new();
    for (name, args) in plan {
        assert!(
            rpc::COMMAND_NAMES.contains(&name),
            "{name} is no IPC command"
        );
        let args = match name {
            // The settings as the screen saves them: a weekly PDF report into a chosen folder.
            "settings_save" => {
                let mut settings = rpc::dispatch(&app, "settings_get", json!({}))
                    .await
                    .unwrap()["settings"]
                    .clone();
                settings["report_schedule"] = json!({"cadence": "weekly", "format": "pdf", "folder": host.choose_folder("").unwrap()});
                settings
            }
            _ => args,
        };
        if name == "explore_demo" {
            canaries.search_files("before the demo", data);
        }
        if name == "wipe_profile" {
            // The demo's folder goes: search it first.
            canaries.search_files("before the wipe", data);
        }
        let answer = rpc::dispatch(&app, name, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{name} {args}: {e}"));
        if name == "explore_demo" {
            let session = app.session().await.unwrap();
            let demo = session.demo_credentials().unwrap();
            for secret in [
                &demo.facebook_app.app_secret,
                &demo.instagram_app.app_secret,
                &demo.user_token.access_token,
                &demo.instagram_token.access_token,
            ] {
                canaries.add(secret);
            }
        }
        if name == "sync_now" {
            wait_for_sync(&app, account).await;
        }
        answers.push((name.to_owned(), answer));
    }
    canaries.search_files("with the desktop's side open", data);
    canaries.search_files("with the desktop's side open", out);
    drop(holds_the_wal);
    drop(app);

    // The command line signs out last.
    runs.push((
        "logout".into(),
        insightdesk(data, &base, &["logout"], "").await,
    ));

    for (what, output) in &runs {
        canaries.search_output(what, output);
    }
    for (name, answer) in &answers {
        canaries.search(
            format!("IPC answer of {name}"),
            answer.to_string().as_bytes(),
        );
    }
    for event in host.events.lock().unwrap().iter() {
        canaries.search(
            "an IPC event",
            serde_json::to_string(event).unwrap().as_bytes(),
        );
    }
    for note in host.notified.lock().unwrap().iter() {
        canaries.search("a notification", note.as_bytes());
    }
    canaries.search_files("at the end", data);
    canaries.search_files("at the end", out);
    let log = LOGGER.0.lock().unwrap().clone();
    canaries.search("the in-process log (trace)", &log);

    // The search had something to search: the runs talked, the files exist, the archive and
    // the logs are full, and the browser was sent to the consent page.
    let searched = |needle: &str| {
        canaries
            .searched
            .iter()
            .filter(|(place, _)| place.contains(needle))
            .count()
    };
    assert!(searched("archive") > 20, "archived answers were searched");
    assert!(
        searched(".pdf") >= 2 && searched("posts.csv") >= 2,
        "reports were searched"
    );
    assert!(searched("-wal") >= 1, "a WAL file was searched");
    assert!(searched("thumbnails") >= 1, "thumbnails were searched");
    assert!(
        log.len() > 20_000,
        "the trace log is full: {} bytes",
        log.len()
    );
    assert!(
        runs.iter().any(|(_, o)| o.stderr.len() > 10_000),
        "the command line logged at trace level"
    );
    assert_eq!(
        host.opened.lock().unwrap().len(),
        2,
        "the sign-in page and the post were opened"
    );
    assert!(
        host.events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, AppEvent::SyncFinished { .. })),
        "the desktop's sync ran"
    );
    let bytes: usize = canaries.searched.iter().map(|(_, n)| n).sum();
    eprintln!(
        "canary: {} places searched ({} MiB), {} canaries, {} hits",
        canaries.searched.len(),
        bytes / (1 << 20),
        canaries.exact.len(),
        canaries.hits.len()
    );
    assert!(canaries.hits.is_empty(), "{:#?}", canaries.hits);
    sandbox.stop().await;
}

/// Polls until the account's background sync has ended.
async fn wait_for_sync(app: &Arc<App>, account: &str) {
    for _ in 0..600 {
        let status = rpc::dispatch(app, "sync_status", json!({"account": account}))
            .await
            .unwrap();
        if status["running"] == false {
            assert_eq!(status["last_status"], "succeeded", "{status}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the desktop's sync did not end");
}

/// `webhooks serve` with the own app's secret from the vault: one delivery signed with it,
/// one with a wrong signature; then SIGTERM.
async fn serve_one_signed_delivery(data: &Path, base: &str, secret: &str) -> Output {
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/graph/webhook_mentions_comment_envelope_meta_doc.json"),
    )
    .unwrap();
    let signed = insightdesk_webhooks::signature_header(&Sensitive::new(secret.to_owned()), &body);
    let forged = format!("sha256={}", "0".repeat(64));
    let (statuses, output) = crate::webhooks::serve(
        data,
        base,
        VAULT_KEY,
        &[(body.clone(), signed), (body, forged)],
    )
    .await;
    assert_eq!(
        statuses,
        [200, 403],
        "the signed delivery was taken and the forged one refused"
    );
    output
}

//! Starts tauri-driver, opens a WebDriver session on the app binary (with extra arguments and
//! environment when a test needs them), waits for what the window shows, and tears it all
//! down — also when a test fails half way.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

/// Where screenshots and figures go: `target/e2e/` of the workspace, whatever
/// `CARGO_TARGET_DIR` says, so CI keeps them with the clone.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).expect("create target/e2e");
    dir
}

/// Prints a measured figure and keeps it in `target/e2e/figures.txt`.
pub fn report_figure(line: &str) {
    println!("figure: {line}");
    let path = artifacts_dir().join("figures.txt");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    text.push_str(line);
    text.push('\n');
    std::fs::write(&path, text).expect("write figures.txt");
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

/// One app at a time: the app is single-instance (a second launch only focuses the first),
/// so the tests of this binary take turns.
static ONE_APP_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How to start the app: arguments, environment, and the data folder.
#[derive(Default)]
pub struct Launch {
    args: Vec<String>,
    env: Vec<(String, String)>,
    data_dir: Option<tempfile::TempDir>,
}

impl Launch {
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.to_owned(), value.into()));
        self
    }

    /// Uses a data folder the test prepared (e.g. provisioned from the command line).
    pub fn data_dir(mut self, dir: tempfile::TempDir) -> Self {
        self.data_dir = Some(dir);
        self
    }
}

/// tauri-driver and everything below it (the native driver, the app, WebKit's processes),
/// stopped when dropped — also when a test fails half way: a left-over single-instance app
/// would swallow the next test's launch.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // Everything below the driver was started by this session. Deepest first, by id.
        let mut below = descendants(self.0.id());
        below.reverse();
        for pid in below {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One running app under WebDriver.
pub struct Session {
    // Fields drop in this order: the processes go before their data folder, and the turn is
    // handed on last.
    driver: Driver,
    pub client: Client,
    pub data_dir: tempfile::TempDir,
    /// When the WebDriver session was asked for: the app's launch.
    pub launched_at: Instant,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Session {
    /// Starts tauri-driver and the app with a fresh data directory.
    pub async fn start() -> Session {
        Session::launch(Launch::default()).await
    }

    pub async fn launch(launch: Launch) -> Session {
        let turn = ONE_APP_AT_A_TIME.lock().await;
        let data_dir = match launch.data_dir {
            Some(dir) => dir,
            None => tempfile::tempdir().expect("temp data dir"),
        };
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new("tauri-driver");
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            // The app inherits this environment from the driver.
            .env("INSIGHTDESK_DATA_DIR", data_dir.path())
            .env("XDG_DATA_HOME", data_dir.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", data_dir.path().join("xdg-config"))
            // xdg-open must take $BROWSER, not a desktop's default browser.
            .env_remove("XDG_CURRENT_DESKTOP")
            .env_remove("DESKTOP_SESSION")
            // Not WEBKIT_DISABLE_COMPOSITING_MODE / WEBKIT_DISABLE_DMABUF_RENDERER: with either
            // set, WebKitWebDriver's screenshot never answers under Xvfb.
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (name, value) in &launch.env {
            command.env(name, value);
        }
        let driver = Driver(command.spawn().expect("start tauri-driver"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver never listened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": {
                "application": app_binary(),
                "args": launch.args,
            }
        });
        let capabilities = capabilities.as_object().cloned().expect("object");
        let url = format!("http://127.0.0.1:{port}");
        let launched_at = Instant::now();
        let client = loop {
            // A session whose app never comes up would wait for ever: bound each attempt.
            let attempt = tokio::time::timeout(
                Duration::from_secs(90),
                ClientBuilder::native()
                    .capabilities(capabilities.clone())
                    .connect(&url),
            )
            .await;
            match attempt {
                Ok(Ok(client)) => break client,
                Ok(Err(error)) if Instant::now() < deadline => {
                    let _ = error; // the native driver is still starting
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Ok(Err(error)) => panic!("could not open a WebDriver session: {error}"),
                Err(_) => panic!("the app did not come up under WebDriver within 90 s"),
            }
        };
        Session {
            driver,
            client,
            data_dir,
            launched_at,
            _turn: turn,
        }
    }

    /// Waits for an element by CSS selector.
    pub async fn find(&self, css: &str, within: Duration) -> Element {
        self.client
            .wait()
            .at_most(within)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    /// Waits for an element by CSS selector and returns its text.
    pub async fn text_of(&self, css: &str) -> String {
        let element = self.find(css, Duration::from_secs(20)).await;
        element.text().await.expect("element text")
    }

    /// The texts of every element matching `css`, now.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("find elements")
        {
            out.push(element.text().await.unwrap_or_default());
        }
        out
    }

    /// Waits until the text of `css` satisfies `ok`; returns it. Says what it saw last when it
    /// gives up.
    pub async fn wait_text(
        &self,
        css: &str,
        within: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + within;
        let mut last = String::new();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if ok(&text) {
                    return text;
                }
                last = text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never showed what was expected; last text: {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until `css` shows a number (not "—") and returns it.
    pub async fn wait_number(&self, css: &str, within: Duration) -> f64 {
        let text = self.wait_text(css, within, |t| number(t).is_some()).await;
        number(&text).expect("a number")
    }

    pub async fn click(&self, css: &str) {
        self.find(css, Duration::from_secs(20))
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("could not click {css}: {e}"));
    }

    /// Moves the mouse over `css`, `x` pixels right of its centre.
    pub async fn hover(&self, css: &str, x: f64) {
        let element = self.find(css, Duration::from_secs(20)).await;
        let moves = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element,
            duration: Some(Duration::from_millis(200)),
            x,
            y: 0.0,
        });
        self.client
            .perform_actions(moves)
            .await
            .unwrap_or_else(|e| panic!("could not hover {css}: {e}"));
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
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

    /// The app's processes: the app and what it started (WebKit's web and network processes),
    /// found below the driver this session started.
    pub fn app_processes(&self) -> Vec<(u32, String)> {
        let app = app_binary();
        let below = descendants(self.driver.0.id());
        let Some(root) = below.iter().copied().find(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == Path::new(&app))
        }) else {
            return Vec::new();
        };
        std::iter::once(root)
            .chain(descendants(root))
            .map(|pid| (pid, process_name(pid)))
            .collect()
    }

    /// Ends the WebDriver session (the app closes), then stops the drivers.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// "11,451" → 11451; "12.6%" → 12.6; "—" → None.
pub fn number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-' || *c == '\u{2212}')
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    cleaned.parse().ok()
}

/// The ids of every process below `pid`, parents before children.
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(child) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
                continue;
            };
            // The command name is in parentheses and may hold spaces: the parent id is the
            // second field after the closing one.
            if let Some(ppid) = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok())
            {
                parents.push((child, ppid));
            }
        }
    }
    let mut out = Vec::new();
    let mut queue = vec![pid];
    while let Some(parent) = queue.pop() {
        for (child, _) in parents.iter().filter(|(_, p)| *p == parent) {
            out.push(*child);
            queue.push(*child);
        }
    }
    out
}

fn process_name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|n| n.trim().to_owned())
        .unwrap_or_default()
}

/// Proportional set size of a process in KiB, from `/proc/PID/smaps_rollup`.
pub fn pss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The app binary to drive: this build's, or another one named by `INSIGHTDESK_E2E_APP` (an
/// absolute path), e.g. the release binary `tauri build` made, to measure its figures.
pub fn app_binary() -> String {
    std::env::var("INSIGHTDESK_E2E_APP")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_insightdesk-desktop").to_owned())
}

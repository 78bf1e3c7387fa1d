//! The desktop shell: a Tauri window over the application layer (`insightdesk-app`).
//!
//! This crate only adapts. The UI calls one command, `rpc`, which forwards to
//! [`insightdesk_app::rpc::dispatch`]; the command table, its types and every operation live in
//! the Tauri-free crates so they are tested headless. What only a desktop can do — open the
//! browser, show a save dialog, notify — is the [`DesktopHost`] below.

mod flags;

use std::path::PathBuf;
use std::sync::Arc;

use insightdesk_app::{App, AppError, AppEvent, Host, ProfileKind};
use tauri::{Emitter, Manager};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_notification::NotificationExt;
use tauri_plugin_opener::OpenerExt;

/// The name of the one event channel the UI listens to.
pub const EVENT_CHANNEL: &str = "app-event";

/// The one IPC entry point: `invoke("rpc", { name, args })`.
#[tauri::command]
async fn rpc(
    app: tauri::State<'_, Arc<App>>,
    name: String,
    args: Option<serde_json::Value>,
) -> Result<serde_json::Value, AppError> {
    insightdesk_app::rpc::dispatch(&app, &name, args.unwrap_or_default()).await
}

/// Serves `thumb://localhost/<media id>` from the profile's thumbnail cache, so the window
/// shows post pictures without ever loading from Meta's servers.
fn thumbnail_response(app: &App, path: &str) -> tauri::http::Response<Vec<u8>> {
    let id = path.trim_start_matches('/');
    let found = app
        .thumbnail_path(id)
        .and_then(|file| std::fs::read(&file).ok().map(|bytes| (file, bytes)));
    let Some((file, bytes)) = found else {
        return tauri::http::Response::builder()
            .status(404)
            .body(Vec::new())
            .unwrap_or_default();
    };
    let mime = match file.extension().and_then(|e| e.to_str()) {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        _ => "image/jpeg",
    };
    tauri::http::Response::builder()
        .header("Content-Type", mime)
        .header("Cache-Control", "max-age=86400")
        // A picture is shown, never run: an SVG opened as a document gets no script either.
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        )
        .header("X-Content-Type-Options", "nosniff")
        .body(bytes)
        .unwrap_or_default()
}

/// Runs the sync schedule while the app is open: a tick a minute.
fn start_schedule(app: Arc<App>) {
    tauri::async_runtime::spawn(async move {
        // Give the window a moment to draw before the first sync competes with it.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        loop {
            app.schedule_tick(std::time::Instant::now()).await;
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    });
}

/// A test hook: when set, the save and folder dialogs are not shown; files go into this
/// folder under their suggested names (see the README). WebDriver cannot drive a GTK dialog,
/// and only the desktop shell shows dialogs, so the hook lives here and nowhere else. A
/// release build ignores it: there, only a folder the creator picked is ever written to.
const SAVE_DIR_ENV: &str = "INSIGHTDESK_SAVE_DIR";

fn preset_save_dir() -> Option<PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var_os(SAVE_DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

/// The desktop's side of [`Host`].
struct DesktopHost {
    handle: tauri::AppHandle,
}

impl Host for DesktopHost {
    fn emit(&self, event: AppEvent) {
        if let Err(error) = self.handle.emit(EVENT_CHANNEL, &event) {
            log::warn!("could not deliver an event to the window: {error}");
        }
    }

    fn open_sign_in_page(&self, url: &str) -> Result<(), String> {
        // The opener's error may quote the URL, which carries the sign-in's state: say only
        // that it failed.
        self.handle
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|_| "no web browser could be opened".to_owned())
    }

    fn open_link(&self, url: &str) -> Result<(), String> {
        self.handle
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|_| "no web browser could be opened".to_owned())
    }

    fn choose_save_path(&self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        if let Some(dir) = preset_save_dir() {
            return Some(dir.join(suggested_name));
        }
        self.handle
            .dialog()
            .file()
            .set_file_name(suggested_name)
            .add_filter(extension.to_uppercase(), &[extension])
            .blocking_save_file()
            .and_then(|path| path.into_path().ok())
    }

    fn choose_folder(&self, title: &str) -> Option<PathBuf> {
        if let Some(dir) = preset_save_dir() {
            return Some(dir);
        }
        self.handle
            .dialog()
            .file()
            .set_title(title)
            .blocking_pick_folder()
            .and_then(|path| path.into_path().ok())
    }

    fn notify(&self, title: &str, body: &str) {
        if let Err(error) = self
            .handle
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show()
        {
            log::warn!("could not show a notification: {error}");
        }
    }
}

pub fn run() {
    let flags = match flags::Flags::from_args(std::env::args_os().skip(1)) {
        Ok(flags) => flags,
        Err(message) => {
            eprintln!("insightdesk-desktop: {message}\n\n{}", flags::USAGE);
            std::process::exit(2);
        }
    };
    let config = match flags.app_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("insightdesk-desktop: {message}");
            std::process::exit(2);
        }
    };
    if let Err(error) = config.data_dir.ensure_exists() {
        eprintln!("{error}");
        std::process::exit(2);
    }
    let log_dir = config.data_dir.path().join("logs");
    insightdesk_app::crash::install(log_dir.clone(), "Insightdesk");
    insightdesk_app::crash::crash_if_asked();
    let start_in_demo = flags.demo;

    let result = tauri::Builder::default()
        // Must be the first plugin: a second launch focuses the running window instead.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(
            tauri_plugin_log::Builder::new()
                .clear_targets()
                .target(tauri_plugin_log::Target::new(
                    tauri_plugin_log::TargetKind::Folder {
                        path: log_dir,
                        file_name: Some("desktop".into()),
                    },
                ))
                .target(tauri_plugin_log::Target::new(
                    tauri_plugin_log::TargetKind::Stderr,
                ))
                .level(log::LevelFilter::Info)
                // The notification plugin's D-Bus client logs every handshake at info level
                // (through `tracing`): noise in the creator's log, kept to warnings.
                .level_for("zbus", log::LevelFilter::Warn)
                .level_for("tracing", log::LevelFilter::Warn)
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::new().build())
        // Used from Rust only (sign-in pages and post permalinks, checked in the app crate).
        // The default build injects a click handler calling the plugin's JS command for
        // external links; the webview holds no opener permission, so it is dead script.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .register_uri_scheme_protocol("thumb", |ctx, request| {
            match ctx.app_handle().try_state::<Arc<App>>() {
                Some(app) => thumbnail_response(&app, request.uri().path()),
                None => tauri::http::Response::builder()
                    .status(503)
                    .body(Vec::new())
                    .unwrap_or_default(),
            }
        })
        .setup(move |tauri_app| {
            let host = Arc::new(DesktopHost {
                handle: tauri_app.handle().clone(),
            });
            let app = Arc::new(App::new(config, host));
            if start_in_demo {
                // Open the demo before the window asks for its state, then sign its creator
                // in the background (the window shows "preparing the demo" meanwhile).
                tauri::async_runtime::block_on(app.open_profile(ProfileKind::Demo))?;
                let demo = Arc::clone(&app);
                tauri::async_runtime::spawn(async move {
                    if let Err(error) = demo.explore_demo().await {
                        log::error!("the demo could not sign in: {error}");
                    }
                });
            }
            start_schedule(Arc::clone(&app));
            tauri_app.manage(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![rpc])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Insightdesk could not start its window: {error}");
        std::process::exit(1);
    }
}

//! The desktop shell: a Tauri window over the application layer (`insightdesk-app`).
//!
//! This crate only adapts. The UI calls one command, `rpc`, which forwards to
//! [`insightdesk_app::rpc::dispatch`]; the command table, its types and every operation live in
//! the Tauri-free crates so they are tested headless.

use std::path::PathBuf;

use insightdesk_app::{App, AppError, DataDir};
use tauri::Manager;

/// The one IPC entry point: `invoke("rpc", { name, args })`.
#[tauri::command]
async fn rpc(
    app: tauri::State<'_, App>,
    name: String,
    args: Option<serde_json::Value>,
) -> Result<serde_json::Value, AppError> {
    insightdesk_app::rpc::dispatch(&app, &name, args.unwrap_or_default()).await
}

/// Reads `--data-dir DIR` from the command line, the one flag the desktop binary takes.
fn data_dir_flag() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
    }
    None
}

pub fn run() {
    let Some(data_dir) = DataDir::from_environment(data_dir_flag()) else {
        eprintln!(
            "Insightdesk cannot tell where to keep its data: set INSIGHTDESK_DATA_DIR or pass --data-dir."
        );
        std::process::exit(2);
    };
    if let Err(error) = data_dir.ensure_exists() {
        eprintln!("{error}");
        std::process::exit(2);
    }
    let log_dir = data_dir.path().join("logs");

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
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(App::new(data_dir))
        .invoke_handler(tauri::generate_handler![rpc])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Insightdesk could not start its window: {error}");
        std::process::exit(1);
    }
}

fn main() {
    // Declaring the app's commands makes Tauri generate an `allow-rpc` permission and deny
    // every command a capability does not grant: least privilege for the webview.
    // The capabilities sit in src-tauri/ with the rest of the shell, not beside Cargo.toml.
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(&["rpc"]));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}

#!/usr/bin/env bash
# Builds and starts the Insightdesk desktop app. Installs what is missing first: the system
# packages Tauri needs (apt, with sudo when not root), the Rust toolchain if absent, and the
# UI's npm packages. Extra arguments go to the app (e.g. --data-dir DIR).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ensure_apt_packages "${BUILD_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_ui_dependencies
build_ui

say "Building the desktop app (the first build takes a few minutes)"
cd "$REPO_ROOT"
cargo build --quiet -p insightdesk-desktop
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

say "Starting Insightdesk"
exec "$target_dir/debug/insightdesk-desktop" "$@"

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

# On a fresh machine (no profile used yet) the app opens on the demo creator; afterwards it
# opens on whichever profile was used last ("Connect my account" leaves the demo).
data_dir="${INSIGHTDESK_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/insightdesk}"
extra=()
if [ ! -f "$data_dir/last-profile" ]; then
  extra+=(--demo)
fi

say "Starting Insightdesk${extra[*]:+ on the demo creator}"
exec "$target_dir/debug/insightdesk-desktop" "${extra[@]}" "$@"

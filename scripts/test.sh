#!/usr/bin/env bash
# Runs every test of Insightdesk: formatting, lints, the UI's type check and unit tests, the
# Rust tests of every crate (against the simulated Meta, a real SQLite file and a real
# gnome-keyring in a private D-Bus session), and the end-to-end tests of the real app under
# Xvfb over WebDriver. Installs what is missing first (apt packages with sudo when not root,
# the UI's npm packages, tauri-driver). Artifacts (screenshots, rendered PDF pages) land in
# target/e2e/ and target/artifacts/.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

started=$(date +%s)
ensure_apt_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_ui_dependencies
ensure_tauri_driver

cd "$REPO_ROOT"

say "UI: type check, unit tests, build"
(cd ui && npm run --silent check && npm run --silent test && npm run --silent build >/dev/null)

say "Rust: formatting"
cargo fmt --all -- --check

say "Rust: clippy (warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

say "Rust: tests (with a display, a session bus and an unlocked gnome-keyring)"
sandbox_home="$(mktemp -d)"
trap 'rm -rf "$sandbox_home"' EXIT
# A private XDG_DATA_HOME keeps the keyring and any app data away from the user's real ones.
XDG_DATA_HOME="$sandbox_home/data" XDG_CONFIG_HOME="$sandbox_home/config" E2E_REQUIRED=1 KEYRING_REQUIRED=1 \
  xvfb-run -a -s "-screen 0 1280x820x24" \
  dbus-run-session -- bash -c '
    set -euo pipefail
    echo -n insightdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    cargo test --workspace --quiet
  '

say "All tests passed in $(( $(date +%s) - started )) s"

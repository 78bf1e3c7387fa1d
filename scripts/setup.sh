# Installs what building and testing Insightdesk needs on Debian 12 / Ubuntu 24.04, and only
# what is missing. Sourced by run-app.sh and test.sh; each step says what it installs.
# shellcheck shell=bash

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Build: the Tauri/WebKitGTK toolchain. Test: a virtual display, WebKit's WebDriver, a D-Bus
# session with gnome-keyring (the real Secret Service), poppler to render PDFs to PNG, and
# xdg-utils, through which the end-to-end test plays the browser of a sign-in.
BUILD_PACKAGES=(build-essential pkg-config curl wget file libssl-dev libwebkit2gtk-4.1-dev
  libxdo-dev libayatana-appindicator3-dev librsvg2-dev fonts-dejavu-core)
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring libsecret-tools
  poppler-utils imagemagick xdg-utils)

ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "System packages: all present"
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
      export PATH="$HOME/.cargo/bin:$PATH"
    else
      say "Installing the Rust toolchain with rustup (https://rustup.rs)"
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
      export PATH="$HOME/.cargo/bin:$PATH"
    fi
  fi
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true
  say "Rust: $(cargo --version)"
}

ensure_node() {
  # Vite 8 needs Node.js 20.19 or newer.
  if ! command -v node >/dev/null 2>&1; then
    echo "Node.js 20.19+ is needed (https://nodejs.org or your distribution's nodesource packages)." >&2
    exit 1
  fi
  local major minor
  IFS=. read -r major minor _ <<<"$(node --version | tr -d v)"
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    echo "Node.js $(node --version) is too old: Insightdesk's UI build needs 20.19 or newer." >&2
    exit 1
  fi
  say "Node.js: $(node --version), npm $(npm --version)"
}

ensure_ui_dependencies() {
  say "Installing the UI's npm packages (npm ci, from ui/package-lock.json)"
  (cd "$REPO_ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
}

build_ui() {
  say "Building the UI into ui/dist"
  (cd "$REPO_ROOT/ui" && npm run --silent build >/dev/null)
}

# tauri-driver (the WebDriver front of the app) comes from crates.io; Debian has no package.
ensure_tauri_driver() {
  if command -v tauri-driver >/dev/null 2>&1; then
    say "tauri-driver: $(command -v tauri-driver)"
    return
  fi
  local root="${INSIGHTDESK_TOOLS_DIR:-$HOME/.cargo}"
  if [ ! -x "$root/bin/tauri-driver" ]; then
    say "Installing tauri-driver 2.x with cargo install (about a minute)"
    cargo install tauri-driver --locked --version '^2' --root "$root" --quiet
  fi
  export PATH="$root/bin:$PATH"
}

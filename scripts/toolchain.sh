#!/usr/bin/env bash
# Installs what building Klankbord needs, only where it is missing. Sourced by run.sh and
# test.sh. `toolchain_build` for building and running; `toolchain_test` adds the browser
# and the browser-test packages.
set -euo pipefail

KLANKBORD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$KLANKBORD_ROOT/node_modules/.bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }

toolchain_build() {
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    say "Adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version >/dev/null 2>&1; then
    say "Installing cargo-leptos 0.3.10 (once per machine, about 30 minutes)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos@0.3.10 --locked
  fi
  # wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
  local want
  want="$(grep -A1 '^name = "wasm-bindgen"$' "$KLANKBORD_ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "Installing wasm-bindgen-cli $want (about 4 minutes)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
  # wasm-opt for release builds, from npm (cargo-leptos cannot download it here).
  if [ ! -x "$KLANKBORD_ROOT/node_modules/.bin/wasm-opt" ]; then
    say "Installing wasm-opt (npm binaryen)"
    (cd "$KLANKBORD_ROOT" && npm ci --no-audit --no-fund)
  fi
}

toolchain_test() {
  toolchain_build
  if ! command -v chromium >/dev/null 2>&1; then
    say "Installing Debian's Chromium for the browser tests"
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
  # A real SMTP server for the mail tests (aiosmtpd), in a virtualenv inside the clone.
  if ! "$KLANKBORD_ROOT/.tools/venv/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1; then
    say "Installing the SMTP test server (aiosmtpd)"
    python3 -m venv "$KLANKBORD_ROOT/.tools/venv"
    "$KLANKBORD_ROOT/.tools/venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.4.6"
  fi
  if [ ! -d "$KLANKBORD_ROOT/end2end/node_modules/@playwright/test" ]; then
    say "Installing the browser-test packages"
    (cd "$KLANKBORD_ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

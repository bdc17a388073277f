#!/usr/bin/env bash
# Runs every check and test: formatting, clippy per package, unit tests, the store and
# HTTP stories on SQLite and PostgreSQL, the browser tests in Debian's Chromium, and the
# release build.
# PostgreSQL: KLANKBORD_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432);
# under CI=true an unreachable PostgreSQL fails the run instead of being skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$KLANKBORD_ROOT"
toolchain_test

# The same flags and compile-time variables cargo-leptos uses, so the test build shares
# the compiled dependencies with `cargo leptos build`.
export RUSTFLAGS="--cfg erase_components"
export LEPTOS_OUTPUT_NAME=klankbord

pg_url="${KLANKBORD_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
if ! pg_isready -q -d "$pg_url/postgres" 2>/dev/null; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    say "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    sleep 2
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

say "Formatting"
cargo fmt --all --check

say "Clippy, per package"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

say "Rust tests (unit, store story and HTTP on SQLite and PostgreSQL)"
cargo test -p app --features ssr 2>&1 | tee -a "$log"
cargo test -p server 2>&1 | tee -a "$log"

say "Building the site for the browser tests"
# cargo-leptos adds `--cfg erase_components` to RUSTFLAGS itself; passing ours too would
# double the flag and rebuild everything.
env -u RUSTFLAGS cargo leptos build

say "Browser tests (Debian Chromium via Playwright)"
(cd end2end && npx playwright test) 2>&1 | tee -a "$log"

say "Release build (what scripts/run.sh serves)"
# The debug build erases view types (--cfg erase_components); the release build does not,
# and deep view types have broken only it before (rustc's query depth). Build it here so
# the README's run command cannot break unnoticed.
env -u RUSTFLAGS cargo leptos build --release

passed=$(( $(grep -oE 'test result: ok\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}') \
  + $(grep -oE '^ *[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}') ))
echo
echo "All checks and tests passed."
echo "${passed} passed, 0 failed"

#!/usr/bin/env bash
# Builds Klankbord (release) and runs it on http://127.0.0.1:3000 with an embedded SQLite
# database under data/ and the demo panel. Extra arguments go to `klankbord serve`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$KLANKBORD_ROOT"
toolchain_build

say "Building Klankbord (release)"
cargo leptos build --release

say "Starting Klankbord"
export LEPTOS_SITE_ROOT="$KLANKBORD_ROOT/target/site"
exec "$KLANKBORD_ROOT/target/server-release/klankbord" serve --demo "$@"

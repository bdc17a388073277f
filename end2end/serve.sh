#!/usr/bin/env bash
# Starts a fresh Klankbord for the browser tests: a new data folder with the demo panel,
# and the server's output in .run/server.log (the tests read the setup link from it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
run="$here/.run"
rm -rf "$run"
mkdir -p "$run"
export LEPTOS_SITE_ROOT="$root/target/site"
exec "$root/target/debug/klankbord" \
  --listen "127.0.0.1:${KLANKBORD_E2E_PORT:-3100}" \
  --database-url "sqlite://$run/data/klankbord.db" \
  serve --demo >"$run/server.log" 2>&1

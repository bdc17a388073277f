#!/usr/bin/env bash
# Measures what docs/benchmarks.md reports: release wasm size, landing-page and /healthz
# throughput and latency under wrk (loopback only, bounded in time), and server memory.
# Needs: wrk and brotli (apt-get install wrk brotli). Numbers vary with machine load.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$KLANKBORD_ROOT"
toolchain_build
port="${KLANKBORD_BENCH_PORT:-3200}"
duration="${KLANKBORD_BENCH_SECONDS:-20}"
connections="${KLANKBORD_BENCH_CONNECTIONS:-32}"

cargo leptos build --release >/dev/null 2>&1

wasm=target/site/pkg/klankbord.wasm
echo "## wasm (release)"
echo "raw:    $(stat -c %s "$wasm") bytes"
echo "gzip:   $(gzip -9 -c "$wasm" | wc -c) bytes"
echo "brotli: $(brotli -q 11 -c "$wasm" | wc -c) bytes"
echo "js:     $(stat -c %s target/site/pkg/klankbord.js) bytes; css: $(stat -c %s target/site/pkg/klankbord.css) bytes"

data="$(mktemp -d)"
export LEPTOS_SITE_ROOT="$KLANKBORD_ROOT/target/site"
target/server-release/klankbord --listen "127.0.0.1:$port" --log warn \
  --database-url "sqlite://$data/klankbord.db" serve --demo >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo
echo "## memory at rest"
grep -E 'VmRSS|VmHWM' /proc/$pid/status

for path in / /healthz; do
  echo
  echo "## wrk -t2 -c$connections -d${duration}s --latency http://127.0.0.1:$port$path"
  wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port$path" \
    | grep -E 'Requests/sec|Latency  |50%|90%|99%|requests in|Non-2xx'
done
echo
echo "## memory after load"
grep -E 'VmRSS|VmHWM' /proc/$pid/status

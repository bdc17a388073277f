#!/usr/bin/env bash
# Lighthouse 12 with its mobile defaults (simulated slow 4G, 4x CPU slow-down) on pages of
# a running Klankbord, in Debian's Chromium; prints one Markdown table row per page:
# performance, accessibility, best practices, SEO, largest contentful paint, total
# blocking time, and the bytes transferred (all, and scripts + wasm + CSS).
#
#   scripts/lighthouse.sh http://127.0.0.1:3300 [cookie] path...
#
# A cookie (`klankbord_session=…`) makes the pages after it load as that person.
# Lighthouse is installed once into .tools/lighthouse (npm registry).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="$1"
shift
cookie=""
if [[ "${1:-}" == *=* ]]; then
  cookie="$1"
  shift
fi
tools="$root/.tools/lighthouse"
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent lighthouse@12 >/dev/null)
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "| page | perf | a11y | best practices | SEO | LCP | TBT | transferred | scripts + wasm + CSS |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for path in "$@"; do
  headers=()
  if [ -n "$cookie" ]; then
    headers=(--extra-headers "{\"Cookie\": \"$cookie\"}")
  fi
  CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" "$tools/node_modules/.bin/lighthouse" \
    "$base$path" --quiet --output=json --output-path="$out/report.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
    "${headers[@]}" >/dev/null 2>&1 || { echo "| \`$path\` | lighthouse failed | | | | | | | |"; continue; }
  node -e '
    const r = require(process.argv[1]);
    const score = (c) => Math.round(r.categories[c].score * 100);
    const items = r.audits["network-requests"].details.items;
    const sum = (f) => items.filter(f).reduce((s, i) => s + (i.transferSize || 0), 0);
    const kb = (b) => (b / 1024).toFixed(1) + " KB";
    const code = sum((i) => ["Script", "Stylesheet"].includes(i.resourceType) || /\.(wasm|js|css)(\?|$)/.test(i.url));
    console.log(`| \`${process.argv[2]}\` | ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} | ${r.audits["largest-contentful-paint"].displayValue} | ${r.audits["total-blocking-time"].displayValue} | ${kb(sum(() => true))} | ${kb(code)} |`);
  ' "$out/report.json" "$path"
done

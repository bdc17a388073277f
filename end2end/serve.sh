#!/usr/bin/env bash
# Starts a fresh Klankbord for the browser tests: a new data folder with the demo panel,
# a real SMTP server (aiosmtpd) that stores every mail in .run/mail (the tests read the
# links from there), and the server's output in .run/server.log (the tests read the
# setup link from it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
run="$here/.run"
rm -rf "$run"
mkdir -p "$run"
smtp_port="${KLANKBORD_E2E_SMTP_PORT:-3125}"
"$root/.tools/venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" \
  -c aiosmtpd.handlers.Mailbox "$run/mail" >"$run/smtp.log" 2>&1 &
smtp_pid=$!
trap 'kill "$smtp_pid" 2>/dev/null || true' EXIT INT TERM
export LEPTOS_SITE_ROOT="$root/target/site"
export KLANKBORD_SMTP_HOST=127.0.0.1 KLANKBORD_SMTP_PORT="$smtp_port" KLANKBORD_SMTP_SECURITY=none
export KLANKBORD_MAIL_RETRY_SECS=1 KLANKBORD_MAIL_POLL_SECS=1
"$root/target/debug/klankbord" \
  --listen "127.0.0.1:${KLANKBORD_E2E_PORT:-3100}" \
  --database-url "sqlite://$run/data/klankbord.db" \
  serve --demo >"$run/server.log" 2>&1

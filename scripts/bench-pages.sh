#!/usr/bin/env bash
# The pages at 1,000 and 100,000 questions with 10 inputs each (a quarter of them answered,
# half of those with a published infographic), on SQLite and PostgreSQL
# (docs/benchmarks.md). Builds the release site, prints the size of every file in
# target/site/pkg (raw, gzip -9, brotli as served), then per database: starts the release
# server on loopback with a fresh database and the demo panel, adds questions and inputs
# straight into the database, restarts the server (its start-up indexing adds the new
# questions to the search index; that time is printed), and loads each page with wrk at
# 64 connections as a logged-in member: requests/s, that as a share of the static file's,
# p50 and p99; then leaves question pages halfway for as long (scripts/abandoned-requests.py),
# checks the server still answers, and prints its memory and the panics it logged. At the
# largest size on SQLite it runs Lighthouse (mobile defaults) on the pages a visitor and a
# member open first.
#
#   scripts/bench-pages.sh [sqlite] [postgres]          (both when none is named)
#
# Settings: KLANKBORD_BENCH_SIZES ("1000 100000"), KLANKBORD_BENCH_SECONDS (10),
# KLANKBORD_BENCH_CONNECTIONS (64), KLANKBORD_BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432),
# KLANKBORD_BENCH_LIGHTHOUSE (1; 0 skips it), KLANKBORD_BENCH_KEEP (a folder to keep the
# SQLite database in, for a closer look afterwards). Needs wrk, brotli, sqlite3 and psql
# (apt-get install wrk brotli sqlite3 postgresql-client).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$KLANKBORD_ROOT"
toolchain_build
port="${KLANKBORD_BENCH_PORT:-3202}"
duration="${KLANKBORD_BENCH_SECONDS:-10}"
connections="${KLANKBORD_BENCH_CONNECTIONS:-64}"
sizes="${KLANKBORD_BENCH_SIZES:-1000 100000}"
pg_server="${KLANKBORD_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
lighthouse="${KLANKBORD_BENCH_LIGHTHOUSE:-1}"
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
base="http://127.0.0.1:$port"

env -u RUSTFLAGS cargo leptos build --release >/dev/null 2>&1

echo "## Files (target/site/pkg at $(git rev-parse --short HEAD))"
echo
echo "| file | raw | gzip -9 | brotli -q 11 |"
echo "| --- | --- | --- | --- |"
for f in target/site/pkg/*; do
  echo "| \`$(basename "$f")\` | $(stat -c %s "$f") B | $(gzip -9 -c "$f" | wc -c) B | $(brotli -q 11 -c "$f" | wc -c) B |"
done

# KLANKBORD_BENCH_KEEP=<folder>: the SQLite database is made there and left behind.
data="${KLANKBORD_BENCH_KEEP:-$(mktemp -d)}"
mkdir -p "$data"
export LEPTOS_SITE_ROOT="$KLANKBORD_ROOT/target/site"
pid=
url=
start() {
  target/server-release/klankbord --listen "127.0.0.1:$port" --log warn \
    --database-url "$url" serve --demo >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && return; sleep 0.2; done
  echo "the server did not start:" >&2
  cat "$data/server.log" >&2
  exit 1
}
stop() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  pid=
}
trap 'stop; [ -n "${KLANKBORD_BENCH_KEEP:-}" ] || rm -rf "$data"' EXIT

sql() { # one statement or script on the database under test; prints rows bar-separated
  if [ "$backend" = sqlite ]; then
    sqlite3 "$data/klankbord.db" "$1"
  else
    psql -q -X -A -t -v ON_ERROR_STOP=1 "$pg_server/klankbord_bench" -c "$1"
  fi
}

seed() { # adds questions until there are $1, each with 10 inputs by the demo members
  local before now
  before="$(sql 'SELECT COALESCE(MAX(id), 0) FROM questions')"
  now="$(date +%s)"
  # A quarter each open for input, accepted, advice sent and submitted; titles carry one of
  # six topic words; spread over the six themes and eleven municipalities.
  sql "
    WITH RECURSIVE n(i) AS (SELECT (SELECT COUNT(*) FROM questions) + 1
                            UNION ALL SELECT i + 1 FROM n WHERE i < $1)
    INSERT INTO questions (panel_id, kind, state, title, background, question, open_to_influence,
                           needed_by, participation, theme_id, owner_id, created_by, created_at, updated_at)
    SELECT p.id, 'solicited',
           CASE i % 4 WHEN 0 THEN 'collecting_input' WHEN 1 THEN 'accepted' WHEN 2 THEN 'advice_sent' ELSE 'submitted' END,
           'Vraag ' || i || ' over ' || CASE i % 6 WHEN 0 THEN 'wachttijden' WHEN 1 THEN 'prestatiedruk'
             WHEN 2 THEN 'school' WHEN 3 THEN 'armoede' WHEN 4 THEN 'eenzaamheid' ELSE 'scheiding' END,
           'Achtergrond van vraag ' || i, 'Wat vinden jullie van ' || i || '?', 'Veel.',
           '2030-01-01', 'advise', (SELECT MIN(id) + i % 6 FROM themes WHERE panel_id = p.id), u.id, u.id,
           $now - i, $now - i
    FROM n, panels p, users u WHERE p.slug = 'demo' AND u.email = 'beleid@demo.klankbord.test';
    INSERT INTO question_municipalities (question_id, municipality_id)
    SELECT q.id, (SELECT MIN(id) FROM municipalities WHERE panel_id = q.panel_id) + q.id % 11
    FROM questions q WHERE q.id > $before;
    INSERT INTO inputs (question_id, author_id, body, for_group, show_name, may_quote, created_at, updated_at)
    SELECT q.id, u.id,
           'Mijn ervaring ' || k.k || ' bij vraag ' || q.id || ': het duurde lang voordat iemand naar me luisterde.',
           0, CASE WHEN k.k % 2 = 0 THEN 1 ELSE 0 END, CASE WHEN k.k % 3 = 0 THEN 1 ELSE 0 END,
           q.created_at + k.k, q.created_at + k.k
    FROM questions q,
         (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
          UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) k,
         users u
    WHERE q.id > $before AND q.state <> 'submitted'
      AND u.email = CASE k.k % 4 WHEN 0 THEN 'sam@demo.klankbord.test' WHEN 1 THEN 'jay@demo.klankbord.test'
                             WHEN 2 THEN 'lina@demo.klankbord.test' ELSE 'daan@demo.klankbord.test' END;
    -- The questions with advice sent are answered: two recommendations each (one adopted
    -- and followed, one not), and every second one has a published infographic.
    INSERT INTO question_events (question_id, event, at)
    SELECT id, 'submitted', created_at FROM questions WHERE id > $before;
    UPDATE questions SET advice_sent_at = created_at + 3600, feedback_due = '2030-01-01',
           feedback_submitted_at = created_at + 7200, advice_summary = 'Samengevat.'
     WHERE id > $before AND state = 'advice_sent';
    INSERT INTO recommendations (question_id, position, body)
    SELECT q.id, k.k, 'Aanbeveling ' || k.k FROM questions q, (SELECT 1 AS k UNION ALL SELECT 2) k
     WHERE q.id > $before AND q.state = 'advice_sent';
    INSERT INTO responses (recommendation_id, status, explanation, updated_at)
    SELECT r.id, CASE r.position WHEN 1 THEN 'adopted' ELSE 'not_adopted' END, 'Uitleg.', $now
      FROM recommendations r WHERE r.question_id > $before;
    INSERT INTO progress_updates (recommendation_id, state, note, expected_on, at)
    SELECT r.id, CASE r.question_id % 3 WHEN 0 THEN 'done' WHEN 1 THEN 'in_progress' ELSE 'planned' END,
           'Bezig.', '2030-01-01', $now
      FROM recommendations r WHERE r.position = 1 AND r.question_id > $before;
    INSERT INTO infographics (question_id, question_line, said, meaning, published_json, published_at, updated_at)
    SELECT id, 'Wat vinden jullie van ' || id || '?', 'Gezegd.', 'Betekenis.', '{}', $now - id, $now
      FROM questions WHERE id > $before AND state = 'advice_sent' AND id % 2 = 0;
    ANALYZE;" >/dev/null
}

reindex() { # restart: start-up indexing adds the seeded questions to the search index
  stop
  local t0 t1
  t0=$(date +%s.%N)
  start
  until [ "$(sql 'SELECT COUNT(*) FROM questions q WHERE NOT EXISTS (SELECT 1 FROM question_terms t WHERE t.question_id = q.id)')" = 0 ]; do
    sleep 0.5
  done
  t1=$(date +%s.%N)
  # As autovacuum leaves a PostgreSQL database in use: statistics and visibility map.
  if [ "$backend" = sqlite ]; then sql 'ANALYZE' >/dev/null; else sql 'VACUUM ANALYZE' >/dev/null; fi
  echo "Start-up with indexing: $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s" \
    "($(sql 'SELECT COUNT(*) FROM question_terms') term rows)."
}

login() { # the cookie of a logged-in demo member
  curl -s -D - -o /dev/null -H 'Accept: application/json' \
    --data "email=$1&password=klankbord-demo" "$base/api/login" |
    sed -n 's/^set-cookie: \(klankbord_session=[0-9a-f]*\).*/\1/ip'
}

load() { # wrk on one path; prints req/s, p50, p99 and failed answers (non-2xx or socket errors)
  local out failed
  out="$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H 'Accept-Encoding: br' \
    -H 'Accept: text/html' ${2:+-H "Cookie: $2"} "$base$1")"
  failed="$(echo "$out" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')"
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "99%" {print $2}')" "$failed"
}

for backend in "${backends[@]}"; do
  if [ "$backend" = sqlite ]; then
    url="sqlite://$data/klankbord.db"
    rm -f "$data"/klankbord.db*
  else
    url="$pg_server/klankbord_bench"
    psql -q -X "$pg_server/postgres" -c 'DROP DATABASE IF EXISTS klankbord_bench' \
      -c 'CREATE DATABASE klankbord_bench'
  fi
  start
  for total in $sizes; do
    seed "$total"
    echo
    echo "## $backend, $(sql 'SELECT COUNT(*) FROM questions') questions, $(sql 'SELECT COUNT(*) FROM inputs') inputs"
    echo
    reindex
    cookie="$(login sam@demo.klankbord.test)"
    coordinator="$(login coordinator@demo.klankbord.test)"
    [ -n "$cookie" ] && [ -n "$coordinator" ] || { echo "login failed" >&2; exit 1; }
    theme="$(sql "SELECT MIN(id) FROM themes WHERE panel_id = (SELECT id FROM panels WHERE slug = 'demo')")"
    # The stylesheet under the content-hashed name pages link (served from memory).
    css="$(curl -s "$base/" | grep -o '/pkg/klankbord\.[0-9a-f]*\.css' | head -1)" || true
    [ -n "$css" ] || { echo "no stylesheet link on the landing page" >&2; exit 1; }
    # A question open for input with its ten inputs, halfway down the list.
    question="$(sql "SELECT id FROM questions WHERE state = 'collecting_input' ORDER BY id LIMIT 1 OFFSET $((total / 8))")"
    older="$(curl -s -H "Cookie: $cookie" -H 'Accept: text/html' "$base/questions" |
      grep -o 'href="/questions?page=2&amp;at=o[0-9.]*' | head -1 | sed 's/href="//; s/&amp;/\&/')" || true
    [ -n "$older" ] || { echo "no link to the second page of the list" >&2; exit 1; }
    echo
    echo "wrk -t2 -c$connections -d${duration}s --latency, as the member Sam where a cookie is shown:"
    echo
    echo "| path | req/s | share of the static file's | p50 | p99 | failed |"
    echo "| --- | --- | --- | --- | --- | --- |"
    static_rps=
    for entry in "$css|" "/healthz|" "/|" "/p/demo|" "/home|c" "/questions|c" "$older|c" \
      "/questions?q=wacht|c" "/questions?q=vraag+over+eenzaamheid|c" "/questions?q=onbekendwoord|c" \
      "/questions/$question|c" "/p/demo?theme=$theme&q=vraag|" "/impact|k" "/impact?theme=$theme&figure=answered|k"; do
      path="${entry%|*}"
      who=""
      [ "${entry##*|}" = c ] && who="$cookie"
      [ "${entry##*|}" = k ] && who="$coordinator"
      read -r rps p50 p99 failed < <(load "$path" "$who")
      [ -n "$static_rps" ] || static_rps="$rps"
      share="$(echo "scale=1; 100 * $rps / $static_rps" | bc)"
      role="${who:+ (member)}"
      [ "${entry##*|}" = k ] && role=" (coordinator)"
      echo "| \`$path\`$role | $rps | $share % | $p50 | $p99 | $failed |"
    done
    # Pages left halfway (a phone navigating on): the server must keep answering.
    abandoned="$(scripts/abandoned-requests.py "$base" "/questions/$question" "$cookie" \
      "$duration" "$connections")"
    after="$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Cookie: $cookie" \
      -H 'Accept: text/html' "$base/home" || true)"
    echo
    echo "Question pages left halfway by $connections connections for ${duration} s: $abandoned;" \
      "\`/home\` afterwards answered $after."
    echo "Server memory after the load: $(grep -E 'VmRSS' /proc/$pid/status | awk '{print $2 " " $3}')" \
      "resident, peak $(grep -E 'VmHWM' /proc/$pid/status | awk '{print $2 " " $3}')." \
      "Panics logged: $(grep -c 'panicked' "$data/server.log" || true)."
    if [ "$backend" = sqlite ] && [ "$lighthouse" = 1 ] && [ "$total" = "${sizes##* }" ]; then
      echo
      echo "Lighthouse 12, mobile defaults:"
      echo
      scripts/lighthouse.sh "$base" / /p/demo /login
      scripts/lighthouse.sh "$base" "$cookie" /home "/questions/$question" /questions | tail -n +3
    fi
  done
  stop
done

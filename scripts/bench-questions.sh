#!/usr/bin/env bash
# The question list's latency at 1,000 and 10,000 questions (docs/benchmarks.md): the
# release server on loopback with a fresh SQLite database and the demo panel, questions
# added straight into the database, then wrk on the list page as a logged-in member
# (first page and a deep page), and the search and filters. The server is restarted after
# seeding so that its start-up indexing adds the new questions to the search index (that
# time is printed too). Needs wrk and sqlite3 (apt-get install wrk sqlite3).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$KLANKBORD_ROOT"
toolchain_build
port="${KLANKBORD_BENCH_PORT:-3201}"
duration="${KLANKBORD_BENCH_SECONDS:-15}"
export RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=klankbord
cargo build -p server --profile server-release >/dev/null 2>&1

data="$(mktemp -d)"
db="$data/klankbord.db"
export LEPTOS_SITE_ROOT="$KLANKBORD_ROOT/target/site"
pid=
start() {
  target/server-release/klankbord --listen "127.0.0.1:$port" --log warn \
    --database-url "sqlite://$db" serve --demo >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
}
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
start

printf 'wrk.method = "POST"\nwrk.body = "state=&page=1"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' >"$data/post.lua"
cookie="$(curl -s -D - -o /dev/null -H 'Accept: application/json' \
  --data 'email=sam@demo.klankbord.test&password=klankbord-demo' \
  "http://127.0.0.1:$port/api/login" | sed -n 's/^set-cookie: \(klankbord_session=[0-9a-f]*\).*/\1/ip')"
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }

seed() { # add questions until there are $1 (a quarter each: open for input, accepted, advice sent, submitted)
  sqlite3 "$db" "
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
           strftime('%s', 'now') - i, strftime('%s', 'now') - i
    FROM n, panels p, users u WHERE p.slug = 'demo' AND u.email = 'beleid@demo.klankbord.test';
    INSERT INTO question_municipalities (question_id, municipality_id)
    SELECT q.id, (SELECT MIN(id) FROM municipalities WHERE panel_id = q.panel_id) + q.id % 11 FROM questions q
    WHERE NOT EXISTS (SELECT 1 FROM question_municipalities qm WHERE qm.question_id = q.id);
    ANALYZE;"
}

reindex() { # restart: start-up indexing adds the seeded questions to the search index
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local t0 t1
  t0=$(date +%s.%N)
  start
  until [ "$(sqlite3 "$db" 'SELECT COUNT(*) FROM questions q WHERE NOT EXISTS (SELECT 1 FROM question_terms t WHERE t.question_id = q.id)')" = 0 ]; do
    sleep 0.2
  done
  t1=$(date +%s.%N)
  echo "start-up with indexing: $(echo "$t1 - $t0" | bc) s ($(sqlite3 "$db" 'SELECT COUNT(*) FROM question_terms') term rows)"
}

for total in 1000 10000; do
  seed "$total"
  echo
  echo "## $total questions ($(sqlite3 "$db" 'SELECT COUNT(*) FROM questions') in the database; a member sees three quarters)"
  reindex
  deep=$(( total * 3 / 4 / 25 ))
  theme=$(sqlite3 "$db" "SELECT MIN(id) + 4 FROM themes")
  town=$(sqlite3 "$db" "SELECT MIN(id) + 3 FROM municipalities")
  for path in "/questions" "/questions?page=$deep" "/api/questions" \
    "/questions?q=wacht" "/questions?q=vraag+over+eenzaamheid" "/questions?q=onbekendwoord" \
    "/questions?theme=$theme&municipality=$town" "/questions?q=school&page=3"; do
    echo "### wrk -t2 -c8 -d${duration}s --latency $path"
    if [ "$path" = "/api/questions" ]; then
      wrk -t2 -c8 -d"${duration}s" --latency -H "Cookie: $cookie" -H "Accept: application/json" \
        -s "$data/post.lua" \
        "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx'
    else
      wrk -t2 -c8 -d"${duration}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path" \
        | grep -E 'Requests/sec|50%|90%|99%|Non-2xx'
    fi
  done
done

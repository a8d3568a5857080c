#!/usr/bin/env bash
# One measuring session of issue 9's speed goals with the shared harness (../shared/bench):
# the anchor rows and our service, on the same machine, in the same session, so that
# ratios compare like with like. Loopback only; everything under /tmp.
#
#   scripts/bench/session.sh                 # all steps, ~25 min (plus data loads on first use)
#   STEPS="anchors medium" scripts/bench/session.sh
#
# Steps (STEPS, in this order):
#   anchors  harness data (load-db.sh, 50,000 projects), pgbench D1 get_by_id, D3 list 2q,
#            D5 search, D6 status counts (run-pgbench.sh), H2 hello-echo and L2 lean pgx
#            (anchors.sh)
#   medium   our schema, 50,000 projects (ikz-benchdata -size medium): list, get, search,
#            stats with run-service.sh; idle RSS and peak RSS under the list load
#   sqlite   the same data on SQLite: list; then 64 list readers and 4 writers (merge
#            patches) at once, counting errors and "database is locked" in the log
#   growth   list, get, search on 5,000 (small) and 500,000 (large) projects
#   (medium and growth also measure search with its result cache off: IKZ_SEARCH_CACHE=0)
#   writes   (not in the default steps: it writes) at W_SIZE (partners cooperations projects,
#            "2000 5000 20000"), each on a fresh copy of its data: the write anchors W1
#            write_create_project and W2 write_transition (pgbench, WRITERS=16 clients), then our
#            service with 16 writers through the API: creates (three participants), transitions
#            (in_progress <-> suspended of each writer's own project) and patches (its title);
#            the ratios to W1/W2; then the list load (64 connections) alone and beside 4 patch
#            writers. W_SIZE="20000 50000 500000" uses ikz_large (the growth step's data).
# Env: BENCH (harness dir), OUT (results), PORT (18090), POOL (IKZ_DB_MAX_CONNS, 10),
#      RUNS, DURATION, CONNS, THREADS, WARMUP (as the harness), GROWTH_WARMUP (20s: warm-up
#      of each endpoint in the growth step, at every size alike), PG_BIN (initdb/pg_ctl directory),
#      BIN (where the binaries are built, /tmp/ikz-bench-bin), KEEP=1 leaves the cluster running,
#      DBS (ikz) the prefix of the databases. Data loads are kept between sessions: the
#      databases ikz_small/medium/large (DBS_small, …) in the throwaway cluster,
#      /tmp/ikz-bench-medium.db. Two branches with different schemas measure on copies:
#      `CREATE DATABASE mine_medium TEMPLATE ikz_medium`, then `ikz-verzeichnis migrate` on it
#      (a large backfill does not fit the start's wait), DBS=mine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/scripts/bench"
BENCH=${BENCH:-$ROOT/../shared/bench}
OUT=${OUT:-/tmp/ikz-bench-$(date -u +%Y%m%dT%H%M%S)}
PORT=${PORT:-18090}; POOL=${POOL:-10}; GROWTH_WARMUP=${GROWTH_WARMUP:-20s}; DBS=${DBS:-ikz}
STEPS=${STEPS:-anchors medium sqlite growth}
export PG_BIN=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
export RUNS=${RUNS:-3} DURATION_WRK=${DURATION:-15s}
BIN=${BIN:-/tmp/ikz-bench-bin}
mkdir -p "$OUT" "$BIN"
want() { [[ " $STEPS " == *" $1 "* ]]; }
log() { echo "== $(date -u +%T) $*" | tee -a "$OUT/session.log" >&2; }

# wrk and pgbench come from Debian (the harness's prerequisites); install what is missing.
missing=(); command -v wrk >/dev/null || missing+=(wrk); command -v pgbench >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "install ${missing[*]} (apt-get install -y ${missing[*]})" >&2; exit 1; }
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
(cd "$ROOT" && go build -o "$BIN/" ./cmd/ikz-verzeichnis ./cmd/ikz-benchdata)
if "$BENCH/scripts/pg-local.sh" status >/dev/null 2>&1; then   # a cluster of an earlier session
  DB_URL='postgres://postgres@127.0.0.1:55434/directory?sslmode=disable'; PG_PID=$(head -1 /tmp/bench-pg/data/postmaster.pid)
  export DB_URL PG_PID
else
  eval "$("$BENCH/scripts/pg-local.sh" start)"   # DB_URL (harness database "directory"), PG_PID
fi
BASE=${DB_URL%/directory*}
cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [ "${KEEP:-}" = 1 ] || "$BENCH/scripts/pg-local.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
echo "# session $(date -u +%FT%TZ) on $(nproc) cores, $(uname -r); $(go version | cut -d' ' -f3); pool $POOL" | tee "$OUT/summary.txt"

# pgdb NAME SIZE: the database NAME loaded with ikz-benchdata -size SIZE (once).
pgdb() {
  local url="$BASE/$1?sslmode=disable" n
  psql "$BASE/postgres" -qAtc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1 ||
    psql "$BASE/postgres" -qc "CREATE DATABASE $1"
  n=$(psql "$BASE/$1" -qAtc "SELECT count(*) FROM projects" 2>/dev/null || echo 0)
  if [ "$n" = 0 ]; then
    log "loading $1 ($2)"; "$BIN/ikz-benchdata" -db "$url" -size "$2" -q >> "$OUT/session.log"
    psql "$BASE/$1" -qc "VACUUM (ANALYZE, FREEZE)"
  fi
  echo "$url"
}

# serve URL: start our service on URL (all middleware on, JSON access log to a file).
serve() {
  IKZ_DATABASE_URL="$1" IKZ_LISTEN_ADDR="127.0.0.1:$PORT" IKZ_DB_MAX_CONNS="$POOL" IKZ_SEED=false \
    IKZ_LOG_FORMAT=json "$BIN/ikz-verzeichnis" serve >> "$OUT/service-$2.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.2
  done
  echo "service did not start, see $OUT/service-$2.log" >&2; return 1
}
stop() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=; }
rss() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; } # kB
# peak_rss PID SECONDS: highest VmRSS (kB) sampled every 0.2 s
peak_rss() { local m=0 r; for _ in $(seq 1 $(($2 * 5))); do r=$(rss "$1" 2>/dev/null || echo 0); [ "$r" -gt "$m" ] && m=$r; sleep 0.2; done; echo "$m"; }

# service LABEL PROJECTS [SKIP]: run-service.sh from scripts/bench, so that our wrk/*.lua
# (our statuses, cursors, slugs) replace the harness's defaults of the same names.
service() {
  (cd "$HERE" && PROJECTS=$2 SKIP="${3:-}" APP_PID=$APP_PID PG_PID=$PG_PID OUT="$OUT/wrk-$1" DURATION=$DURATION_WRK \
    WARMUP=${WARMUP:-3s} \
    STATS_PATH='/api/v1/stats/projects?group_by=status' "$BENCH/scripts/run-service.sh" "http://127.0.0.1:$PORT") |
    sed "s/service-/$1-/" | tee -a "$OUT/summary.txt"
}

if want anchors; then
  log "anchors: harness data"
  "$BENCH/scripts/load-db.sh" "$DB_URL" > "$OUT/load-db.txt"
  log "anchors: pgbench"
  (cd "$BENCH" && DURATION=${PGBENCH_DURATION:-15} OUT="$OUT/pgbench" scripts/run-pgbench.sh "$DB_URL" \
    pgbench/get_by_id.sql pgbench/list_page_participants_2q.sql pgbench/search.sql pgbench/status_counts.sql) |
    tee -a "$OUT/summary.txt"
  log "anchors: hello-echo, lean"
  (cd "$BENCH" && ONLY="hello-echo lean" DURATION=$DURATION_WRK OUT="$OUT/anchors" scripts/anchors.sh "$DB_URL") |
    tee -a "$OUT/summary.txt"
fi

if want medium; then
  url=$(pgdb "${DBS}_medium" medium)
  serve "$url" medium
  for i in $(seq 1 20); do curl -fs "http://127.0.0.1:$PORT/api/v1/projects?limit=50" >/dev/null; done
  sleep 2; echo "medium idle RSS: $(rss "$APP_PID") kB" | tee -a "$OUT/summary.txt"
  peak_rss "$APP_PID" 45 > "$OUT/peak.txt" & peak=$!
  service medium 50000 "get search stats"
  wait "$peak"; echo "medium RSS under list load: peak $(cat "$OUT/peak.txt") kB" | tee -a "$OUT/summary.txt"
  service medium 50000 "list"
  stop
  # Search without its result cache (IKZ_SEARCH_CACHE=0): what every query costs cold.
  IKZ_SEARCH_CACHE=0 serve "$url" medium-nocache
  service medium-nocache 50000 "list get stats"
  stop
fi

if want sqlite; then
  db=/tmp/ikz-bench-medium.db
  if [ ! -s "$db" ]; then log "loading $db (medium)"; "$BIN/ikz-benchdata" -db "sqlite:$db" -size medium -q >> "$OUT/session.log"; fi
  serve "sqlite:$db" sqlite
  service sqlite 50000 "get search stats"
  token=$(IKZ_DATABASE_URL="sqlite:$db" "$BIN/ikz-verzeichnis" token create --name bench-writer --role admin 2>/dev/null)
  log "sqlite: 64 readers + 4 writers"
  (cd "$HERE" && PROJECTS=50000 WRK_LUA_DIR="$BENCH/wrk" TOKEN=$token \
    wrk -t1 -c4 -d"$DURATION_WRK" --latency -s wrk/write.lua "http://127.0.0.1:$PORT" > "$OUT/sqlite-writers.txt" 2>&1) &
  writers=$!
  (cd "$HERE" && PROJECTS=50000 WRK_LUA_DIR="$BENCH/wrk" \
    wrk -t2 -c64 -d"$DURATION_WRK" --latency -s wrk/list.lua "http://127.0.0.1:$PORT" > "$OUT/sqlite-readers.txt" 2>&1)
  wait "$writers"
  locked=$(grep -c "database is locked" "$OUT/service-sqlite.log" || true)
  for f in readers writers; do
    echo "sqlite mixed $f: $(awk '/Requests\/sec/{print $2" req/s"} $1=="99%"{print "p99 "$2} /Non-2xx/{print "non-2xx "$NF}' "$OUT/sqlite-$f.txt" | paste -sd' ')" |
      tee -a "$OUT/summary.txt"
  done
  echo "sqlite mixed: 'database is locked' in the service log: $locked (non-2xx as the clients saw them: above)" |
    tee -a "$OUT/summary.txt"
  stop
fi

if want growth; then
  for s in small:5000 large:500000; do
    url=$(pgdb "${DBS}_${s%%:*}" "${s%%:*}")
    serve "$url" "${s%%:*}"
    # The same, longer warm-up at every size: 500,000 projects do not fit into
    # shared_buffers, and a cold cache is not the steady state a portal sees.
    WARMUP=$GROWTH_WARMUP service "${s%%:*}" "${s##*:}" "stats"
    stop
    IKZ_SEARCH_CACHE=0 serve "$url" "${s%%:*}-nocache"
    WARMUP=$GROWTH_WARMUP service "${s%%:*}-nocache" "${s##*:}" "list get stats"
    stop
  done
fi
if want writes; then
  . "$BENCH/scripts/lib.sh"   # median
  read -r WP WC WN <<< "${W_SIZE:-2000 5000 20000}"; WRITERS=${WRITERS:-16}
  # fresh NAME TEMPLATE: the database NAME made anew as a copy of TEMPLATE; prints its URL.
  fresh() {
    psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE $2" >&2
    echo "$BASE/$1?sslmode=disable"
  }
  count() { psql "$BASE/$1" -qAtc "SELECT count(*) FROM projects" 2>/dev/null || echo 0; }
  # The harness's data at this size, kept as a template (W1 adds projects: every script gets a copy).
  hw=harness_w$WN
  if [ "$(count "$hw")" != "$WN" ]; then
    log "writes: loading the harness data $WP/$WC/$WN"
    psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS $hw" -c "CREATE DATABASE $hw"
    "$BENCH/scripts/load-db.sh" "$BASE/$hw?sslmode=disable" "$WP" "$WC" "$WN" > "$OUT/load-$hw.txt"
  fi
  log "writes: W1, W2 ($WRITERS clients)"
  for s in write_create_project write_transition; do
    url=$(fresh harness_writes "$hw")
    (cd "$BENCH" && CLIENTS=$WRITERS THREADS=2 PROJECTS=$WN DURATION=${PGBENCH_DURATION:-15} PG_PID=$PG_PID \
      OUT="$OUT/pgbench-writes" scripts/run-pgbench.sh "$url" "pgbench/$s.sql") | tee -a "$OUT/summary.txt"
  done
  # Our data at this size, kept as a template too.
  if [ "$WN" = 500000 ]; then sw=$(basename "$(pgdb "${DBS}_large" large)" '?sslmode=disable'); else
    sw=ikz_w$WN
    if [ "$(count "$sw")" != "$WN" ]; then
      log "writes: loading $sw"
      psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS $sw" -c "CREATE DATABASE $sw"
      "$BIN/ikz-benchdata" -db "$BASE/$sw?sslmode=disable" -partners "$WP" -cooperations "$WC" -projects "$WN" -q >> "$OUT/session.log"
      psql "$BASE/$sw" -qc "VACUUM (ANALYZE, FREEZE)"
    fi
  fi
  # the template at this binary's schema (its copies then start without a backfill)
  IKZ_DATABASE_URL="$BASE/$sw?sslmode=disable" "$BIN/ikz-verzeichnis" migrate >> "$OUT/session.log" 2>&1
  # writes_serve LABEL: a fresh copy of our data, the token of an editor who may write budgets
  # (TOKEN: editor and controlling), the service on it.
  writes_serve() {
    local url; url=$(fresh ikz_writes "$sw")
    TOKEN=$(IKZ_DATABASE_URL="$url" "$BIN/ikz-verzeichnis" token create --name bench-writer --role editor --role controlling 2>/dev/null | tail -1)
    export TOKEN
    serve "$url" "writes-$1"
  }
  # writes_wrk LABEL SCRIPT THREADS CONNS: run-wrk.sh with our script (its medians in the summary).
  writes_wrk() {
    (cd "$HERE" && RUNS=$RUNS DURATION=$DURATION_WRK WARMUP=${WARMUP:-3s} THREADS=$3 CONNS=$4 PROJECTS=$WN \
      APP_PID=$APP_PID PG_PID=$PG_PID OUT="$OUT/wrk-writes" "$BENCH/scripts/run-wrk.sh" "http://127.0.0.1:$PORT" "$2" "$1") |
      tee -a "$OUT/summary.txt"
  }
  med() { awk -v c="$2" '{print $c}' "$1" | median; }   # med RUNS_FILE COLUMN
  # waits LABEL: where the backends of ikz_writes spend the run of writes_wrk that follows
  # (pg_stat_activity every 50 ms: wait event, state, the statement's start), the most
  # frequent lines to $OUT/wrk-writes/LABEL.waits and the summary.
  waits() {
    local d=${DURATION_WRK%s} w=${WARMUP:-3s}
    printf '%s\n\\watch 0.05\n' "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'), state,
      left(regexp_replace(query, '\\s+', ' ', 'g'), 72) FROM pg_stat_activity
      WHERE datname = 'ikz_writes' AND state <> 'idle' AND pid <> pg_backend_pid()" |
      timeout $((${w%s} + RUNS * (d + 1))) psql "$BASE/postgres" -At -F' | ' 2>/dev/null |
      sort | uniq -c | sort -rn > "$OUT/wrk-writes/$1.waits" || true
    { echo "# $1: backends' samples (count | wait | state | statement)"; head -12 "$OUT/wrk-writes/$1.waits"; } >> "$OUT/summary.txt"
  }
  partners=$(psql "$BASE/$sw" -qAtc "SELECT string_agg(slug, ',') FROM (SELECT slug FROM partners WHERE deleted_at IS NULL ORDER BY slug LIMIT 200) s")
  export COOPERATIONS=$WC PARTNERS=$partners
  echo "# our service, $WRITERS writers through the API at $WN projects; load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  mkdir -p "$OUT/wrk-writes"
  writes_serve create; waits create & sampler=$!
  writes_wrk service-create wrk/create.lua "$WRITERS" "$WRITERS"; wait "$sampler"; stop
  writes_serve transition
  OWN=$(psql "$BASE/ikz_writes" -qAtc "SELECT string_agg(slug, ',') FROM (SELECT slug FROM projects
    WHERE status = 'in_progress' AND deleted_at IS NULL ORDER BY slug LIMIT $WRITERS) s")
  export OWN STATE="$OUT/transition.state"; rm -f "$STATE"
  waits transition & sampler=$!
  writes_wrk service-transition wrk/transition.lua "$WRITERS" "$WRITERS"; wait "$sampler"; stop
  writes_serve patch
  OWN=$(seq -f 'p-%g' 1 "$WRITERS" | paste -sd,); export OWN
  waits patch & sampler=$!
  writes_wrk service-patch wrk/patch.lua "$WRITERS" "$WRITERS"; wait "$sampler"
  # Reads beside writes: the list load alone, then beside 4 patch writers running all along.
  writes_wrk service-list-alone wrk/list.lua 2 64
  d=${DURATION_WRK%s}; w=${WARMUP:-3s}
  (cd "$HERE" && WRK_LUA_DIR="$BENCH/wrk" OWN=$(seq -f 'p-%g' 101 104 | paste -sd,) \
    wrk -t4 -c4 -d$((${w%s} + RUNS * (d + 2)))s --latency -s wrk/patch.lua "http://127.0.0.1:$PORT" > "$OUT/wrk-writes/beside.txt" 2>&1) &
  beside=$!
  writes_wrk service-list-beside-4-writers wrk/list.lua 2 64
  wait "$beside"; stop
  r() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }'; }
  W1=$(med "$OUT/pgbench-writes/write_create_project.runs" 1); W2=$(med "$OUT/pgbench-writes/write_transition.runs" 1)
  C=$(med "$OUT/wrk-writes/service-create.runs" 1); T=$(med "$OUT/wrk-writes/service-transition.runs" 1)
  LA=$(med "$OUT/wrk-writes/service-list-alone.runs" 3); LB=$(med "$OUT/wrk-writes/service-list-beside-4-writers.runs" 3)
  {
    echo "writes at $WN projects: creates $C/s = $(r "$C" "$W1") x W1 ($W1 tps), p99 $(med "$OUT/wrk-writes/service-create.runs" 3) ms;" \
      "transitions $T/s = $(r "$T" "$W2") x W2 ($W2 tps), p99 $(med "$OUT/wrk-writes/service-transition.runs" 3) ms (goal: 0.2 x, p99 <= 100 ms)"
    echo "list p99 beside 4 writers / alone: $LB / $LA ms = $(r "$LB" "$LA") (goal <= 1.5);" \
      "the writers beside: $(awk '/Requests\/sec/{print $2" req/s"} $1=="99%"{print "p99 "$2} /Non-2xx/{print "non-2xx "$NF}' "$OUT/wrk-writes/beside.txt" | paste -sd' ')"
  } | tee -a "$OUT/summary.txt"
fi
log "done: $OUT/summary.txt"

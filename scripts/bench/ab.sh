#!/usr/bin/env bash
# Alternating pairs of two builds under 16 writers through the API, for a change to the
# write path whose effect is smaller than a session's run-to-run spread:
#
#   scripts/bench/ab.sh /tmp/old /tmp/new [create|transition|patch] [PAIRS]
#
# Each run gets a fresh copy of ikz_w20000 (the writes step of session.sh loads it into the
# benchmark cluster, port 55434), its own token, the service on :18092 (pool 10) and
# wrk for DURATION (20s) after WARMUP (3s, as session.sh); it prints writes/s, p99, the
# service's CPU per write (utime + stime of the process over the run) and the whole
# machine's (/proc/stat: user, nice, system, irq, softirq; service, PostgreSQL and wrk, on
# a machine doing nothing else). Old and new take turns, so that a drift of the machine hits both; on a host whose speed
# drifts by minutes, the CPU per write moves less than writes/s.
set -euo pipefail
OLD=$1; NEW=$2; OP=${3:-create}; PAIRS=${4:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=${BENCH:-$HERE/../../../shared/bench}
BASE=${BASE:-postgres://postgres@127.0.0.1:55434}; PORT=${PORT:-18092}; DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-3s}  # not measured: the first requests of a fresh service plan and connect
[ -f "$BENCH/wrk/common.lua" ] || { echo "the harness is not at $BENCH (set BENCH)" >&2; exit 1; }
threads=4; [ "$OP" = transition ] && threads=16   # one connection per thread: each moves its own project
machine() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
run() { # BIN LABEL
  psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS ab_w" -qc "CREATE DATABASE ab_w TEMPLATE ikz_w20000" 2>/dev/null
  local url="$BASE/ab_w?sslmode=disable" token partners own pid s0 s1 n
  IKZ_DATABASE_URL=$url "$1" migrate >/dev/null 2>&1
  token=$(IKZ_DATABASE_URL=$url "$1" token create --name ab --role editor --role controlling 2>/dev/null | tail -1)
  partners=$(psql "$BASE/ab_w" -qAtc "SELECT string_agg(slug, ',') FROM (SELECT slug FROM partners
    WHERE deleted_at IS NULL ORDER BY slug LIMIT 200) s")
  own=$(seq -f 'p-%g' 1 16 | paste -sd,)
  [ "$OP" = transition ] && own=$(psql "$BASE/ab_w" -qAtc "SELECT string_agg(slug, ',') FROM (SELECT slug FROM projects
    WHERE status = 'in_progress' AND deleted_at IS NULL ORDER BY slug LIMIT 16) s")
  IKZ_DATABASE_URL=$url IKZ_LISTEN_ADDR=127.0.0.1:$PORT IKZ_DB_MAX_CONNS=10 IKZ_SEED=false IKZ_LOG_FORMAT=json \
    "$1" serve > "/tmp/ab-$2.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  rm -f /tmp/ab.state
  load() { # SECONDS OUTPUT
    (cd "$HERE" && STATE=/tmp/ab.state TOKEN=$token PARTNERS=$partners COOPERATIONS=5000 OWN=$own WRK_LUA_DIR="$BENCH/wrk" \
      wrk -t$threads -c16 -d"$1" --latency -s "wrk/$OP.lua" "http://127.0.0.1:$PORT" > "$2" 2>&1)
  }
  load "$WARMUP" /dev/null
  s0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); m0=$(machine)
  load "$DURATION" "/tmp/ab-$2.txt"
  s1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); m1=$(machine)
  n=$(awk '/requests in/{print $1}' "/tmp/ab-$2.txt")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ -n "$n" ] && ! grep -q "not found" "/tmp/ab-$2.txt" || { cat "/tmp/ab-$2.txt" >&2; exit 1; }
  echo "$2 $(awk '/Requests\/sec/{printf "%s/s ", $2} $1=="99%"{printf "p99 %s ", $2} /Non-2xx/{printf "non-2xx %s ", $NF}' "/tmp/ab-$2.txt")service $(( (s1 - s0) * 1000000 / $(getconf CLK_TCK) / n )) machine $(( (m1 - m0) * 1000000 / $(getconf CLK_TCK) / n )) µs/write"
}
for i in $(seq 1 "$PAIRS"); do run "$OLD" "old$i"; run "$NEW" "new$i"; done

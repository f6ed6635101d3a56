#!/usr/bin/env bash
# Simulator users against the pools of the embedded demo database, measured after a warm-up.
#
#   bench/load-users.sh pool    USERS users on main only, main fixed at 30 connections kept and at most
#                               (PERFORMANCE.md: "1,000 users on one 30-connection pool")
#   bench/load-users.sh mixed   USERS users across the workloads: 60 % main, 15 % jobs, 5 % analytics, 20 % financial
#                               (PERFORMANCE.md: "1,000 concurrent users on the embedded PostgreSQL")
#
# Environment: USERS (1000), WARMUP (s, 30), DURATION (s, 60), PORT (first free from 8080), OUT_DIR (target/bench).
# Starts the packaged jar on 127.0.0.1 (building it if missing), waits for /q/health/started and the warm-up, resets
# the pools' figures, waits DURATION, collects /api/v1/database/pool/status, /api/v1/pools/<pool>, /api/v1/simulator,
# the acquisition-timeout counters of /q/metrics and VmRSS into OUT_DIR, prints a summary and stops poolwatch.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need jq
need curl

MODE="${1:-pool}"
USERS="${USERS:-1000}"
WARMUP="${WARMUP:-30}"
DURATION="${DURATION:-60}"

case "$MODE" in
  pool)
    POOLS=(main)
    start_app "load-users-pool" -Dpoolwatch.simulator.users.main="$USERS" -Dpoolwatch.simulator.users.jobs=0 \
      -Dpoolwatch.simulator.users.analytics=0 -Dpoolwatch.simulator.users.financial=0 \
      -Dpoolwatch.simulator.demo-cycle=false -Dpoolwatch.consistency.enabled=false \
      -Dpoolwatch.pools.main.min-size=30 -Dpoolwatch.pools.main.max-size=30 ;;
  mixed)
    POOLS=(main jobs analytics financial)
    start_app "load-users-mixed" -Dpoolwatch.simulator.users.main=$((USERS * 60 / 100)) \
      -Dpoolwatch.simulator.users.jobs=$((USERS * 15 / 100)) -Dpoolwatch.simulator.users.analytics=$((USERS * 5 / 100)) \
      -Dpoolwatch.simulator.users.financial=$((USERS * 20 / 100)) -Dpoolwatch.simulator.demo-cycle=false ;;
  *) echo "usage: $0 pool|mixed   (environment: USERS, WARMUP, DURATION, PORT)" >&2; exit 2 ;;
esac
RUN_DIR="${OUT_DIR}/load-users-${MODE}"
rm -rf "$RUN_DIR" && mkdir -p "$RUN_DIR"

# {"<pool>": value} of a per-pool Prometheus counter: exact at any moment, where the API's samples are 5 s apart.
prom_counter() {
  api /q/metrics | awk -v name="$1" '
    index($0, name "{") == 1 && match($0, /pool="[^"]*"/) {
      printf "%s\"%s\":%s", (n++ ? "," : "{"), substr($0, RSTART + 6, RLENGTH - 7), $NF
    }
    END { print (n ? "}" : "{}") }'
}

log "warming up for ${WARMUP}s"
pause "$WARMUP"
# The reset and the start figures, then the end figures, are read back to back, so every count covers the same window.
# Under heavy load a request can take seconds: the window is taken from the middle of the reset request to the
# middle of the status request, give or take half of the two requests' durations.
t0="$(date +%s.%N)"
api /api/v1/database/pool/reset-metrics -X POST -H 'Content-Type: application/json' >/dev/null
t1="$(date +%s.%N)"
api /api/v1/simulator >"${RUN_DIR}/simulator-start.json"
prom_counter poolwatch_pool_acquisition_timeouts_total >"${RUN_DIR}/timeouts-start.json"
log "pool figures reset; measuring for ${DURATION}s"
pause "$DURATION"
t2="$(date +%s.%N)"
api /api/v1/database/pool/status >"${RUN_DIR}/status.json"
t3="$(date +%s.%N)"
api /api/v1/simulator >"${RUN_DIR}/simulator-end.json"
prom_counter poolwatch_pool_acquisition_timeouts_total >"${RUN_DIR}/timeouts-end.json"
for p in "${POOLS[@]}"; do
  api "/api/v1/pools/${p}" >"${RUN_DIR}/pool-${p}.json"
done
rss="$(rss_mib)"
threads="$(thread_count)"
api "/api/v1/database/pool/status?pool=main" >"${RUN_DIR}/status-main.json"

secs="$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {print (c + d) / 2 - (a + b) / 2}')"
slack="$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {printf "%.1f", (b - a + d - c) / 2}')"
echo "load-users ${MODE}: ${USERS} users, warm-up ${WARMUP}s, measured $(printf '%.1f' "$secs") s (± ${slack} s);" \
  "JVM RSS at the end ${rss} MiB, ${threads} threads; JSON in ${RUN_DIR}"
printf '%-9s %5s %9s %7s %8s %9s %7s %7s %6s %6s %6s %8s %6s %8s %7s %7s %4s %4s %5s\n' \
  pool users committed tx/s rolledbk checkouts co/s mean_ms p50 p95 p99 max failed timeouts created destroyd open wait util
jq -n -r --argjson secs "$secs" \
  --slurpfile status "${RUN_DIR}/status.json" --slurpfile s0 "${RUN_DIR}/simulator-start.json" \
  --slurpfile s1 "${RUN_DIR}/simulator-end.json" --slurpfile t0 "${RUN_DIR}/timeouts-start.json" \
  --slurpfile t1 "${RUN_DIR}/timeouts-end.json" --slurpfile pools <(jq -s 'map({(.pool.name): .pool.snapshot}) | add' "${RUN_DIR}"/pool-*.json) '
  def sim($s; $n): ($s.workloads[] | select(.workload == $n)) // {users: 0, committed: 0, rolledBack: 0};
  def r: . * 100 | round / 100;
  $pools[0] | to_entries[] | .key as $n | .value as $snap | $status[0].pools[$n].metrics as $m
  | sim($s1[0]; $n) as $b | sim($s0[0]; $n) as $a
  | [$n, $b.users, ($b.committed - $a.committed), (($b.committed - $a.committed) / $secs | round),
     ($b.rolledBack - $a.rolledBack), $m.events.checkouts, ($m.events.checkouts / $secs | round),
     $m.performance.avg_connection_time_ms, ($snap.checkout.p50 | r), ($snap.checkout.p95 | r), ($snap.checkout.p99 | r),
     ($snap.checkout.max | r), $m.connections.failed, (($t1[0][$n] // 0) - ($t0[0][$n] // 0)), $m.events.connects,
     $m.events.disconnects, $snap.open, $snap.awaiting, ($snap.utilization | r)]
  | @tsv' | awk -F'\t' '{printf "%-9s %5s %9s %7s %8s %9s %7s %7s %6s %6s %6s %8s %6s %8s %7s %7s %4s %4s %5s\n",
                          $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19}'
echo "(since the reset: committed, rolled back, checkouts, mean checkout, failed and timed-out acquisitions, connections"
echo " created and destroyed; p50/p95/p99/max checkout in ms, open, waiting and utilization: the last 5 s sample)"

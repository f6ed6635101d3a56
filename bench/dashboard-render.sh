#!/usr/bin/env bash
# Render time of the dashboard under the demo load: GET /, GET /?fragment=pools (what each open overview fetches every
# sampling interval) and GET /pools/main, with wrk at a modest concurrency, once with the demo's 4 pools and once with
# 21 more (25 pools), on the embedded default with its simulator running (PERFORMANCE.md: "Dashboard render time").
#
#   bench/dashboard-render.sh              4 pools, then 25
#   bench/dashboard-render.sh 25           25 pools only
#
# The overview's sparklines span the history there is (up to an hour) at one vertex per unit of their 120-unit width,
# so a fresh start draws almost nothing. poolwatch samples every SAMPLE_INTERVAL (1s, the scheduler's finest) for
# WARMUP (130 s): each sparkline then has its full 120 vertices, as after 10 minutes at the default 5s. (The pool
# page's 600-unit charts reach theirs after 50 minutes at 5s; here they have about 130.)
#
# Besides wrk's figures, each page's line "CPU per request" is the CPU time poolwatch's JVM used during the run
# (utime + stime from /proc), less what it uses without requests (the simulator, the sampler: measured for IDLE
# seconds before the pages), divided by the requests answered. On a machine shared with other work the latencies and
# requests/s say more about the machine than about poolwatch; the CPU per request much less so.
#
# Environment: CONNECTIONS (16), THREADS (wrk threads, 2), DURATION (s per page, 15), WARMUP (s, 130),
# SAMPLE_INTERVAL (1s), PAGE_WARMUP (s of wrk before each measured run, 10), IDLE (s, 10), PORT (first free from
# 8080). Starts the packaged jar on 127.0.0.1 (building it if missing) once per pool count, warms up, runs wrk on each
# page for DURATION, and stops poolwatch (and the embedded PostgreSQL) each time.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need wrk
need jq
need curl
need bc

CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-130}"
SAMPLE_INTERVAL="${SAMPLE_INTERVAL:-1s}"
PAGE_WARMUP="${PAGE_WARMUP:-10}"
IDLE="${IDLE:-10}"
PAGES=("/" "/?fragment=pools" "/pools/main")

# CPU time of poolwatch's JVM so far, in clock ticks (utime + stime; the command name holds no space).
cpu_ticks() { awk '{print $14 + $15}' "/proc/${APP_PID}/stat"; }
TICKS_PER_SECOND="$(getconf CLK_TCK)"

# measure <pool count> <java -D flags...>
measure() {
  local pools="$1"; shift
  start_app "dashboard-render-${pools}" -Dpoolwatch.sampling.interval="$SAMPLE_INTERVAL" "$@"
  local running page c0 c1 idle_ticks_per_s out requests seconds
  running="$(api /api/v1/pools | jq length)"
  [ "$running" -eq "$pools" ] || die "expected ${pools} pools, poolwatch runs ${running}"
  api /api/v1/simulator | jq -e '.running' >/dev/null || die "the simulator is not running"
  log "warming up for ${WARMUP}s: the simulator runs and the histories fill"
  pause "$WARMUP"
  log "main: $(api /pools/main | grep -o '[0-9]* samples' | head -1); overview: $(api / | wc -c) bytes"
  c0="$(cpu_ticks)"
  pause "$IDLE"
  c1="$(cpu_ticks)"
  idle_ticks_per_s="$(echo "($c1 - $c0) / $IDLE" | bc -l)"
  echo "== ${pools} pools: without requests poolwatch uses $(printf '%.0f' "$(echo "$idle_ticks_per_s * 1000 / $TICKS_PER_SECOND" | bc -l)") ms of CPU per second"
  for page in "${PAGES[@]}"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${PAGE_WARMUP}s" "${BASE}${page}" >/dev/null
    echo "== ${pools} pools: wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}s --latency ${page}"
    c0="$(cpu_ticks)"
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "${BASE}${page}")"
    c1="$(cpu_ticks)"
    grep -E 'Latency|50%|90%|99%|Requests/sec|Non-2xx|Socket errors' <<<"$out"
    requests="$(awk '/requests in/ {print $1}' <<<"$out")"
    seconds="$(awk '/requests in/ {sub(/s,$/, "", $4); print $4}' <<<"$out")"
    [ "${requests:-0}" -gt 0 ] || die "no request answered"
    echo "CPU per request: $(printf '%.2f' "$(echo "(($c1 - $c0) - $idle_ticks_per_s * $seconds) * 1000 / $TICKS_PER_SECOND / $requests" | bc -l)") ms"
  done
  echo "== ${pools} pools: simulator committed $(api /api/v1/simulator | jq '[.workloads[].committed] | add') transactions; JVM RSS $(rss_mib) MiB"
  stop_app
}

extra=()
for i in $(seq -w 0 20); do
  extra+=("-Dpoolwatch.pools.p${i}.min-size=1" "-Dpoolwatch.pools.p${i}.max-size=2")
done
case "${1:-all}" in
  4) measure 4 ;;
  25) measure 25 "${extra[@]}" ;;
  all) measure 4; measure 25 "${extra[@]}" ;;
  *) echo "usage: $0 [4|25]   (environment: CONNECTIONS, THREADS, DURATION, WARMUP, SAMPLE_INTERVAL, PORT)" >&2; exit 2 ;;
esac

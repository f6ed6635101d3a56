#!/usr/bin/env bash
# Render cost of the dashboard and the pools API under the demo load: GET /, GET /?fragment=pools (what each open
# overview fetches every sampling interval) and GET /api/v1/pools, with wrk at a modest concurrency, with the demo's 4
# pools and with 21, 96 and 396 more (25, 100 and 400 pools), on the embedded default with its simulator running
# (PERFORMANCE.md: "Dashboard render time" and "The overview and the pools API with 100 pools"). The extra pools have
# min-size 0 and max-size 2, so 400 of them stay within the embedded PostgreSQL's connection limit.
#
#   bench/dashboard-render.sh              4, 25, 100 and 400 pools
#   bench/dashboard-render.sh 100          100 pools only (also 4, 25, 400)
#
# The overview's sparklines span the history there is (up to an hour) at one vertex per unit of their 120-unit width,
# so a fresh start draws almost nothing. poolwatch samples every SAMPLE_INTERVAL (1s, the scheduler's finest) for
# WARMUP seconds first: with WARMUP=130 each sparkline has its full 120 vertices, as after 10 minutes at the default 5s.
#
# Each page is measured ROUNDS times, the pages alternating within each round (/, fragment, API, /, fragment, API,
# ...), so a change in the machine's other load falls on every page alike; each figure is printed with the load
# average when it was taken. Besides wrk's figures, each line's "CPU per request" is the CPU time poolwatch's JVM used
# during the run (utime + stime from /proc), less what it uses without requests (the simulator, the sampler: measured
# for IDLE seconds before the pages), divided by the requests answered. On a machine shared with other work the
# latencies and requests/s say more about the machine than about poolwatch; the CPU per request much less so.
#
# Environment: CONNECTIONS (16), THREADS (wrk threads, 2), DURATION (s per measured run, 15), WARMUP (s, 130),
# SAMPLE_INTERVAL (1s), PAGE_WARMUP (s of wrk before each measured run, 10), IDLE (s, 10), ROUNDS (3), PAGES (the
# paths, space-separated), PORT (first free from 8080). Starts the packaged jar on 127.0.0.1 (building it if missing)
# once per pool count, warms up, runs wrk, and stops poolwatch (and the embedded PostgreSQL) each time.
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
ROUNDS="${ROUNDS:-3}"
read -r -a PAGES <<<"${PAGES:-/ /?fragment=pools /api/v1/pools}"

# CPU time of poolwatch's JVM so far, in clock ticks (utime + stime; the command name holds no space).
cpu_ticks() { awk '{print $14 + $15}' "/proc/${APP_PID}/stat"; }
TICKS_PER_SECOND="$(getconf CLK_TCK)"

# measure <pool count> <java -D flags...>
measure() {
  local pools="$1"; shift
  start_app "dashboard-render-${pools}" -Dpoolwatch.sampling.interval="$SAMPLE_INTERVAL" "$@"
  local running page c0 c1 idle_ticks_per_s out requests seconds
  running="$(api '/api/v1/pools?limit=1000' | jq length)"
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
  log "overview: $(api / | wc -c) bytes, pools fragment: $(api '/?fragment=pools' | wc -c) bytes, /api/v1/pools: $(api /api/v1/pools | wc -c) bytes"
  local round
  for round in $(seq 1 "$ROUNDS"); do
    for page in "${PAGES[@]}"; do
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"${PAGE_WARMUP}s" "${BASE}${page}" >/dev/null
      c0="$(cpu_ticks)"
      out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "${BASE}${page}")"
      c1="$(cpu_ticks)"
      requests="$(awk '/requests in/ {print $1}' <<<"$out")"
      seconds="$(awk '/requests in/ {sub(/s,$/, "", $4); print $4}' <<<"$out")"
      [ "${requests:-0}" -gt 0 ] || { echo "$out"; die "no request answered ${page}"; }
      grep -qE 'Non-2xx|Socket errors' <<<"$out" && { echo "$out"; die "errors answering ${page}"; }
      printf 'RESULT pools=%s round=%s page=%s req/s=%s p50=%s p99=%s cpu_ms_per_request=%.2f loadavg=%s\n' "$pools" "$round" "$page" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(echo "(($c1 - $c0) - $idle_ticks_per_s * $seconds) * 1000 / $TICKS_PER_SECOND / $requests" | bc -l)" \
        "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
    done
  done
  echo "== ${pools} pools: simulator committed $(api /api/v1/simulator | jq '[.workloads[].committed] | add') transactions; JVM RSS $(rss_mib) MiB"
  stop_app
}

# extra <n>: flags for n more pools on the embedded default, none opened until something borrows.
extra() {
  local i
  for i in $(seq 1 "$1"); do
    printf -- '-Dpoolwatch.pools.p%03d.min-size=0\n-Dpoolwatch.pools.p%03d.max-size=2\n' "$i" "$i"
  done
}
run() {
  local n="$1" flags
  mapfile -t flags < <(extra $((n - 4)))
  measure "$n" "${flags[@]}"
}
case "${1:-all}" in
  4|25|100|400) run "$1" ;;
  all) for n in 4 25 100 400; do run "$n"; done ;;
  *) echo "usage: $0 [4|25|100|400]   (environment: CONNECTIONS, THREADS, DURATION, WARMUP, ROUNDS, PAGES, SAMPLE_INTERVAL, PORT)" >&2; exit 2 ;;
esac

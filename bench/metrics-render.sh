#!/usr/bin/env bash
# Size and time of a Prometheus scrape of /q/metrics with 4, 25 and 100 pools (the 4 standard ones, then 21 and 96
# more), on the local PostgreSQL (PERFORMANCE.md: "/q/metrics render time" and "Pool histograms: scrape size and render
# time"). wrk with one connection, so the figure is the render time, not queueing. Each pool count is measured with the
# OpenTelemetry-named histogram copies on and off (poolwatch.metrics.semantic-conventions).
#
#   bench/metrics-render.sh
#   POOLS="4 25" SEMANTIC_CONVENTIONS=true bench/metrics-render.sh
#
# Environment: DATABASE_URL (postgresql://postgres@127.0.0.1:5432/poolwatch_test), DURATION (s, 8), POOLS ("4 25 100"),
# SEMANTIC_CONVENTIONS ("true false"; "default" leaves the key unset, for a jar older than it), ACCEPT (the scraper's Accept header; default
# Prometheus 2's, which gets OpenMetrics), PORT (first free from 8080), JAR (the jar to measure). Starts the packaged jar
# on 127.0.0.1 (building it if missing) once per pool count and setting, warms up for 3 s, runs wrk for DURATION and
# stops poolwatch each time. The pools beyond the standard four keep no connection open (min-size 0), so 100 pools fit
# in the server's max_connections.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need wrk
need jq
need curl

DURATION="${DURATION:-8}"
POOLS="${POOLS:-4 25 100}"
SEMANTIC_CONVENTIONS="${SEMANTIC_CONVENTIONS:-true false}"
ACCEPT="${ACCEPT:-application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/poolwatch_test}"
if [[ "$DATABASE_URL" == *@127.0.0.1:5432/* ]] && ! port_in_use 5432; then
  die "nothing answers on 127.0.0.1:5432: start PostgreSQL (user postgres, trust authentication, database poolwatch_test) or set DATABASE_URL"
fi

# wrk sends the scraper's Accept header, so the format measured is the one Prometheus gets.
WRK_SCRIPT="$(mktemp)"
trap 'rm -f "$WRK_SCRIPT"' EXIT
printf 'wrk.headers["Accept"] = "%s"\n' "$ACCEPT" >"$WRK_SCRIPT"

# measure <pool count> <semantic conventions> <java -D flags...>
measure() {
  local pools="$1" semconv="$2"; shift 2
  local flags=(-Dpoolwatch.simulator.enabled=false -Dpoolwatch.consistency.demo-checks=false)
  [ "$semconv" = default ] || flags+=("-Dpoolwatch.metrics.semantic-conventions=${semconv}")
  start_app "metrics-render-${pools}-${semconv}" "${flags[@]}" "$@"
  local running scrape series histogram_lines bytes
  running="$(api /api/v1/pools | jq length)"
  [ "$running" -eq "$pools" ] || die "expected ${pools} pools, poolwatch runs ${running}"
  scrape="$(curl -sf -H "Accept: ${ACCEPT}" "${BASE}/q/metrics")"
  series="$(grep -c '^poolwatch_' <<<"$scrape" || true)"
  histogram_lines="$(grep -cE '^(poolwatch_pool_[a-z_]+_duration_seconds|db_client_connection_[a-z_]+_time_seconds)_(bucket|count|sum)' <<<"$scrape" || true)"
  bytes="$(wc -c <<<"$scrape")"
  wrk -t1 -c1 -d3s -s "$WRK_SCRIPT" "${BASE}/q/metrics" >/dev/null
  echo "== ${pools} pools, semantic-conventions=${semconv}: ${bytes} bytes, $(wc -l <<<"$scrape") lines, ${series} poolwatch_ samples, ${histogram_lines} histogram samples"
  echo "   wrk -t1 -c1 -d${DURATION}s --latency /q/metrics"
  wrk -t1 -c1 -d"${DURATION}s" -s "$WRK_SCRIPT" --timeout 10s --latency "${BASE}/q/metrics" | grep -E 'Latency|50%|75%|90%|99%|Requests/sec|Non-2xx'
  stop_app
}

for pools in $POOLS; do
  extra=()
  for i in $(seq 1 $((pools - 4))); do
    extra+=("-Dpoolwatch.pools.p$(printf '%03d' "$i").min-size=0" "-Dpoolwatch.pools.p$(printf '%03d' "$i").max-size=2")
  done
  for semconv in $SEMANTIC_CONVENTIONS; do
    measure "$pools" "$semconv" "${extra[@]}"
  done
done

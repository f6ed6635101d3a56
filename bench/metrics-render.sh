#!/usr/bin/env bash
# Time of a Prometheus scrape of /q/metrics with 5 pools (the 4 standard ones and one more), then with 25 pools, on
# the local PostgreSQL (PERFORMANCE.md: "/q/metrics render time"). wrk with one connection, so the figure is the
# render time, not queueing.
#
#   bench/metrics-render.sh
#
# Environment: DATABASE_URL (postgresql://postgres@127.0.0.1:5432/poolwatch_test), DURATION (s, 8), PORT (first free
# from 8080). Starts the packaged jar on 127.0.0.1 (building it if missing) once per pool count, warms up for 3 s,
# runs wrk for DURATION and stops poolwatch each time.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need wrk
need jq
need curl

DURATION="${DURATION:-8}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/poolwatch_test}"
if [[ "$DATABASE_URL" == *@127.0.0.1:5432/* ]] && ! port_in_use 5432; then
  die "nothing answers on 127.0.0.1:5432: start PostgreSQL (user postgres, trust authentication, database poolwatch_test) or set DATABASE_URL"
fi

# measure <pool count> <java -D flags...>
measure() {
  local pools="$1"; shift
  start_app "metrics-render-${pools}" -Dpoolwatch.simulator.enabled=false -Dpoolwatch.consistency.demo-checks=false "$@"
  local running series
  running="$(api /api/v1/pools | jq length)"
  [ "$running" -eq "$pools" ] || die "expected ${pools} pools, poolwatch runs ${running}"
  series="$(api /q/metrics | grep -c '^poolwatch_' || true)"
  wrk -t1 -c1 -d3s "${BASE}/q/metrics" >/dev/null
  echo "== ${pools} pools, ${series} poolwatch series: wrk -t1 -c1 -d${DURATION}s --latency /q/metrics"
  wrk -t1 -c1 -d"${DURATION}s" --timeout 10s --latency "${BASE}/q/metrics" | grep -E 'Latency|50%|75%|90%|99%|Requests/sec|Non-2xx'
  stop_app
}

extra=()
for i in $(seq -w 0 20); do
  extra+=("-Dpoolwatch.pools.p${i}.min-size=1" "-Dpoolwatch.pools.p${i}.max-size=2")
done
measure 5 "${extra[@]:0:2}"
measure 25 "${extra[@]}"

#!/usr/bin/env bash
# A seconds-long run of every JMH benchmark, for CI: not a measurement, a proof that each benchmark class still runs
# and produces a positive, finite score. About a minute on two cores.
#
#   bench/smoke.sh
#
# Environment: BENCH_URL (JDBC URL for the benchmarks on PostgreSQL; default 127.0.0.1:5432, user postgres, database
# poolwatch_test, which .ci/run sets up), SMOKE_SKIP (classes left out, space-separated; default CheckModesBenchmark,
# whose first run builds a 5-million-row, 600 MB table; SMOKE_SKIP= runs it too), MAVEN_ARGS (e.g. -o).
# Writes service/target/jmh-smoke.json. Needs the extension in the local Maven repository (./mvnw install).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/common.sh
source "${ROOT}/bench/common.sh"
need jq
cd "$ROOT"
started=$SECONDS
RESULT="${ROOT}/service/target/jmh-smoke.json"
rm -f "$RESULT"

# Every class with a @Benchmark method but those in SMOKE_SKIP, so a new benchmark is in the smoke run without editing
# this script.
SMOKE_SKIP="${SMOKE_SKIP-CheckModesBenchmark}"
classes=()
for c in $(grep -rl --include='*.java' '@Benchmark\b' service/src/bench/java | xargs -n1 basename | sed 's/\.java$//' | sort); do
  if [[ " ${SMOKE_SKIP} " == *" ${c} "* ]]; then
    log "smoke: skipping ${c} (SMOKE_SKIP)"
  else
    classes+=("$c")
  fi
done
[ "${#classes[@]}" -gt 0 ] || die "smoke: no JMH benchmark to run under service/src/bench/java"

extra=()
if [ -n "${BENCH_URL:-}" ]; then
  extra=(-jvmArgsAppend "-Dbench.url=${BENCH_URL}")
elif ! port_in_use 5432; then
  die "smoke: SelectOnlyBenchmark needs PostgreSQL on 127.0.0.1:5432 (user postgres, database poolwatch_test), or BENCH_URL"
fi

# JMH refuses to run while another JMH run holds its machine-wide lock; a smoke run measures nothing, so it goes ahead.
export JDK_JAVA_OPTIONS="${JDK_JAVA_OPTIONS:+${JDK_JAVA_OPTIONS} }-Djmh.ignoreLock=true"
# One fork, no warm-up, one 300 ms iteration, one thread, pool size 8 where the size is a parameter (the pool kinds stay:
# each is set up differently). -foe: a benchmark that throws fails the run instead of being left out of the results.
# Whole class names: JMH matches the pattern anywhere in io.poolwatch.bench.<Class>.<method>.
pattern="[.]($(IFS='|'; echo "${classes[*]}"))[.]"
log "smoke: ${classes[*]}"
"${ROOT}/bench/jmh.sh" "$pattern" -f 1 -wi 0 -i 1 -r 300ms -t 1 -p poolSize=8 -foe true -rf json -rff "$RESULT" "${extra[@]}" ||
  die "smoke: the JMH run failed (a benchmark that throws fails it; its exception is above)"

[ -s "$RESULT" ] || die "smoke: JMH wrote no results to ${RESULT}"
missing="$(jq -r '[.[].benchmark | split(".") | .[-2]] as $ran | $ARGS.positional - $ran | join(" ")' \
  --args "${classes[@]}" <"$RESULT")"
bad="$(jq -r '.[] | select((.primaryMetric.score | type) != "number" or .primaryMetric.score <= 0
  or (.primaryMetric.score | isinfinite) or (.primaryMetric.score | isnan))
  | "\(.benchmark) \(.params // {} | tostring): \(.primaryMetric.score)"' "$RESULT")"
[ -z "$missing" ] || die "smoke: no result for ${missing} in ${RESULT}"
[ -z "$bad" ] || die "smoke: benchmarks without a positive, finite score:"$'\n'"${bad}"
jq -r '.[] | "  \(.benchmark | split(".") | .[-2:] | join(".")) \(.params // {} | tostring): \(.primaryMetric.score) \(.primaryMetric.scoreUnit)"' "$RESULT"
log "smoke: $(jq length "$RESULT") results from ${#classes[@]} benchmark classes, every score positive and finite ($((SECONDS - started)) s)"

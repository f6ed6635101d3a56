#!/usr/bin/env bash
# The hot-path figures of docs/PERFORMANCE.md, before and after a change, alternating in one run (the machine may be
# shared: each round runs both trees back to back, the first tree alternating, with the load average beside each run).
#
#   bench/hotpath-ab.sh BEFORE_CLASSPATH AFTER_CLASSPATH [ROUNDS]
#
# Each classpath is that of a tree's benchmarks, built once in the tree (its own Maven repository, -Dmaven.repo.local=...):
#   ./mvnw -B -ntp install -DskipTests
#   ./mvnw -B -ntp -f service/pom.xml -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/tree.cp
#   echo "$PWD/service/target/test-classes:$PWD/service/target/classes:$(cat /tmp/tree.cp)" > /tmp/tree.fullcp
# and is passed as the file holding it (/tmp/tree.fullcp). Runs, per round and tree: AcquireReleaseBenchmark (1 thread,
# pool size 8), StatementBenchmark (1 thread), SelectOnlyBenchmark at 4 and 16 clients against PostgreSQL on 127.0.0.1
# (BENCH_URL, default database pw_hotpath_bench, created if missing). Prints one line per run and the ratios poolwatch /
# raw Agroal; JSON results in OUT (default /tmp/hotpath-ab). About 2 minutes per round and tree. Bounded by ROUNDS.
# STUB_RUN is the JMH run options of the two stub-driver benchmarks (default one fork, three 1 s warm-ups, five 1 s
# iterations: fewer warm-ups leave the listener's call sites less settled and the ratio a few points lower).
# BENCHES chooses among acquire-release, statement, select-4 and select-16 (default all four); SELECT_RUN the JMH run
# options of the two select benchmarks (default one fork, a 2 s warm-up and two 3 s iterations: on 2 cores the select
# figures need longer runs and more rounds than that to settle, e.g. SELECT_RUN="-f 1 -wi 2 -w 5s -i 4 -r 5s").
set -euo pipefail
BEFORE="$(cat "$1")"
AFTER="$(cat "$2")"
ROUNDS="${3:-3}"
BENCHES="${BENCHES:-acquire-release statement select-4 select-16}"
read -r -a STUB_RUN <<<"${STUB_RUN:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
read -r -a SELECT_RUN <<<"${SELECT_RUN:--f 1 -wi 1 -w 2s -i 2 -r 3s}"
OUT="${OUT:-/tmp/hotpath-ab}"
BENCH_URL="${BENCH_URL:-jdbc:postgresql://127.0.0.1:5432/pw_hotpath_bench?user=postgres}"
mkdir -p "$OUT"
if [[ "$BENCH_URL" == *pw_hotpath_bench* ]]; then
  psql -X -q -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'pw_hotpath_bench'" | grep -q 1 \
    || psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE pw_hotpath_bench"
fi

run() { # tree classpath name args...
  local tree="$1" cp="$2" name="$3"
  shift 3
  [[ " $BENCHES " == *" $name "* ]] || return 0
  local file="$OUT/$name-$tree-r$round.json"
  local load
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$cp" org.openjdk.jmh.Main "$@" -rf json -rff "$file" > "$OUT/$name-$tree-r$round.log" 2>&1
  python3 - "$file" "$name" "$tree" "$round" "$load" <<'PY'
import json, sys
file, name, tree, rnd, load = sys.argv[1:]
scores = {r["params"]["pool"]: r["primaryMetric"]["score"] for r in json.load(open(file))}
raw, pw = scores.get("raw-agroal"), scores.get("poolwatch")
print(f"{name:<16} {tree:<6} round {rnd}  raw {raw:12.2f}  poolwatch {pw:12.2f}  ratio {pw / raw:.3f}  load {load}")
PY
}

for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then order="before after"; else order="after before"; fi
  for tree in $order; do
    if [[ $tree == before ]]; then cp="$BEFORE"; else cp="$AFTER"; fi
    run "$tree" "$cp" acquire-release AcquireReleaseBenchmark "${STUB_RUN[@]}" -t 1 -p poolSize=8 -p pool=raw-agroal,poolwatch
    run "$tree" "$cp" statement StatementBenchmark "${STUB_RUN[@]}" -t 1
    run "$tree" "$cp" select-4 SelectOnlyBenchmark "${SELECT_RUN[@]}" -t 4 -p poolSize=4 -jvmArgsAppend "-Dbench.url=$BENCH_URL"
    run "$tree" "$cp" select-16 SelectOnlyBenchmark "${SELECT_RUN[@]}" -t 16 -p poolSize=16 -jvmArgsAppend "-Dbench.url=$BENCH_URL"
  done
done

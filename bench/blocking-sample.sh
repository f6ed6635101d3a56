#!/usr/bin/env bash
# The cost of one blocking sample (BlockingReader.read on one kept connection) with no session blocked and with real
# sessions waiting on a row lock: median, p95 and max of SAMPLES reads after WARMUP. A single-file Java program
# (bench/BlockingSampleCost.java) on the runtime module's classes and PostgreSQL's driver, so it needs no JMH.
#
#   bench/blocking-sample.sh
#
# Environment: BENCH_URL (default jdbc:postgresql://127.0.0.1:5432/poolwatch_test?user=postgres), BLOCKED (the blocked
# session counts, default "0 50"; N needs N + 2 free connections), SAMPLES (500), WARMUP (200), M2 (the Maven repository
# holding the driver, default ~/.m2/repository), MAVEN_ARGS (e.g. -o). Bounded: each waiter has a 5-minute lock timeout
# and the run releases the row and closes every session however it ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/common.sh
source "${ROOT}/bench/common.sh"
cd "$ROOT"
M2="${M2:-${HOME}/.m2/repository}"
if [ ! -d runtime/target/classes/io/poolwatch/observed ]; then
  log "compiling the runtime module: ./mvnw -B -ntp -q -pl runtime compile"
  # shellcheck disable=SC2086
  ./mvnw -B -ntp -q ${MAVEN_ARGS:-} -pl runtime compile
fi
driver="$(ls "${M2}"/org/postgresql/postgresql/*/postgresql-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1)"
[ -n "$driver" ] || die "no PostgreSQL driver under ${M2}/org/postgresql/postgresql; set M2 to the Maven repository that has it"
logging="$(ls "${M2}"/org/jboss/logging/jboss-logging/*/jboss-logging-*.jar 2>/dev/null | sort -V | tail -1)"
timeout 900 java -cp "runtime/target/classes:${driver}:${logging}" bench/BlockingSampleCost.java

#!/usr/bin/env bash
# Runs the JMH benchmarks of service/src/bench/java with the given JMH arguments (docs/PERFORMANCE.md gives each figure's).
#
#   bench/jmh.sh AcquireReleaseBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 -p pool=raw-agroal,poolwatch
#   bench/jmh.sh -l                      lists the benchmarks;  bench/jmh.sh -h   JMH's options
#
# Without arguments it prints JMH's help. SelectOnlyBenchmark needs PostgreSQL on 127.0.0.1:5432 (user postgres,
# database poolwatch_test), or another: -jvmArgsAppend -Dbench.url=jdbc:postgresql://... . Maven options go in
# MAVEN_ARGS (MAVEN_ARGS=-o for offline). The benchmarks live in the service module, which needs the extension in the
# local Maven repository first (./mvnw install -DskipTests). Bounded by the JMH arguments given; JMH allows one run per
# machine at a time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# -Pbench compiles the benchmarks and generates JMH's list of them; test-compile without it would drop that list.
# The arguments travel in the environment (JMH_ARGS, read by the bench profile), not on Maven's command line, where
# Quarkus's code generation may try to read options such as -wi as Maven's. JMH splits them at spaces again, so an
# argument cannot contain one.
JMH_ARGS="${*:--h}" exec ./mvnw -B -ntp -q -f service/pom.xml -Pbench test-compile exec:exec

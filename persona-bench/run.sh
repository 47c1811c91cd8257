#!/usr/bin/env bash
# Runs the whole benchmark suite with the GC profiler and writes persona-bench/results.md (and the
# table between the bench markers of docs/performance.md): benchmark, params, threads, ns/op ± error, B/op,
# with the machine, the JDK, the date and the ratios of the targets.
#
#   persona-bench/run.sh                      # the full suite: about 10 minutes on 2 cores
#   persona-bench/run.sh -f 1 -wi 1 -i 2      # extra JMH options for both runs, e.g. a quick look
#
# Run it on a quiet machine: other work on the same cores changes every figure.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp -q package -DskipTests

jar=persona-bench/target/benchmarks.jar
out=persona-bench/target/jmh
mkdir -p "$out"
rm -f "$out"/results-1-thread.json "$out"/results-2-threads.json

# Every benchmark on one thread (RedisDecideBenchmark on the machine's redis-server, else on the
# one inside embedded-redis), then the per-request path on two.
java -jar "$jar" -prof gc -rf json -rff "$out/results-1-thread.json" "$@"
java -jar "$jar" '^dev.persona.bench.DecideBenchmark' -t 2 -prof gc -rf json \
  -rff "$out/results-2-threads.json" "$@"

java -cp "$jar" dev.persona.bench.report.ResultsTable persona-bench/results.md \
  --copy-into docs/performance.md "$out/results-1-thread.json" "$out/results-2-threads.json"
echo "wrote persona-bench/results.md"

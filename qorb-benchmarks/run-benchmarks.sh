#!/usr/bin/env bash
# The real benchmark run (about 15 minutes on 2 cores): builds the JMH jar, runs every benchmark
# with one fork, then the footprint report. Results: qorb-benchmarks/target/jmh-results.json
# (jmh-jdbc-results.json for JdbcBenchmark) and the console. Extra arguments go to JMH instead,
# e.g. ClaimReleaseBenchmark to run one class with the short settings below.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl qorb-benchmarks -am package -DskipTests
jar=qorb-benchmarks/target/benchmarks.jar
target=qorb-benchmarks/target
short=(-f 1 -wi 2 -w 1s -i 4 -r 1s -jvmArgs "-Xms1g -Xmx1g")
if [ $# -gt 0 ]; then
  java -jar "$jar" "${short[@]}" -rf json -rff "$target/jmh-results.json" "$@"
  exit
fi
java -jar "$jar" "${short[@]}" -rf json -rff "$target/jmh-results.json" -e JdbcBenchmark
# Queries through the JDBC driver need longer warm-up on 2 busy cores: with 2 × 1 s, C2 was
# still compiling the driver's and the pool's code for part of the measurement.
java -jar "$jar" -f 1 -wi 3 -w 2s -i 10 -r 1s -jvmArgs "-Xms1g -Xmx1g" -rf json -rff "$target/jmh-jdbc-results.json" \
  JdbcBenchmark
java -Xms1g -Xmx1g -cp "$jar" dev.qorb.benchmarks.FootprintReport 100

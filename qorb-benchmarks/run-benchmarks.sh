#!/usr/bin/env bash
# The real benchmark run (about 12 minutes on 2 cores): builds the JMH jar, runs every benchmark
# with one fork, then the footprint report. Results: qorb-benchmarks/target/jmh-results.json and
# the console. Extra arguments go to JMH, e.g. ClaimReleaseBenchmark to run one class.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl qorb-benchmarks -am package -DskipTests
jar=qorb-benchmarks/target/benchmarks.jar
java -jar "$jar" -f 1 -wi 2 -w 1s -i 4 -r 1s -rf json -rff qorb-benchmarks/target/jmh-results.json \
  -jvmArgs "-Xms1g -Xmx1g" "$@"
java -Xms1g -Xmx1g -cp "$jar" dev.qorb.benchmarks.FootprintReport 100

#!/usr/bin/env python3
"""Medians over many short JMH iterations, for a noisy machine: how BENCHMARKS.md's "Latest" tables were made.

Runs each jar's benchmarks once per round, rounds interleaved, and prints per benchmark and pool the
median over every iteration of every round, its 25th-75th percentiles, and each round's own median.

  qorb-benchmarks/medians.py ROUNDS "JMH ARGS" LABEL=JAR=POOLS [LABEL=JAR=POOLS ...]

e.g. 3 rounds of the claim path, the jar of an older commit beside today's:
  qorb-benchmarks/medians.py 3 "-wi 3 -w 500ms -i 20 -r 250ms ClaimReleaseBenchmark" \\
      before=/tmp/old.jar=qorb after=qorb-benchmarks/target/benchmarks.jar=qorb,stormpot,hikaricp
"""
import collections
import json
import statistics
import subprocess
import sys
import tempfile


def main(rounds, jmh_args, runs):
    every = collections.defaultdict(list)
    per_round = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as scratch:
        for round_number in range(rounds):
            for label, jar, pools in runs:
                result = f"{scratch}/{label}-{round_number}.json"
                subprocess.run(["java", "-Djmh.ignoreLock=true", "-jar", jar, "-f", "1", "-rf", "json", "-rff", result,
                                "-jvmArgs", "-Xms1g -Xmx1g", "-p", "pool=" + pools] + jmh_args.split(),
                               stdout=subprocess.DEVNULL, check=True, timeout=3600)
                for benchmark in json.load(open(result)):
                    key = (benchmark["benchmark"].rsplit(".", 1)[-1], label + ":" + benchmark["params"]["pool"])
                    scores = [score for fork in benchmark["primaryMetric"]["rawData"] for score in fork]
                    every[key].extend(scores)
                    per_round[key].append(statistics.median(scores))
    print("| benchmark | pool | iterations | median [p25 – p75] | median of each round |")
    print("| --- | --- | ---: | ---: | --- |")
    for key in sorted(every):
        scores = sorted(every[key])
        n = len(scores)
        rounds_text = " / ".join(f"{m:.3g}" for m in per_round[key])
        print(f"| {key[0]} | {key[1]} | {n} | {statistics.median(scores):.4g} [{scores[n // 4]:.4g} – "
              f"{scores[3 * n // 4]:.4g}] | {rounds_text} |")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(int(sys.argv[1]), sys.argv[2], [run.split("=", 2) for run in sys.argv[3:]])

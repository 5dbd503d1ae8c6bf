#!/usr/bin/env bash
# Alternating A/B rounds of one JMH benchmark over several benchmark jars, for a shared, noisy
# machine: each round runs every jar once, one after the other, so slow minutes hit all sides.
# Prints each run's fastest and median sample (JMH sample mode, microseconds) and the load.
#
#   THREADS=2 bench/ab.sh "TrainStepBench.step -p alpha=2 -p batch=256 -wi 3 -i 5" 3 before.jar after.jar
#
# THREADS sets -Dpowerprop.threads (default 1). JAVA defaults to JDK 25 under /usr/lib/jvm.
set -euo pipefail
args="$1"; rounds="$2"; shift 2
java_bin="${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1)}"
for r in $(seq "$rounds"); do
  for jar in "$@"; do
    # --add-modules must be repeated here: -jvmArgsAppend replaces what the benchmark's @Fork adds.
    out=$("$java_bin" -Djmh.ignoreLock=true -jar "$jar" $args -f 1 -bm sample -tu us \
        -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dpowerprop.threads=${THREADS:-1}" 2>&1 \
        | grep -E "p0.00 |p0.50 " | awk '{print $(NF-1)}' | paste -sd' ')
    echo "round $r $jar: min/median $out  load $(cut -d' ' -f1 /proc/loadavg)"
  done
done

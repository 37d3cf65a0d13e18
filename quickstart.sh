#!/usr/bin/env bash
# The main job: builds style-gan (tests skipped) and runs the quick start on the bundled images.
# Usage: ./quickstart.sh [--out DIR] [--steps N] [--style NAME] [--train-seconds S] [--pretrained NAME]  (--help for all)
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp -DskipTests -DskipDocJars -pl examples -am package
# On a busy machine (load >= cores) two OpenMP threads per process spin against each other: measured
# 7-18 s per training step instead of ~1 s with one thread. Use one there; keep any OMP_NUM_THREADS you set.
if [[ -z "${OMP_NUM_THREADS:-}" ]]; then
  cores=$(nproc 2>/dev/null || echo 2)
  load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
  if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l >= c) }'; then
    echo "Machine is busy (load $load on $cores cores): using one OpenMP thread (set OMP_NUM_THREADS to override)."
    export OMP_NUM_THREADS=1
  fi
fi
# examples/bin/style-gan sets glibc malloc up for training (docs/training-guide.md#memory).
exec examples/bin/style-gan quickstart "$@"

#!/usr/bin/env bash
# Interleaved peer/ours comparison for the workloads whose ratio sits near its target: ROUNDS rounds, each running
# the peer and our JMH benchmark for the same workloads back to back, in alternating order (peer first in odd rounds,
# ours first in even ones), so that slow drift of the machine falls on both sides alike. Reports, per workload, the
# ratio ours / peer of each round and their median, and writes that table into docs/performance.md (between the
# <!-- interleaved --> markers). compare.sh's single-sitting table stays as it is.
#
# Usage (from anywhere):  style-gan-bench/interleaved.sh
# Environment knobs:
#   ROUNDS=4        rounds (each is one peer run and one JMH fork per workload)
#   WORKLOADS=a,b   workloads (default: the training, discriminator and GAN-iteration ones)
#   RUNS=5          peer timed runs per workload and round (after 3 warm-ups)
#   BLOCK=name     the generated block to write in docs/performance.md (default: interleaved), so that a run of
#                  other workloads gets a table of its own
#   PEER=..., SKIP_BUILD=1, MVN_ARGS="-o", JMH_ARGS="..." as in compare.sh
# Takes ~4 minutes per round with the default workloads. Not part of CI.
set -euo pipefail

SCRIPT=interleaved.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_env.sh"
ROUNDS="${ROUNDS:-4}"
WORKLOADS="${WORKLOADS:-gen_train_mse_b1_256,gen_train_mse_b4_256,disc_fwdbwd_b4_256,gan_iter_b1_256,gan_iter_b4_256}"
OUT="$ROOT/style-gan-bench/target/interleaved"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, found '$ROUNDS'"
[[ "$WORKLOADS" =~ ^[a-z0-9_]+(,[a-z0-9_]+)*$ ]] || die "WORKLOADS must be comma-separated workload names"
rm -rf "$OUT"; mkdir -p "$OUT"
JAR="$OUT/benchmarks.jar"   # a copy: a rebuild during the run cannot mix versions
cp "$ROOT/style-gan-bench/target/benchmarks.jar" "$JAR"

# JMH selects benchmarks by regex; the method names are the workload names.
JMH_REGEX=".*\.($(echo "$WORKLOADS" | tr ',' '|'))\$"
echo "== machine: $MACHINE (load $(cut -d' ' -f1-3 /proc/loadavg))"

peer() { "$PY" "$PEER" --runs "$RUNS" --only "$WORKLOADS" --json "$OUT/peer_$1.json" | tee "$OUT/peer_$1.txt"; }
ours() {
  java -jar "$JAR" -foe true -bm sample -rf json -rff "$OUT/jmh_$1.json" ${JMH_ARGS:-} "$JMH_REGEX" \
    > "$OUT/jmh_$1.txt" 2>&1 || { tail -20 "$OUT/jmh_$1.txt" >&2; die "JMH failed in round $1"; }
  grep -E "^(Benchmark|[A-Za-z]+Benchmark\.[a-z0-9_]+ )" "$OUT/jmh_$1.txt" || true
}
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r of $ROUNDS ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg))"
  if [ $((r % 2)) = 1 ]; then peer "$r"; ours "$r"; else ours "$r"; peer "$r"; fi
done

"$PY" "$ROOT/style-gan-bench/interleaved_table.py" --dir "$OUT" --rounds "$ROUNDS" --workloads "$WORKLOADS" \
  --machine "$MACHINE" --command "style-gan-bench/interleaved.sh  (ROUNDS=$ROUNDS RUNS=$RUNS${JMH_ARGS:+ JMH_ARGS=$JMH_ARGS})" \
  --out "$ROOT/docs/performance.md" --block "${BLOCK:-interleaved}"

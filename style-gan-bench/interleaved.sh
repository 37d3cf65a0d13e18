#!/usr/bin/env bash
# Interleaved peer/ours comparison for the workloads whose ratio sits near its target: ROUNDS rounds; in each, every
# workload runs on the peer and as our JMH benchmark back to back, in alternating order (peer first in odd rounds,
# ours first in even ones), so that drift of the machine falls on both sides alike. Pairs are per workload, not per
# round: a whole round of five workloads takes ~6 minutes, and the VM's speed moves by 10% or more in that time (the
# peer's own discriminator median: 240-277 ms within one morning). Reports, per workload, the
# ratio ours / peer of each round and their median, and writes that table into docs/performance.md (between the
# <!-- interleaved --> markers). compare.sh's single-sitting table stays as it is.
#
# Usage (from anywhere):  style-gan-bench/interleaved.sh
# Environment knobs:
#   ROUNDS=4        rounds (each is one peer process and one JMH fork per workload)
#   WORKLOADS=a,b   workloads (default: the training, discriminator and GAN-iteration ones)
#   RUNS=5          peer timed runs per workload and round (after 3 warm-ups)
#   BLOCK=name     the generated block to write in docs/performance.md (default: interleaved), so that a run of
#                  other workloads gets a table of its own
#   PEER=..., SKIP_BUILD=1, MVN_ARGS="-o", JMH_ARGS="..." as in compare.sh
# Takes ~6 minutes per round with the default workloads. Not part of CI.
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

echo "== machine: $MACHINE (load $(cut -d' ' -f1-3 /proc/loadavg))"

# One workload $2 of round $1 on each side; files are named by both (interleaved_table.py reads them so).
peer() { "$PY" "$PEER" --runs "$RUNS" --only "$2" --json "$OUT/peer_$1_$2.json" | tee "$OUT/peer_$1_$2.txt"; }
ours() {
  # JMH selects benchmarks by regex; the method names are the workload names.
  java -jar "$JAR" -foe true -bm sample -rf json -rff "$OUT/jmh_$1_$2.json" ${JMH_ARGS:-} ".*\.$2\$" \
    > "$OUT/jmh_$1_$2.txt" 2>&1 || { tail -20 "$OUT/jmh_$1_$2.txt" >&2; die "JMH failed in round $1 ($2)"; }
  grep -E "^[A-Za-z]+Benchmark\.[a-z0-9_]+ " "$OUT/jmh_$1_$2.txt" || true
}
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r of $ROUNDS ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg))"
  for w in $(echo "$WORKLOADS" | tr ',' ' '); do
    if [ $((r % 2)) = 1 ]; then peer "$r" "$w"; ours "$r" "$w"; else ours "$r" "$w"; peer "$r" "$w"; fi
  done
done

"$PY" "$ROOT/style-gan-bench/interleaved_table.py" --dir "$OUT" --rounds "$ROUNDS" --workloads "$WORKLOADS" \
  --machine "$MACHINE" --command "style-gan-bench/interleaved.sh  (ROUNDS=$ROUNDS RUNS=$RUNS${JMH_ARGS:+ JMH_ARGS=$JMH_ARGS})" \
  --out "$ROOT/docs/performance.md" --block "${BLOCK:-interleaved}"

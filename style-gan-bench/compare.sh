#!/usr/bin/env bash
# Compares style-gan with its PyTorch peer on the same workloads, 2 threads each, and writes the results table
# into docs/performance.md (between the <!-- results --> markers). Each workload runs on both sides back to back
# (peer first, then ours, then ours first for the next workload, and so on), then the layer-level benchmarks.
#
# Usage (from anywhere):  style-gan-bench/compare.sh
# Environment knobs:
#   PEER=path/to/torch_reference.py  (default: ../shared/peer/torch_reference.py next to the repository)
#   RUNS=5          peer timed runs per workload (after 3 warm-ups)
#   JMH_FILTER=...  regex of our benchmarks to run in one JMH run after the peer's (unpaired); JMH_ARGS="..." extra
#                   JMH options;  PAIRED=0 runs the whole peer suite first, then all of ours (the old order)
#   PEER_ONLY=a,b   peer workloads to run (default: all);  SKIP_PEER_OPS=1 skips the layer-level peer
#   SKIP_BUILD=1    reuse style-gan-bench/target/benchmarks.jar;  MVN_ARGS="-o" extra Maven options
#   PEAK_GFLOPS=G    FP32 rate for the "% of peak" column (default: the highest dense rate measured in the run)
# Needs: Java 17, Maven, /usr/bin/python3 with PyTorch (apt-get install -y python3-torch libopenblas0-pthread),
# /usr/bin/time. Takes ~12-15 minutes on an idle 2-core machine. Not part of CI.
# Exit status: 0 when every workload produced a number, 1 otherwise (the table is written either way).
set -euo pipefail

SCRIPT=compare.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_env.sh"
OUT="$ROOT/style-gan-bench/target/compare"
DOC="$ROOT/docs/performance.md"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install -y time)"
rm -rf "$OUT"; mkdir -p "$OUT"
# JMH forks re-open the jar: run from a copy so that a rebuild during the run cannot mix versions.
JAR="$OUT/benchmarks.jar"
cp "$ROOT/style-gan-bench/target/benchmarks.jar" "$JAR"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== machine: $MACHINE (load $LOAD_BEFORE)"
status=0

PEER_WORKLOADS="gen_infer_b1_256,gen_infer_b4_256,gen_infer_b1_512,gen_train_mse_b1_256,gen_train_mse_b4_256,\
disc_fwdbwd_b4_256,gram_fwdbwd_4x128x64x64,gan_iter_b1_256"
ALL_WORKLOADS="$PEER_WORKLOADS,gan_iter_b4_256"
PEER_RUN="${PEER_ONLY:-$ALL_WORKLOADS}"
: > "$OUT/peer.txt"
: > "$OUT/jmh.txt"
echo "== peer: $PEER (--runs $RUNS)"

# One workload on the peer's side; gan_iter_b4_256 under /usr/bin/time, for the peer's peak RSS of the same work.
peer() {
  if [ "$1" = gan_iter_b4_256 ]; then
    /usr/bin/time -v -o "$OUT/peer_gan_b4.time" "$PY" "$PEER" --runs "$RUNS" --only "$1" --json "$OUT/peer_$1.json" \
      | tee -a "$OUT/peer.txt" || { echo "compare.sh: peer $1 failed" >&2; status=1; }
  else
    "$PY" "$PEER" --runs "$RUNS" --only "$1" --json "$OUT/peer_$1.json" | tee -a "$OUT/peer.txt" \
      || { echo "compare.sh: peer $1 failed" >&2; status=1; }
  fi
}
# Our JMH run of benchmarks matching regex $2 into jmh_$1.json. -foe false: one failing benchmark must not stop the
# others (missing results are reported below). -bm sample: every call is timed, so the table compares our median
# with the peer's median (the mean is kept beside it); a -bm in JMH_ARGS overrides it.
ours() {
  java -jar "$JAR" -foe false -bm sample -rf json -rff "$OUT/jmh_$1.json" ${JMH_ARGS:-} $2 2>&1 \
    | tee -a "$OUT/jmh.txt" || { echo "compare.sh: JMH exited with an error ($1)" >&2; status=1; }
}

if [ -n "${JMH_FILTER:-}" ] || [ "${PAIRED:-1}" = 0 ]; then
  # Unpaired: the peer's workloads, then our selection in one JMH run (what a JMH_FILTER run asks for).
  ORDER_NOTE="Order: the peer's workloads, then ours (unpaired)."
  for w in $(echo "$PEER_RUN" | tr ',' ' '); do peer "$w"; done
  echo "== ours: JMH ${JMH_FILTER:-all}"
  ours all "${JMH_FILTER:-}"
else
  # Paired: each workload on both sides back to back, alternating which side goes first. A whole peer suite took ~10
  # minutes before our first benchmark, and the VM's speed moves by 10% or more in that time (the peer's own
  # discriminator median: 240-277 ms within one morning), which a ratio of two distant runs would carry.
  ORDER_NOTE="Order: each workload on both sides back to back (the peer first for the 1st, 3rd, ... workload in run order: \
$PEER_RUN; ours first for the others), then the layer-level benchmarks."
  i=0
  for w in $(echo "$PEER_RUN" | tr ',' ' '); do
    i=$((i + 1))
    echo "== pair $i: $w ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg))"
    # JMH selects benchmarks by regex; the method names are the workload names.
    if [ $((i % 2)) = 1 ]; then peer "$w"; ours "$w" ".*\.$w\$"; else ours "$w" ".*\.$w\$"; peer "$w"; fi
  done
  echo "== ours and the peer's ops: the layer-level benchmarks"
  ours layers "ConvLayerBenchmark|InstanceNormBenchmark|ImageConversionBenchmark"
fi
if [ "${SKIP_PEER_OPS:-0}" != 1 ]; then
  "$PY" "$ROOT/style-gan-bench/peer_ops.py" --runs "$RUNS" --json "$OUT/peer_ops.json" | tee "$OUT/peer_ops.txt" \
    || { echo "compare.sh: peer_ops.py failed" >&2; status=1; }
fi
"$PY" - "$OUT" <<'PYEOF'
import glob, json, os, sys
out = sys.argv[1]
peer, jmh = {}, []
for f in sorted(glob.glob(os.path.join(out, "peer_*.json"))):
    if os.path.basename(f) not in ("peer_ops.json", "peer_all.json"):
        peer.update(json.load(open(f)))
for f in sorted(glob.glob(os.path.join(out, "jmh_*.json"))):
    try:
        jmh += json.load(open(f))
    except ValueError:
        pass  # a JMH run that died before writing its results; reported as missing below
json.dump(peer, open(os.path.join(out, "peer_all.json"), "w"), indent=2)
json.dump(jmh, open(os.path.join(out, "jmh.json"), "w"), indent=2)
PYEOF
PEER_RSS_KB="$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$OUT/peer_gan_b4.time" 2>/dev/null || true)"

EXPECTED="$ALL_WORKLOADS"
for s in c0 down1 down2 res up1 up2 out; do EXPECTED="$EXPECTED,conv_fwd[$s],conv_fwdbwd[$s]"; done
EXPECTED="$EXPECTED,in_relu_fwd_1x128x64x64,in_relu_fwdbwd_1x128x64x64,toTensorIntRgb[1024],toImage[1024],sgemm_2048"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" "$ROOT/style-gan-bench/perf_table.py" --peer "$OUT/peer_all.json" --peer-ops "$OUT/peer_ops.json" \
  --jmh "$OUT/jmh.json" --jmh-log "$OUT/jmh.txt" --peer-rss-kb "${PEER_RSS_KB:-0}" \
  --machine "$MACHINE; load average before/after: $LOAD_BEFORE / $LOAD_AFTER" \
  --command "style-gan-bench/compare.sh  (RUNS=$RUNS${JMH_FILTER:+ JMH_FILTER=$JMH_FILTER}${JMH_ARGS:+ JMH_ARGS=$JMH_ARGS}${PEER_ONLY:+ PEER_ONLY=$PEER_ONLY})" \
  --peak-gflops "${PEAK_GFLOPS:-0}" --notes "$ORDER_NOTE" --expected "$EXPECTED" --out "$DOC" || die "writing the table failed"

# Fail loudly when a workload has no number on either side.
missing="$("$PY" - "$OUT" "$EXPECTED" "${JMH_FILTER:-}" "$ROOT/style-gan-bench" "$PEER_RUN" "$ALL_WORKLOADS" <<'PYEOF'
import json, os, sys
out, expected, filt = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
run, workloads = set(sys.argv[5].split(",")), set(sys.argv[6].split(","))
sys.path.insert(0, sys.argv[4])
from perf_table import jmh_results  # one naming of our results, shared with the table
def load(f):
    try: return json.load(open(os.path.join(out, f)))
    except Exception: return {}
peer = {**load("peer_all.json"), **load("peer_ops.json")}
ours = set(jmh_results(os.path.join(out, "jmh.json")))
# Image conversion (ImageConversionBenchmark) has no peer counterpart; sgemm_2048 has no counterpart of ours.
miss = [f"peer:{n}" for n in expected if not n.startswith("to") and n not in peer]
if os.environ.get("PEER_ONLY") or os.environ.get("SKIP_PEER_OPS") == "1":
    miss = []  # a partial peer run was asked for
if not filt:
    # Paired runs of a PEER_ONLY subset run those workloads of ours (and all layer-level benchmarks).
    miss += [f"ours:{n}" for n in expected if n != "sgemm_2048" and n not in ours
             and (n not in workloads or n in run or os.environ.get("PAIRED") == "0")]
print(" ".join(miss))
PYEOF
)"
if [ -n "$missing" ]; then
  echo "compare.sh: FAILED: no result for: $missing (see $OUT/*.txt)" >&2
  status=1
fi
echo "== wrote $DOC (raw output in $OUT)"
exit $status

#!/usr/bin/env bash
# Compares style-gan with its PyTorch peer on the same workloads, 2 threads each, and writes the results table
# into docs/performance.md (between the <!-- results --> markers).
#
# Usage (from anywhere):  style-gan-bench/compare.sh
# Environment knobs:
#   PEER=path/to/torch_reference.py  (default: ../shared/peer/torch_reference.py next to the repository)
#   RUNS=5          peer timed runs per workload (after 3 warm-ups)
#   JMH_FILTER=...  regex of our benchmarks to run (default: all); JMH_ARGS="..." extra JMH options
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
PEER_RUN="${PEER_ONLY:-$PEER_WORKLOADS,gan_iter_b4_256}"
PEER_MAIN="$(echo "$PEER_RUN" | tr ',' '\n' | grep -vx gan_iter_b4_256 | paste -sd, -)"
echo "== peer: $PEER (--runs $RUNS)"
if [ -n "$PEER_MAIN" ]; then
  "$PY" "$PEER" --runs "$RUNS" --only "$PEER_MAIN" --json "$OUT/peer.json" | tee "$OUT/peer.txt" \
    || { echo "compare.sh: peer run failed" >&2; status=1; }
fi
if echo "$PEER_RUN" | tr ',' '\n' | grep -qx gan_iter_b4_256; then
  # gan_iter_b4_256 alone under /usr/bin/time: its time and the peer's peak RSS for the same work.
  /usr/bin/time -v -o "$OUT/peer_gan_b4.time" "$PY" "$PEER" --runs "$RUNS" --only gan_iter_b4_256 \
    --json "$OUT/peer_gan_b4.json" | tee -a "$OUT/peer.txt" \
    || { echo "compare.sh: peer gan_iter_b4_256 failed" >&2; status=1; }
fi
"$PY" - "$OUT" <<'PYEOF'
import json, sys, os
out = sys.argv[1]
merged = {}
for f in ("peer.json", "peer_gan_b4.json"):
    p = os.path.join(out, f)
    if os.path.exists(p):
        merged.update(json.load(open(p)))
json.dump(merged, open(os.path.join(out, "peer_all.json"), "w"), indent=2)
PYEOF
PEER_RSS_KB="$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$OUT/peer_gan_b4.time" 2>/dev/null || true)"
if [ "${SKIP_PEER_OPS:-0}" != 1 ]; then
  "$PY" "$ROOT/style-gan-bench/peer_ops.py" --runs "$RUNS" --json "$OUT/peer_ops.json" | tee "$OUT/peer_ops.txt" \
    || { echo "compare.sh: peer_ops.py failed" >&2; status=1; }
fi

echo "== ours: JMH ${JMH_FILTER:-all}"
# -foe false: one failing benchmark must not stop the others; missing results are reported below.
# -bm sample: every call is timed, so the table can compare our median with the peer's median (the same statistic;
# the mean is kept beside it). A -bm in JMH_ARGS overrides it.
java -jar "$JAR" -foe false -bm sample -rf json -rff "$OUT/jmh.json" ${JMH_ARGS:-} ${JMH_FILTER:-} 2>&1 | tee "$OUT/jmh.txt" \
  || { echo "compare.sh: JMH exited with an error" >&2; status=1; }

EXPECTED="$PEER_WORKLOADS,gan_iter_b4_256"
for s in c0 down1 down2 res up1 up2 out; do EXPECTED="$EXPECTED,conv_fwd[$s],conv_fwdbwd[$s]"; done
EXPECTED="$EXPECTED,in_relu_fwd_1x128x64x64,in_relu_fwdbwd_1x128x64x64,toTensorIntRgb[1024],toImage[1024],sgemm_2048"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" "$ROOT/style-gan-bench/perf_table.py" --peer "$OUT/peer_all.json" --peer-ops "$OUT/peer_ops.json" \
  --jmh "$OUT/jmh.json" --jmh-log "$OUT/jmh.txt" --peer-rss-kb "${PEER_RSS_KB:-0}" \
  --machine "$MACHINE; load average before/after: $LOAD_BEFORE / $LOAD_AFTER" \
  --command "style-gan-bench/compare.sh  (RUNS=$RUNS${JMH_FILTER:+ JMH_FILTER=$JMH_FILTER}${JMH_ARGS:+ JMH_ARGS=$JMH_ARGS}${PEER_ONLY:+ PEER_ONLY=$PEER_ONLY})" \
  --peak-gflops "${PEAK_GFLOPS:-0}" --expected "$EXPECTED" --out "$DOC" || die "writing the table failed"

# Fail loudly when a workload has no number on either side.
missing="$("$PY" - "$OUT" "$EXPECTED" "${JMH_FILTER:-}" "$ROOT/style-gan-bench" <<'PYEOF'
import json, os, sys
out, expected, filt = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
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
    miss += [f"ours:{n}" for n in expected if n != "sgemm_2048" and n not in ours]
print(" ".join(miss))
PYEOF
)"
if [ -n "$missing" ]; then
  echo "compare.sh: FAILED: no result for: $missing (see $OUT/*.txt)" >&2
  status=1
fi
echo "== wrote $DOC (raw output in $OUT)"
exit $status

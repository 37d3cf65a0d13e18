# Shared set-up of compare.sh and interleaved.sh (sourced, not run): paths, the environment both sides run in, the
# peer check, the build and the MACHINE line of the tables. Expects SCRIPT (the caller's name, for messages).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PEER="${PEER:-$ROOT/../shared/peer/torch_reference.py}"
RUNS="${RUNS:-5}"
PY=/usr/bin/python3
export OMP_NUM_THREADS=2   # both the peer (torch.set_num_threads(2)) and ND4J/oneDNN (read at start-up)
# glibc malloc: the peer script runs itself with MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1e11 (it re-executes
# itself with them unless MALLOC_MMAP_MAX_ is set), so that large freed blocks are reused instead of being handed back
# to the kernel and faulted in again. Those settings act on glibc's main arena, where Python runs. A JVM runs main()
# on a second thread, whose arena deletes its 64 MB heaps as soon as they are empty whatever the trim threshold, and
# libnd4j mallocs and frees its temporaries (oneDNN reorder buffers, up to 34 MB at batch 4) on every call;
# MALLOC_ARENA_MAX=1 puts every thread in the main arena, so the peer's settings mean the same on both sides.
# Measured: generator training at batch 4, ours 1356 -> 1039 ms (page faults per step 34,700 -> 1,600); the peer
# 1088 -> 1085 ms. See docs/performance.md and docs/training-guide.md.
export MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000
MALLOC_NOTE="glibc malloc on both sides: MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1e11"

die() { echo "$SCRIPT: $*" >&2; exit 2; }
[ -f "$PEER" ] || die "peer script not found at $PEER; set PEER=/path/to/torch_reference.py"
"$PY" -c "import torch" 2>/dev/null \
  || die "PyTorch is not importable from $PY; install the peer: apt-get install -y python3-torch libopenblas0-pthread"
command -v java >/dev/null || die "java (17+) is not on the PATH"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build"
  mvn -B -q ${MVN_ARGS:-} -pl style-gan-bench -am package -DskipTests || die "build failed"
fi
[ -f "$ROOT/style-gan-bench/target/benchmarks.jar" ] || die "benchmarks.jar missing; build without SKIP_BUILD"
MACHINE="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; \
$(java -version 2>&1 | head -1); torch $("$PY" -c 'import torch; print(torch.__version__)'); OMP_NUM_THREADS=2; $MALLOC_NOTE"

#!/usr/bin/env python3
"""Writes docs/performance.md's results table from one compare.sh run (standard library only).

Inputs (all optional but the output path; a missing or failed workload shows as 'error' / '-'):
  --peer peer.json --peer-ops peer_ops.json --jmh jmh.json --jmh-log jmh.txt --peer-rss-kb N
  --machine TEXT --command TEXT --notes TEXT --out docs/performance.md [--peak-gflops G]

FLOP counts are analytic: the algorithmic minimum of each workload's convolutions and matrix products
(2*Cin*Cout*k*k*Hout*Wout per conv forward; backward = weight gradient + input gradient, each as much as the
forward, the input gradient skipped where no one needs it). Normalisation, activations, padding, losses and
Adam are memory-bound and not counted.
"""
import argparse
import datetime
import json
import os
import re

# (cin, cout, k, stride, output side as a fraction of the image side) of the reference generator
GEN = [(3, 32, 9, 1, 1), (32, 64, 3, 2, 1 / 2), (64, 128, 3, 2, 1 / 4)] + [(128, 128, 3, 1, 1 / 4)] * 10 + \
      [(128, 64, 3, 1, 1 / 2), (64, 32, 3, 1, 1), (32, 3, 9, 1, 1)]
# 70x70 PatchGAN at 256 px: (cin, cout, k, output side)
DISC = [(3, 64, 4, 128), (64, 128, 4, 64), (128, 256, 4, 32), (256, 512, 4, 31), (512, 1, 4, 30)]
# VGG16 blocks 1-2 at 256 px: (cin, cout, k, output side)
FEAT = [(3, 64, 3, 256), (64, 64, 3, 256), (64, 128, 3, 128), (128, 128, 3, 128)]
CONV_SHAPES = {"c0": (3, 32, 9, 256), "down1": (32, 64, 3, 128), "down2": (64, 128, 3, 64),
               "res": (128, 128, 3, 64), "up1": (128, 64, 3, 128), "up2": (64, 32, 3, 256),
               "out": (32, 3, 9, 256)}


def conv_flops(cin, cout, k, side):
    return 2.0 * cin * cout * k * k * side * side


def gen_fwd(side):
    return sum(conv_flops(ci, co, k, side * f) for ci, co, k, s, f in GEN)


def gen_first(side):
    ci, co, k, s, f = GEN[0]
    return conv_flops(ci, co, k, side * f)


DISC_FWD = sum(conv_flops(*c) for c in DISC)
DISC_FIRST = conv_flops(*DISC[0])
FEAT_FWD = sum(conv_flops(*c) for c in FEAT)
GRAMS = 2 * (2.0 * 64 * 64 * 256 * 256 + 2.0 * 128 * 128 * 128 * 128)  # Gram forward + gradient, both taps


def flops(name):
    """Returns the analytic FLOPs of a workload, or None where GFLOP/s means nothing (memory-bound)."""
    m = re.fullmatch(r"gen_infer_b(\d+)_(\d+)", name)
    if m:
        return int(m[1]) * gen_fwd(int(m[2]))
    m = re.fullmatch(r"gen_train_mse_b(\d+)_256", name)
    if m:
        return int(m[1]) * (3 * gen_fwd(256) - gen_first(256))
    if name == "disc_fwdbwd_b4_256":
        return 4 * 3 * DISC_FWD
    if name == "gram_fwdbwd_4x128x64x64":
        return 2 * 4 * 2.0 * 128 * 128 * 64 * 64
    m = re.fullmatch(r"gan_iter_b(\d+)_256", name)
    if m:
        # G no-grad forward; D step on real and fake (forward, weight and input gradients but the first conv's);
        # G step: G forward, features of content and fake, D forward, input gradients of D (all layers) and of the
        # feature net, G backward (no input gradient for its first conv); plus the Gram matrices.
        per_image = (4 * gen_fwd(256) - gen_first(256) + 8 * DISC_FWD - 2 * DISC_FIRST + 3 * FEAT_FWD + GRAMS)
        return int(m[1]) * per_image
    m = re.fullmatch(r"conv_(fwd|fwdbwd)\[(\w+)\]", name)
    if m and m[2] in CONV_SHAPES:
        f = conv_flops(*CONV_SHAPES[m[2]])
        return f if m[1] == "fwd" else 3 * f
    if name == "sgemm_2048":
        return 2.0 * 2048 ** 3
    return None


TARGETS = {"gen_infer": 0.9}  # ratio targets; training, disc, Gram and GAN iteration: 1.0


def target(name):
    if name.startswith("gen_infer"):
        return 0.9
    if name.startswith(("gen_train", "disc_", "gram_", "gan_iter")):
        return 1.0
    return None


def load(path):
    if not path:
        return {}
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def jmh_results(path):
    """Our results by workload name: (median ms, mean ms). The median (JMH sample mode's p50) is what the table
    compares, as the peer reports medians; the mean is shown next to it. Average-time runs give their mean twice."""
    out = {}
    data = load(path)
    for r in data if isinstance(data, list) else []:
        name = r["benchmark"].rsplit(".", 1)[1]
        params = {k: v for k, v in (r.get("params") or {}).items()
                  if not (k == "format" and v == "NCHW") and not (k == "layer" and v == "ours")}
        if params:
            name += "[" + ",".join(str(v) for v in params.values()) + "]"
        pm = r["primaryMetric"]
        median = (pm.get("scorePercentiles") or {}).get("50.0") if r.get("mode") == "sample" else None
        out[name] = (median if median is not None else pm["score"], pm["score"])
    return out


def rss_from_log(path):
    out = {}
    try:
        with open(path, errors="replace") as fh:
            for line in fh:
                m = re.search(r"# stylegan-peak-rss-kb (\S+) (\d+)", line)
                if m:
                    out[m[1]] = int(m[2])
    except OSError:
        pass
    return out


def write_block(path, begin, end, block, missing):
    """Puts `block` (which carries both markers) in place of the text from `begin` to the line holding `end` in
    `path`; `missing(doc)` builds the document when it has no such block yet. Written whole, then renamed: an
    interrupted run leaves the old file. Shared by compare.sh's and interleaved.sh's tables."""
    try:
        with open(path) as fh:
            doc = fh.read()
    except OSError:
        doc = ""
    start, stop = doc.find(begin), doc.find(end)
    if start >= 0 and stop > start:
        doc = doc[:start] + block + doc[stop + len(end) + 1:]
    else:
        doc = missing(doc)
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(doc)
    os.replace(tmp, path)


def fmt(v, digits=1):
    return "-" if v is None else f"{v:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", default="")
    ap.add_argument("--peer-ops", default="")
    ap.add_argument("--jmh", default="")
    ap.add_argument("--jmh-log", default="")
    ap.add_argument("--peer-rss-kb", type=int, default=0)
    ap.add_argument("--machine", default="")
    ap.add_argument("--command", default="")
    ap.add_argument("--notes", default="")
    ap.add_argument("--peak-gflops", type=float, default=0.0,
                    help="FP32 rate for the %% column; 0: the highest dense rate measured in this run")
    ap.add_argument("--expected", default="", help="comma-separated workloads that must appear (else 'error')")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    peer = {k: v["median_ms"] for k, v in load(a.peer).items()}
    peer.update({k: v["median_ms"] for k, v in load(a.peer_ops).items()})
    ours_both = jmh_results(a.jmh)
    ours = {k: v[0] for k, v in ours_both.items()}
    ours_mean = {k: v[1] for k, v in ours_both.items()}
    rss = rss_from_log(a.jmh_log)
    names = [n for n in a.expected.split(",") if n]
    for n in list(ours) + list(peer):
        if n not in names:
            names.append(n)

    rows = ["| workload | peer ms (median) | ours ms (median) | ours / peer | target | ours mean ms | our GFLOP/s "
            "| % of peak |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    misses = []
    expected = [n for n in a.expected.split(",") if n]
    filt = os.environ.get("JMH_FILTER", "")  # a partial run: only workloads matching it were asked of us
    # The "% of peak" denominator. A register-only FMA figure does not carry from machine to machine (230 GFLOP/s
    # on the Intel VM of the field notes, while oneDNN's convolutions reach ~450 on the AMD one), so by default it is
    # the highest dense FP32 rate measured in this run: PyTorch's sgemm_2048 or our fastest row, whichever is higher.
    def rate(n):
        """GFLOP/s of a row: ours, except sgemm_2048, the peer-only reference."""
        f, t = flops(n), (peer if n == "sgemm_2048" else ours).get(n)
        return f / (t * 1e6) if (f is not None and t) else None

    peak, peak_from = a.peak_gflops, "given with --peak-gflops"
    if peak <= 0:
        rates = {n: r for n in names if (r := rate(n)) is not None}
        best = max(rates, key=rates.get, default=None)
        peak = rates.get(best, 0.0)
        peak_from = f"the highest dense FP32 rate measured in this run ({best})" if best else "none measured"
    for n in names:
        p, o = peer.get(n), ours.get(n)
        error = o is None and n in expected and n != "sgemm_2048" and (not filt or re.search(filt, n))
        if p is None and o is None and not error:
            continue
        ratio = o / p if (o is not None and p) else None
        t = target(n)
        gf = rate(n)
        pct = 100 * gf / peak if (gf is not None and peak > 0) else None
        o_txt = "error" if error else fmt(o)
        r_txt = fmt(ratio, 2)
        if ratio is not None and t is not None and ratio > t:
            r_txt = f"**{r_txt}**"
            misses.append(n)
        rows.append(f"| {n} | {fmt(p)} | {o_txt} | {r_txt} | {'-' if t is None else t} | {fmt(ours_mean.get(n))} "
                    f"| {fmt(gf)} | {fmt(pct, 0)} |")

    ours_rss = rss.get("gan_iter_b4_256")
    lines = [
        "<!-- results: generated by style-gan-bench/compare.sh (perf_table.py); edit the prose outside this block -->",
        f"Run: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}  ",
        f"Machine: {a.machine}  ",
        f"Command: `{a.command}`",
        "",
        *rows,
        "",
        f"Peak RSS of gan_iter_b4_256: ours {fmt(ours_rss / 1024 if ours_rss else None, 0)} MiB "
        f"(VmHWM of its JMH fork, whole JVM), peer {fmt(a.peer_rss_kb / 1024 if a.peer_rss_kb else None, 0)} MiB "
        f"(max RSS of `torch_reference.py --only gan_iter_b4_256`).  ",
        f"Targets missed (bold): {', '.join(misses) if misses else 'none'}.  ",
        "Both sides report medians: the peer's over its timed runs, ours the p50 of JMH's sample mode (every call "
        "timed after warm-up); our mean is shown beside it.  ",
        f"GFLOP/s: analytic FLOPs / our median time; % of peak: of {peak:.0f} GFLOP/s, {peak_from}. "
        "sgemm_2048 is PyTorch's 2048^3 matrix product (OpenBLAS), for reference.",
    ]
    if a.notes:
        lines += ["", a.notes]
    lines.append("<!-- /results -->")
    block = "\n".join(lines) + "\n"

    write_block(a.out, "<!-- results:", "<!-- /results -->", block,
                lambda doc: (doc.rstrip() + "\n\n" if doc else "# Performance\n\n") + block)
    print(block)


if __name__ == "__main__":
    main()

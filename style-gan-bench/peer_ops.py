#!/usr/bin/python3
"""Layer-level peer timings in PyTorch (CPU), matching style-gan-bench's ConvLayerBenchmark and InstanceNormBenchmark.

The whole-network peer is ../shared/peer/torch_reference.py; this script times the pieces, so that a slow
network can be traced to the layer that is behind. Same conventions: 2 threads, fp32, NCHW, glibc malloc set to
reuse large blocks, 3 warm-up calls, median of --runs. Prints one line per workload:
    <name> median_ms=<m> min_ms=<a> max_ms=<b>
and, with --json, writes {name: {median_ms, min_ms, max_ms}}. Also times a 2048^3 float matrix product
(sgemm_2048) as the machine's achievable dense FP32 rate.

Install the peer: apt-get install -y python3-torch libopenblas0-pthread (importable from /usr/bin/python3 only).
"""
import argparse
import json
import os
import statistics
import sys
import time

if "MALLOC_MMAP_MAX_" not in os.environ:
    os.execve(sys.executable, [sys.executable] + sys.argv,
              dict(os.environ, MALLOC_MMAP_MAX_="0", MALLOC_TRIM_THRESHOLD_="100000000000"))

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)

# name: cin, cout, kernel, stride, padded input side (the reference generator at 256 px, reflection-padded input)
CONVS = {
    "c0": (3, 32, 9, 1, 264),
    "down1": (32, 64, 3, 2, 258),
    "down2": (64, 128, 3, 2, 130),
    "res": (128, 128, 3, 1, 66),
    "up1": (128, 64, 3, 1, 130),
    "up2": (64, 32, 3, 1, 258),
    "out": (32, 3, 9, 1, 264),
}


def timed(fn, runs, warmup=3):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts), min(ts), max(ts)


def workloads():
    out = {}
    for name, (cin, cout, k, s, side) in CONVS.items():
        conv = torch.nn.Conv2d(cin, cout, k, s)
        x = torch.rand(1, cin, side, side) * 2 - 1
        xg = x.clone().requires_grad_(True)
        with torch.no_grad():
            g = torch.rand_like(conv(x)) * 2 - 1

        def fwd(conv=conv, x=x):
            with torch.no_grad():
                conv(x)

        def fwdbwd(conv=conv, xg=xg, g=g):
            conv.zero_grad(set_to_none=True)
            xg.grad = None
            conv(xg).backward(g)
        out[f"conv_fwd[{name}]"] = fwd
        out[f"conv_fwdbwd[{name}]"] = fwdbwd

    weight = torch.ones(128, requires_grad=True)
    bias = torch.zeros(128, requires_grad=True)
    x = torch.rand(1, 128, 64, 64) * 2 - 1
    xg = x.clone().requires_grad_(True)
    g = torch.rand(1, 128, 64, 64) * 2 - 1

    def in_fwd():
        with torch.no_grad():
            F.relu(F.instance_norm(x, weight=weight, bias=bias))

    def in_fwdbwd():
        weight.grad = bias.grad = xg.grad = None
        F.relu(F.instance_norm(xg, weight=weight, bias=bias)).backward(g)
    out["in_relu_fwd_1x128x64x64"] = in_fwd
    out["in_relu_fwdbwd_1x128x64x64"] = in_fwdbwd

    a = torch.rand(2048, 2048)
    b = torch.rand(2048, 2048)
    out["sgemm_2048"] = lambda: torch.mm(a, b)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--only", default="")
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    wanted = set(filter(None, args.only.split(",")))
    results = {}
    for name, fn in workloads().items():
        if wanted and name not in wanted:
            continue
        med, lo, hi = timed(fn, args.runs)
        results[name] = {"median_ms": med, "min_ms": lo, "max_ms": hi}
        print(f"{name} median_ms={med:.2f} min_ms={lo:.2f} max_ms={hi:.2f}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()

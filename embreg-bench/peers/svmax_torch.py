"""PyTorch peer for `embreg bench svmax`: forward + backward of the bounded SVMax loss
(row normalization included) with torch.linalg.svdvals, median milliseconds after warm-up.

Run: /usr/bin/python3 peers/svmax_torch.py --batch 144 --dim 128 [--threads 1] [--json]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

import ranking

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=144)
p.add_argument("--dim", type=int, default=128)
p.add_argument("--warmup", type=int, default=50)
p.add_argument("--repeats", type=int, default=200)
p.add_argument("--threads", type=int, default=0, help="0 = torch's default")
p.add_argument("--json", action="store_true")
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
torch.manual_seed(1)
b, d = a.batch, a.dim
base = torch.randn(b, d)
samples = []
for i in range(a.warmup + a.repeats):
    e = base.clone().requires_grad_(True)
    t0 = time.perf_counter()
    ranking.svmax_bounded(F.normalize(e, dim=1)).backward()
    g = e.grad[0, 0].item()
    t1 = time.perf_counter()
    if i >= a.warmup:
        samples.append((t1 - t0) * 1e3)
med = statistics.median(samples)
if a.json:
    print(json.dumps({"benchmark": "svmax-torch", "batch": b, "dim": d, "threads": torch.get_num_threads(), "medianMillis": med}))
else:
    print(f"torch {torch.__version__} svdvals forward+backward, {b} x {d}, {torch.get_num_threads()} threads: median {med:.3f} ms")

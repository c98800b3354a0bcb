"""PyTorch peer for `embreg bench regularizers`: forward + backward on two views of b x d of
VICReg's variance + covariance terms as the official code writes them (d x d covariance,
off-diagonal squares) and of bounded SVMax with torch.linalg.svdvals, timed in interleaved rounds;
median milliseconds.

Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 peers/regularizers_torch.py --batch 128 --dims 512,2048,8192 [--threads 1] [--rounds 21]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=128)
p.add_argument("--dims", default="512,2048,8192")
p.add_argument("--warmup", type=int, default=5)
p.add_argument("--rounds", type=int, default=21)
p.add_argument("--threads", type=int, default=0, help="0 = torch's default")
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
torch.manual_seed(1)


def off_diagonal(x):
    n, m = x.shape
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def vicreg(z):
    b, d = z.shape
    z = z - z.mean(dim=0)
    std = torch.sqrt(z.var(dim=0) + 0.0001)
    std_loss = torch.mean(F.relu(1 - std))
    cov = (z.T @ z) / (b - 1)
    cov_loss = off_diagonal(cov).pow_(2).sum().div(d)
    return std_loss + cov_loss


def svmax(z):
    b, d = z.shape
    lower, upper = math.sqrt(b) / d, math.sqrt(b * min(b, d)) / d
    mu = torch.linalg.svdvals(F.normalize(z, dim=1)).sum() / d
    return torch.exp((upper - mu) / (upper - lower))


out = []
for d in [int(x) for x in a.dims.split(",")]:
    b = a.batch
    samples = {"vicreg variance + covariance": [], "svmax bounded": []}
    for r in range(a.warmup + a.rounds):
        for name, f in (("vicreg variance + covariance", vicreg), ("svmax bounded", svmax)):
            z1 = torch.randn(b, d, requires_grad=True)
            z2 = torch.randn(b, d, requires_grad=True)
            t0 = time.perf_counter()
            loss = f(z1) + f(z2)
            loss.backward()
            z1.grad[0, 0].item()
            t1 = time.perf_counter()
            if r >= a.warmup:
                samples[name].append((t1 - t0) * 1e3)
    out.append({"batch": b, "dim": d, "threads": torch.get_num_threads(),
                **{k: statistics.median(v) for k, v in samples.items()}})
    print(json.dumps(out[-1]), flush=True)

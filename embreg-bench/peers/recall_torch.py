"""PyTorch 1.13 peer for `embreg bench recall`: exact Recall@1,2,4,8 by a blocked matrix product
plus top-k (the query excluded), median milliseconds.
Run: /usr/bin/python3 recall_torch.py --n 60000 --dim 128 [--block 1024] [--json]
Fastest here (docs/benchmarks.md): MALLOC_MMAP_THRESHOLD_=4000000000 MALLOC_TRIM_THRESHOLD_=8000000000
OPENBLAS_NUM_THREADS=2 ... --threads 2 --block 256 (glibc then reuses the score blocks' memory instead of
faulting it in again for every block)."""
import argparse, json, statistics, time
import torch
from blobs import blobs

p = argparse.ArgumentParser()
p.add_argument("--n", type=int, default=60000)
p.add_argument("--dim", type=int, default=128)
p.add_argument("--classes", type=int, default=100)
p.add_argument("--block", type=int, default=1024)
p.add_argument("--repeats", type=int, default=3)
p.add_argument("--warmup", type=int, default=1)
p.add_argument("--threads", type=int, default=0)
p.add_argument("--json", action="store_true")
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
x, y = blobs(a.n, a.dim, a.classes)
x = torch.from_numpy(x)
y = torch.from_numpy(y)
half_sq = (x * x).sum(1) / 2
ks = [1, 2, 4, 8]


def recall():
    hits = torch.zeros(len(ks))
    for s in range(0, a.n, a.block):
        e = min(a.n, s + a.block)
        score = x[s:e] @ x.T - half_sq
        score[torch.arange(e - s), torch.arange(s, e)] = -float("inf")
        idx = score.topk(max(ks), dim=1).indices
        same = y[idx] == y[s:e, None]
        for i, k in enumerate(ks):
            hits[i] += same[:, :k].any(1).sum()
    return (hits / a.n).tolist()


samples = []
for i in range(a.warmup + a.repeats):
    t0 = time.perf_counter()
    r = recall()
    if i >= a.warmup:
        samples.append((time.perf_counter() - t0) * 1e3)
med = statistics.median(samples)
if a.json:
    print(json.dumps({"benchmark": "recall-torch", "n": a.n, "dim": a.dim, "threads": torch.get_num_threads(), "medianMillis": med, "recallAt1": r[0]}))
else:
    print(f"torch {torch.__version__} recall n={a.n} d={a.dim} ({torch.get_num_threads()} threads): median {med:.1f} ms, R@1 {r[0]:.4f}")

"""PyTorch peer for `embreg bench loss`: forward + backward of a ranking loss on L2-normalized rows
of a random batch laid out as the paper's p classes x l samples (label of row i = i // l), written
the vectorized way a PyTorch user would (torch.cdist distances, boolean masks). Definitions match
embreg's: contrastive with the paper's balanced pairs (margin 1), triplet with semi-hard mining
(margin 0.2), N-pair, angular (N-pair form, alpha 45), lifted structured (margin 1).

Run: /usr/bin/python3 peers/loss_torch.py --loss contrastive [--batch B] [--dim 128] [--threads N] [--json]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

import ranking
from ranking import balanced_pairs

LAYOUT = {"contrastive": (36, 4), "triplet": (24, 6), "npair": (72, 2), "angular": (72, 2), "lifted": (36, 4)}

p = argparse.ArgumentParser()
p.add_argument("--loss", choices=sorted(LAYOUT), default="contrastive")
p.add_argument("--batch", type=int, default=0, help="0 = the paper's p x l")
p.add_argument("--dim", type=int, default=128)
p.add_argument("--warmup", type=int, default=5000)
p.add_argument("--repeats", type=int, default=5000)
p.add_argument("--threads", type=int, default=0, help="0 = torch's default")
p.add_argument("--json", action="store_true")
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
pc, l = LAYOUT[a.loss]
b = a.batch or pc * l
y = torch.arange(b) // l
same = y[:, None] == y[None, :]


POS, NEG = balanced_pairs(y)


def contrastive(x):
    return ranking.contrastive(x, POS, NEG)


def triplet(x, margin=0.2):
    d = torch.cdist(x, x)
    ap, an = d[:, :, None], d[:, None, :]
    eye = torch.eye(b, dtype=torch.bool)
    valid = (same & ~eye)[:, :, None] & (~same)[:, None, :]
    semi = valid & (an > ap) & (an < ap + margin)
    return F.relu(ap - an + margin)[semi].mean()


def npair(x):
    logits = x[POS[:, 0]] @ x[POS[:, 1]].T
    return F.cross_entropy(logits, torch.arange(len(POS)))


def angular(x, alpha=45.0):
    t2 = math.tan(math.radians(alpha)) ** 2
    xa, xp = x[POS[:, 0]], x[POS[:, 1]]
    f = 4 * t2 * (xa + xp) @ x.T - 2 * (1 + t2) * (xa * xp).sum(1, keepdim=True)
    f = f.masked_fill(same[POS[:, 0]], float("-inf"))
    return torch.logsumexp(torch.cat([torch.zeros(len(POS), 1), f], 1), 1).mean()


def lifted(x, margin=1.0):
    d = torch.cdist(x, x)
    e = (torch.exp(margin - d) * (~same)).sum(1, keepdim=True)
    j = torch.log(e + e.T) + d
    upper = same & torch.ones(b, b, dtype=torch.bool).triu(1)
    return F.relu(j[upper]).pow(2).sum() / (2 * upper.sum())


LOSS = {"contrastive": contrastive, "triplet": triplet, "npair": npair, "angular": angular, "lifted": lifted}[a.loss]
torch.manual_seed(1)
base = torch.randn(b, a.dim)
samples = []
for i in range(a.warmup + a.repeats):
    e = base.clone().requires_grad_(True)
    t0 = time.perf_counter()
    LOSS(F.normalize(e, dim=1)).backward()
    g = e.grad[0, 0].item()
    t1 = time.perf_counter()
    if i >= a.warmup:
        samples.append((t1 - t0) * 1e3)
med = statistics.median(samples)
if a.json:
    print(json.dumps({"benchmark": "loss", "peer": "torch " + torch.__version__, "threads": torch.get_num_threads(), "loss": a.loss,
                      "batch": b, "dim": a.dim, "medianMillis": med}))
else:
    print("torch %s, %d threads: %s forward+backward, %d x %d: median %.3f ms" % (torch.__version__, torch.get_num_threads(), a.loss, b, a.dim, med))

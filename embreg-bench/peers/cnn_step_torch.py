"""PyTorch peer for `embreg bench step`: one SGD (momentum 0.9) training step of the small
embedding CNN (conv 3x3 width -> ReLU -> max-pool 2 -> conv 3x3 2*width -> ReLU -> max-pool 2 ->
flatten -> linear d) on a random batch, with the loss mean(E^2) so that only the network is timed,
or the retrieval loop's objective: the contrastive loss on the paper's balanced pairs (labels i // 4,
36 x 4) plus W times the bounded SVMax loss, both on the L2-normalized embeddings. Prints the median
milliseconds of the whole step and of its phases (network forward, loss, backward, optimizer step).

Run: /usr/bin/python3 peers/cnn_step_torch.py --batch 144 --size 28 --width 32 --dim 128 [--loss contrastive]
     [--svmax-weight 1] [--threads N] [--json]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import ranking

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=144)
p.add_argument("--size", type=int, default=28)
p.add_argument("--width", type=int, default=32)
p.add_argument("--dim", type=int, default=128)
p.add_argument("--warmup", type=int, default=10)
p.add_argument("--repeats", type=int, default=50)
p.add_argument("--loss", choices=["mean-square", "contrastive"], default="mean-square")
p.add_argument("--svmax-weight", type=float, default=0.0, help="beside the contrastive loss")
p.add_argument("--threads", type=int, default=0, help="0 = torch's default")
p.add_argument("--json", action="store_true")
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
torch.manual_seed(1)
w, s = a.width, a.size
net = nn.Sequential(
    nn.Conv2d(1, w, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(w, 2 * w, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(2 * w * (s // 4) * (s // 4), a.dim))
opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9)
x = torch.rand(a.batch, 1, s, s)
POS, NEG = ranking.balanced_pairs(torch.arange(a.batch) // 4)


def objective(e):
    if a.loss == "mean-square":
        return e.pow(2).mean()
    u = F.normalize(e, dim=1)
    loss = ranking.contrastive(u, POS, NEG)
    return loss + a.svmax_weight * ranking.svmax_bounded(u) if a.svmax_weight > 0 else loss


phases = {"total": [], "forward": [], "loss": [], "backward": [], "step": []}
for i in range(a.warmup + a.repeats):
    t0 = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    e = net(x)
    t1 = time.perf_counter()
    loss = objective(e)
    t2 = time.perf_counter()
    loss.backward()
    t3 = time.perf_counter()
    opt.step()
    t4 = time.perf_counter()
    if i >= a.warmup:
        for k, v in (("total", t4 - t0), ("forward", t1 - t0), ("loss", t2 - t1), ("backward", t3 - t2), ("step", t4 - t3)):
            phases[k].append(v * 1e3)
med = {k: statistics.median(v) for k, v in phases.items()}
if a.json:
    print(json.dumps({"benchmark": "step", "peer": "torch " + torch.__version__, "threads": torch.get_num_threads(),
                      "batch": a.batch, "size": s, "width": w, "dim": a.dim, "loss": a.loss, "svmaxWeight": a.svmax_weight,
                      "medianMillis": med["total"], "forwardMillis": med["forward"], "lossMillis": med["loss"],
                      "backwardMillis": med["backward"], "stepMillis": med["step"]}))
else:
    print("torch %s, %d threads, %s: step median %.2f ms (forward %.2f, loss %.2f, backward %.2f, optimizer %.2f)" % (
        torch.__version__, torch.get_num_threads(), a.loss, med["total"], med["forward"], med["loss"], med["backward"], med["step"]))

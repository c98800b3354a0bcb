"""PyTorch peer for `embreg bench step`: one SGD (momentum 0.9) training step of the small
embedding CNN (conv 3x3 width -> ReLU -> max-pool 2 -> conv 3x3 2*width -> ReLU -> max-pool 2 ->
flatten -> linear d) on a random batch, with the loss mean(E^2) so that only the network is timed.
Prints the median milliseconds of the whole step and of its phases (forward + loss, backward,
optimizer step).

Run: /usr/bin/python3 peers/cnn_step_torch.py --batch 144 --size 28 --width 32 --dim 128 [--threads N] [--json]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=144)
p.add_argument("--size", type=int, default=28)
p.add_argument("--width", type=int, default=32)
p.add_argument("--dim", type=int, default=128)
p.add_argument("--warmup", type=int, default=10)
p.add_argument("--repeats", type=int, default=50)
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
phases = {"total": [], "forward": [], "backward": [], "step": []}
for i in range(a.warmup + a.repeats):
    t0 = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    loss = net(x).pow(2).mean()
    t1 = time.perf_counter()
    loss.backward()
    t2 = time.perf_counter()
    opt.step()
    t3 = time.perf_counter()
    if i >= a.warmup:
        for k, v in (("total", t3 - t0), ("forward", t1 - t0), ("backward", t2 - t1), ("step", t3 - t2)):
            phases[k].append(v * 1e3)
med = {k: statistics.median(v) for k, v in phases.items()}
if a.json:
    print(json.dumps({"benchmark": "step", "peer": "torch " + torch.__version__, "threads": torch.get_num_threads(),
                      "batch": a.batch, "size": s, "width": w, "dim": a.dim, "medianMillis": med["total"],
                      "forwardMillis": med["forward"], "backwardMillis": med["backward"], "stepMillis": med["step"]}))
else:
    print("torch %s, %d threads: step median %.2f ms (forward %.2f, backward %.2f, optimizer %.2f)" % (
        torch.__version__, torch.get_num_threads(), med["total"], med["forward"], med["backward"], med["step"]))

"""Definitions shared by the PyTorch peers (imported, not run): the paper's balanced pairs, the
contrastive loss and the bounded SVMax loss, written as a PyTorch user writes them first."""
import math

import torch
import torch.nn.functional as F


def balanced_pairs(y):
    """Rows (0, 1), (2, 3), ... of one label are the positive pairs; each pair's first row is paired
    with the second row of the next pair (cyclically) of another label: as many negatives."""
    pos = [(i, i + 1) for i in range(0, len(y) - 1, 2) if y[i] == y[i + 1]]
    neg = []
    for k, (anchor, _) in enumerate(pos):
        for step in range(1, len(pos)):
            other = pos[(k + step) % len(pos)]
            if y[other[1]] != y[anchor]:
                neg.append((anchor, other[1]))
                break
    return torch.tensor(pos), torch.tensor(neg)


def contrastive(x, pos, neg, margin=1.0):
    """Mean over the pairs of d^2 (positive) and relu(margin - d)^2 (negative), x L2-normalized."""
    d = torch.cdist(x, x)
    pull = d[pos[:, 0], pos[:, 1]].pow(2).sum()
    push = F.relu(margin - d[neg[:, 0], neg[:, 1]]).pow(2).sum()
    return (pull + push) / (len(pos) + len(neg))


def svmax_bounded(x):
    """exp((U - s_mu) / (U - L)) with s_mu = ||x||_* / d, for L2-normalized rows x (b x d)."""
    b, d = x.shape
    lower, upper = math.sqrt(b) / d, math.sqrt(b * min(b, d)) / d
    mu = torch.linalg.svdvals(x).sum() / d
    return torch.exp((upper - mu) / (upper - lower))

"""Golden values for RankingMetricsTest: precision@1, mean reciprocal rank and mean average precision as
pytorch-metric-learning's AccuracyCalculator defines them (embeddings are their own references: a query's own row is
left out, queries whose class has no other row are left out, k = the largest class's size), computed here by brute
force in float64 with numpy: every row ranked against all others by Euclidean distance, ties by the lower index.

Run: /usr/bin/python3 ranking_golden.py   (prints the data and the three values)
"""
import numpy as np


def data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(23, 3)).round(2)
    y = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 4, 4, 5, 6, 6, 6, 6])
    x[4] = x[1]  # duplicate rows within a class
    x[8] = x[15]  # and across classes
    x[22] = x[22] * 0 + 0.5
    return x.astype(np.float32).astype(np.float64), y  # the float32 rows the test holds


def ranking(x, y):
    n = len(y)
    d = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    counts = {c: int((y == c).sum()) for c in set(y.tolist())}
    depth = min(max(counts.values()), n - 1)
    p1, rr, ap, queries = [], [], [], 0
    for i in range(n):
        if counts[y[i]] < 2:
            continue
        others = [j for j in range(n) if j != i]
        order = sorted(others, key=lambda j: (d[i, j], j))[:depth]
        same = np.array([y[j] == y[i] for j in order], dtype=float)
        p1.append(same[0])
        first = np.flatnonzero(same)
        rr.append(0.0 if len(first) == 0 else 1.0 / (first[0] + 1))
        cum = np.cumsum(same)
        ap.append(0.0 if same.sum() == 0 else float((cum * same / np.arange(1, depth + 1)).sum() / same.sum()))
    return np.mean(p1), np.mean(rr), np.mean(ap), len(p1)


if __name__ == "__main__":
    x, y = data()
    print("x =", x.astype(np.float32).tolist())
    print("y =", y.tolist())
    print("precisionAt1, meanReciprocalRank, meanAveragePrecision, queries =", [repr(float(v)) for v in ranking(x, y)[:3]], ranking(x, y)[3])

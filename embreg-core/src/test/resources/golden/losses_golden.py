"""Independent golden values for embreg's loss tests (numpy, float64, numpy's own SVD).

Run: /usr/bin/python3 losses_golden.py
The input is E[i, j] = sin(0.7 i + 1.3 j + 0.1) + 0.05 (i mod 3), with a second view
Z'[i, j] = cos(0.5 i - 0.9 j) ; both 12 x 6, plus the 4 x 9 matrix W[i, j] = sin(1.1 i + 0.3 j) (b < d).
"""
import numpy as np

def mat(b, d, f):
    return np.array([[f(i, j) for j in range(d)] for i in range(b)], dtype=np.float64)

E = mat(12, 6, lambda i, j: np.sin(0.7 * i + 1.3 * j + 0.1) + 0.05 * (i % 3))
Z2 = mat(12, 6, lambda i, j: np.cos(0.5 * i - 0.9 * j))
W = mat(4, 9, lambda i, j: np.sin(1.1 * i + 0.3 * j))

def normalize(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)

def svmax_bounded(x, lam=1.0):
    x = normalize(x)
    b, d = x.shape
    mu = np.linalg.svd(x, compute_uv=False).sum() / d
    lo, up = np.sqrt(b) / d, np.sqrt(b * min(b, d)) / d
    return lam * np.exp((up - mu) / (up - lo)), mu

def variance(z, gamma=1.0, eps=1e-4):
    std = np.sqrt(z.var(axis=0, ddof=1) + eps)
    return np.mean(np.maximum(0, gamma - std))

def covariance(z):
    b, d = z.shape
    zc = z - z.mean(axis=0)
    c = zc.T @ zc / (b - 1)
    off = c - np.diag(np.diag(c))
    return (off ** 2).sum() / d

def invariance(z, zp):
    return np.mean((z - zp) ** 2)

for name, x in [("E", E), ("W", W)]:
    loss, mu = svmax_bounded(x)
    print(f"svmaxBounded[{name}] = {loss!r}  meanSingularValue = {mu!r}")
    print(f"svmaxVanilla[{name}] = {-np.linalg.svd(x, compute_uv=False).sum() / x.shape[1]!r}")
print(f"variance[E] = {variance(E)!r}")
print(f"variance[0.01 E] = {variance(0.01 * E)!r}")
print(f"covariance[E] = {covariance(E)!r}")
print(f"invariance[E, Z2] = {invariance(E, Z2)!r}")
print(f"vicregTotal[E, Z2] = {25 * invariance(E, Z2) + 25 * (variance(E) + variance(Z2)) / 2 + covariance(E) + covariance(Z2)!r}")

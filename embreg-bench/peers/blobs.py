"""The synthetic embeddings of `embreg bench recall|nmi`: Gaussian class centres plus noise of
standard deviation 0.8, rows L2-normalized (numpy's generator, so not the same numbers)."""
import numpy as np


def blobs(n, d, classes, seed=1):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, d))
    y = rng.integers(0, classes, n)
    x = centres[y] + 0.8 * rng.normal(size=(n, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), y

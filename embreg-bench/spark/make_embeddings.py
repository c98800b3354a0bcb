"""Seeded synthetic embeddings for the Spark benchmarks, written as .npy without holding them whole.

Usage: /usr/bin/python3 make_embeddings.py ROWS DIM OUT.npy [LABELS.npy CLASS_SIZE] [--seed S]
Rows are class centres (N(0, 1), one per CLASS_SIZE consecutive rows, or 1,000 centres without labels)
plus N(0, 1) noise, float32; labels int32, row i in class i // CLASS_SIZE.
"""
import sys
import numpy as np

args = [a for a in sys.argv[1:] if not a.startswith("--")]
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
if "--seed" in sys.argv:
    args = [a for a in args if a != sys.argv[sys.argv.index("--seed") + 1]]
rows, dim, out = int(args[0]), int(args[1]), args[2]
labels_out = args[3] if len(args) > 3 else None
class_size = int(args[4]) if len(args) > 4 else rows // 1000
rng = np.random.default_rng(seed)
classes = (rows + class_size - 1) // class_size
centres = rng.standard_normal((classes, dim), dtype=np.float32)
x = np.lib.format.open_memmap(out, mode="w+", dtype=np.float32, shape=(rows, dim))
chunk = 1 << 18
for start in range(0, rows, chunk):
    end = min(rows, start + chunk)
    y = np.arange(start, end) // class_size
    x[start:end] = centres[y] + rng.standard_normal((end - start, dim), dtype=np.float32)
x.flush()
if labels_out:
    np.save(labels_out, (np.arange(rows) // class_size).astype(np.int32))

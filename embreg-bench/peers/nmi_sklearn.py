"""scikit-learn peer for `embreg bench nmi`: KMeans (k-means++, n_init restarts, Lloyd) plus
normalized_mutual_info_score, median milliseconds.
Run: /usr/bin/python3 nmi_sklearn.py --n 60000 --dim 128 --clusters 100 [--restarts 3] [--json]"""
import argparse, json, statistics, time
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score
from blobs import blobs

p = argparse.ArgumentParser()
p.add_argument("--n", type=int, default=60000)
p.add_argument("--dim", type=int, default=128)
p.add_argument("--clusters", type=int, default=100)
p.add_argument("--restarts", type=int, default=3)
p.add_argument("--repeats", type=int, default=3)
p.add_argument("--warmup", type=int, default=1)
p.add_argument("--json", action="store_true")
a = p.parse_args()
x, y = blobs(a.n, a.dim, a.clusters)
samples = []
for i in range(a.warmup + a.repeats):
    t0 = time.perf_counter()
    labels = KMeans(n_clusters=a.clusters, n_init=a.restarts, init="k-means++", max_iter=300, tol=1e-4, algorithm="lloyd", random_state=i).fit_predict(x)
    nmi = normalized_mutual_info_score(y, labels)
    if i >= a.warmup:
        samples.append((time.perf_counter() - t0) * 1e3)
med = statistics.median(samples)
if a.json:
    print(json.dumps({"benchmark": "nmi-sklearn", "n": a.n, "dim": a.dim, "clusters": a.clusters, "restarts": a.restarts, "medianMillis": med, "nmi": nmi}))
else:
    print(f"scikit-learn {sklearn.__version__} k-means+NMI n={a.n} d={a.dim} k={a.clusters} n_init={a.restarts}: median {med:.1f} ms, NMI {nmi:.4f}")

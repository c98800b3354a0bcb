"""Independent golden values for Nmi.ami / Nmi.amiFromContingency (MetricsTest).

scikit-learn's adjusted_mutual_info_score (average_method='arithmetic').
Run: /usr/bin/python3 ami_golden.py
"""
from sklearn.metrics import adjusted_mutual_info_score as ami

cases = [
    ([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]),
    ([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1]),
    ([0, 1, 2, 0, 1, 2, 0, 1], [1, 1, 0, 0, 2, 2, 0, 1]),
    ([3, 3, 5], [0, 0, 1]),
    ([0, 0, 0, 0], [1, 1, 1, 1]),
]
for t, p in cases:
    print(repr(ami(t, p)))
# 3000 items, 7 classes; the cluster is the class for i % 5 < 3, else (i * i) % 4
n = 3000
t = [i % 7 for i in range(n)]
p = [i % 7 if i % 5 < 3 else (i * i) % 4 for i in range(n)]
print(repr(ami(t, p)))
# 200000 items, 10 classes x 10 clusters: the cluster is the class except for i % 7 == 0, there (i // 10) % 10
n = 200000
t = [i % 10 for i in range(n)]
p = [(i // 10) % 10 if i % 7 == 0 else i % 10 for i in range(n)]
print(repr(ami(t, p)))

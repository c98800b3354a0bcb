#!/usr/bin/env bash
# Side-by-side: `embreg bench svmax` against PyTorch 1.13's torch.linalg.svdvals peer, alternated
# ROUNDS times in one run on the same machine; prints each median and the ratio of the medians.
# Usage: embreg-bench/peers/compare_svmax.sh [BATCH] [DIM] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
b=${1:-144}; d=${2:-128}; rounds=${3:-5}
ours=(); peer=()
for ((i = 0; i < rounds; i++)); do
  ours+=("$(./embreg bench svmax --batch "$b" --dim "$d" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["medianMillis"])')")
  peer+=("$(/usr/bin/python3 embreg-bench/peers/svmax_torch.py --batch "$b" --dim "$d" --warmup 200 --repeats 1000 --threads "${PEER_THREADS:-0}" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["medianMillis"])')")
done
python3 - "$b" "$d" "${ours[*]}" "${peer[*]}" <<'PY'
import statistics, sys
b, d, ours, peer = sys.argv[1], sys.argv[2], [float(x) for x in sys.argv[3].split()], [float(x) for x in sys.argv[4].split()]
mo, mp = statistics.median(ours), statistics.median(peer)
print(f"svmax forward+backward {b} x {d}: embreg median of medians {mo:.3f} ms {ours}")
print(f"                         torch 1.13  median of medians {mp:.3f} ms {peer}")
print(f"ratio embreg / torch: {mo / mp:.2f}")
PY

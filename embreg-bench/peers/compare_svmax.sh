#!/usr/bin/env bash
# `embreg bench svmax` against PyTorch 1.13's torch.linalg.svdvals peer at its best (OpenBLAS on one
# thread, torch on one and on two threads; the faster in each round), alternated ROUNDS times, the same
# warm-up and repetitions on both sides.
# Usage: embreg-bench/peers/compare_svmax.sh [BATCH] [DIM] [ROUNDS] [WARMUP] [REPEATS]
#   (PEER_THREADS=n tries only that torch thread count)
set -euo pipefail
b=${1:-144}; d=${2:-128}; rounds=${3:-3}; warmup=${4:-1000}; repeats=${5:-2000}
peers=()
for t in ${PEER_THREADS:-1 2}; do
  peers+=("OPENBLAS_NUM_THREADS=1 /usr/bin/python3 embreg-bench/peers/svmax_torch.py --batch $b --dim $d --warmup $warmup --repeats $repeats --threads $t --json")
done
exec "$(dirname "$0")/compare.sh" "svmax forward+backward $b x $d" "$rounds" \
  "./embreg bench svmax --batch $b --dim $d --warmup $warmup --repeats $repeats --json" "${peers[@]}"

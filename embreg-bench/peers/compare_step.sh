#!/usr/bin/env bash
# `embreg bench step` (small CNN training step) against the PyTorch 1.13 peer at its best (OpenBLAS on
# one thread, torch on one and on two threads; the faster in each round), alternated ROUNDS times.
# Usage: embreg-bench/peers/compare_step.sh [BATCH] [WIDTH] [ROUNDS]   (PEER_THREADS=n tries only that count)
set -euo pipefail
b=${1:-144}; w=${2:-32}; rounds=${3:-5}
peers=()
for t in ${PEER_THREADS:-1 2}; do
  peers+=("OPENBLAS_NUM_THREADS=1 /usr/bin/python3 embreg-bench/peers/cnn_step_torch.py --batch $b --width $w --repeats 40 --threads $t --json")
done
exec "$(dirname "$0")/compare.sh" "small CNN step, batch $b, width $w" "$rounds" \
  "./embreg bench step --batch $b --width $w --repeats 40 --json" "${peers[@]}"

#!/usr/bin/env bash
# `embreg bench step` (small CNN training step) against the PyTorch 1.13 peer, alternated ROUNDS times.
# Usage: embreg-bench/peers/compare_step.sh [BATCH] [WIDTH] [ROUNDS]   (PEER_THREADS=n for the peer)
set -euo pipefail
b=${1:-144}; w=${2:-32}; rounds=${3:-5}
exec "$(dirname "$0")/compare.sh" "small CNN step, batch $b, width $w" "$rounds" \
  "./embreg bench step --batch $b --width $w --repeats 40 --json" \
  "/usr/bin/python3 embreg-bench/peers/cnn_step_torch.py --batch $b --width $w --repeats 40 --threads ${PEER_THREADS:-0} --json"

#!/usr/bin/env bash
# `embreg bench svmax` against PyTorch 1.13's torch.linalg.svdvals peer, alternated ROUNDS times.
# Usage: embreg-bench/peers/compare_svmax.sh [BATCH] [DIM] [ROUNDS]   (PEER_THREADS=n for the peer)
set -euo pipefail
b=${1:-144}; d=${2:-128}; rounds=${3:-5}
exec "$(dirname "$0")/compare.sh" "svmax forward+backward $b x $d" "$rounds" \
  "./embreg bench svmax --batch $b --dim $d --json" \
  "/usr/bin/python3 embreg-bench/peers/svmax_torch.py --batch $b --dim $d --warmup 200 --repeats 1000 --threads ${PEER_THREADS:-0} --json"

#!/usr/bin/env bash
# Side-by-side in one run on one machine: runs OURS and each PEER command (each prints one JSON object
# with "medianMillis") alternately ROUNDS times. A round's peer figure is the fastest of the PEER
# commands in that round (the peer at its best: give one command per setting worth trying, such as
# its thread counts). Prints every median, each round's ratio, and the median of the ratios.
# Usage: embreg-bench/peers/compare.sh NAME ROUNDS 'OURS COMMAND' 'PEER COMMAND' ['PEER COMMAND' ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
if (($# < 4)); then
  echo "usage: $0 NAME ROUNDS 'OURS COMMAND' 'PEER COMMAND' ['PEER COMMAND' ...]" >&2
  exit 2
fi
name=$1; rounds=$2; ours_cmd=$3; shift 3
peer_cmds=("$@")
median() { python3 -c 'import json,sys; s = sys.stdin.read(); print(json.loads(s[s.index("{"):])["medianMillis"])'; }
rows=()
for ((i = 0; i < rounds; i++)); do
  row="$(bash -c "$ours_cmd" | median)"
  for cmd in "${peer_cmds[@]}"; do
    row+=" $(bash -c "$cmd" | median)"
  done
  rows+=("$row")
done
python3 - "$name" "${#peer_cmds[@]}" "${rows[@]}" <<'PY'
import statistics, sys
name, peers, rows = sys.argv[1], int(sys.argv[2]), [[float(x) for x in r.split()] for r in sys.argv[3:]]
print(f"{name} (ms; the peer's best of {peers} setting{'s' if peers > 1 else ''} in each round)")
ratios = []
for i, r in enumerate(rows, 1):
    best = min(r[1:])
    ratios.append(r[0] / best)
    print(f"round {i}: embreg {r[0]:.3f}  peer {' / '.join(f'{x:.3f}' for x in r[1:])}  ratio {ratios[-1]:.3f}")
print(f"ratio embreg / peer: median {statistics.median(ratios):.3f} of {len(ratios)} rounds, from {min(ratios):.3f} to {max(ratios):.3f}")
PY

#!/usr/bin/env bash
# Side-by-side in one run on one machine: runs OURS and PEER (commands that each print one JSON
# object with "medianMillis") alternately ROUNDS times; prints every median, the median of each
# side's medians and their ratio.
# Usage: embreg-bench/peers/compare.sh NAME ROUNDS 'OURS COMMAND' 'PEER COMMAND'
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$1; rounds=$2; ours_cmd=$3; peer_cmd=$4
median() { python3 -c 'import json,sys; s = sys.stdin.read(); print(json.loads(s[s.index("{"):])["medianMillis"])'; }
ours=(); peer=()
for ((i = 0; i < rounds; i++)); do
  ours+=("$(bash -c "$ours_cmd" | median)")
  peer+=("$(bash -c "$peer_cmd" | median)")
done
python3 - "$name" "${ours[*]}" "${peer[*]}" <<'PY'
import statistics, sys
name, ours, peer = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
mo, mp = statistics.median(ours), statistics.median(peer)
print(f"{name}: embreg median of medians {mo:.3f} ms {ours}")
print(f"{' ' * len(name)}  peer   median of medians {mp:.3f} ms {peer}")
print(f"ratio embreg / peer: {mo / mp:.2f}")
PY

#!/usr/bin/env bash
# bench/run lasso: our batched (group) Lasso vs scikit-learn's Lasso / MultiTaskLasso, both to a relative gap of 1e-8.
#  (a) 8 tasks × n=50, m ∈ {6, 32, 256}, k ∈ {1, 5}: wall time of a whole batch, call overhead included
#      (ours: λ_max + validation + SolveMany; sklearn: one .fit per task);
#  (b) n=1000, m=5000, 50-sparse ground truth: one solve, compute only (data already in memory on both sides).
# Ours and the peer alternate three times; medians are taken by summarize.py, which prints the last line.
source "$(dirname "$0")/../common.sh"
here="$repo/bench/lasso"
data="$repo/bench/out/lasso"
mkdir -p "$data"
"$peer_python" "$here/peer.py" generate "$data"
: > "$data/ours.txt"; : > "$data/peer.txt"
for rep in 1 2 3; do
  ours lasso "$data" | tee -a "$data/ours.txt"
  "$peer_python" "$here/peer.py" run "$data" | tee -a "$data/peer.txt"
done
"$peer_python" "$here/summarize.py" "$data/ours.txt" "$data/peer.txt"

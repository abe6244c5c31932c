#!/usr/bin/env bash
# MCC + R + DCI on n=10,000 samples, d=6 factors, m ∈ {6, 64} codes: ours (C#) against NumPy/SciPy/scikit-learn,
# alternated ROUNDS times in one run; each process reports its median over REPEATS calls, and we take medians of those.
# Last line: ratio_vs_scipy = ours/theirs summed over both m (< 1: we are faster), then the per-m figures in ms.
source "$(dirname "$0")/../common.sh"
here="$(cd "$(dirname "$0")" && pwd)"
n=${N:-10000}; d=${D:-6}; rounds=${ROUNDS:-5}; repeats=${REPEATS:-7}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
field() { grep -o "$1=[0-9.]*" | head -1 | cut -d= -f2; }

summary=""
total_ours=0; total_theirs=0
for m in 6 64; do
  ours_runs=(); separate_runs=(); theirs_runs=()
  for round in $(seq "$rounds"); do
    out=$(ours metrics "$n" "$d" "$m" "$repeats"); echo "$out" >&2
    ours_runs+=("$(echo "$out" | field ours_ms)"); separate_runs+=("$(echo "$out" | field ours_separate_ms)")
    out=$("$peer_python" "$here/peer.py" "$n" "$d" "$m" "$repeats"); echo "$out" >&2
    theirs_runs+=("$(echo "$out" | field theirs_ms)")
  done
  o=$(printf '%s\n' "${ours_runs[@]}" | median); s=$(printf '%s\n' "${separate_runs[@]}" | median)
  t=$(printf '%s\n' "${theirs_runs[@]}" | median)
  total_ours=$(awk -v a="$total_ours" -v b="$o" 'BEGIN {print a + b}')
  total_theirs=$(awk -v a="$total_theirs" -v b="$t" 'BEGIN {print a + b}')
  summary+=" ours_m${m}_ms=$o ours_separate_m${m}_ms=$s scipy_m${m}_ms=$t ratio_m${m}=$(awk -v a="$o" -v b="$t" 'BEGIN {printf "%.3f", a / b}')"
done
echo "ratio_vs_scipy=$(awk -v a="$total_ours" -v b="$total_theirs" 'BEGIN {printf "%.3f", a / b}')$summary"

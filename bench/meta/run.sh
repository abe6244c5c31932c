#!/usr/bin/env bash
# One meta-training step (5-way 5-shot, 15 queries, meta-batch 8, Conv4 width 32 on 32×32, SVM head λ₂ = 10, λ₁ = 0):
# ours (dual block CD to a 1e-4 gap + implicit differentiation) vs PyTorch with the head solved by a generic batched
# FISTA projected-gradient dual solver unrolled through autograd (torch_step.py), both on THREADS threads, alternated
# ROUNDS times; medians. Last line: ratio_vs_qp (our episodes/s ÷ PyTorch's) and episodes_per_s (ours).
source "$(dirname "$0")/../common.sh"
rounds=${ROUNDS:-5}; steps=${STEPS:-3}; threads=${THREADS:-2}; iterations=${ITERATIONS:-100}
if ! "$peer_python" -c "import torch" 2>/dev/null; then
  echo "meta: python3-torch is not installed (apt-get install python3-torch); cannot compare" >&2
  exit 1
fi
OMP_NUM_THREADS=$threads peer_build
ours_all=(); torch_all=(); ratios=()
for r in $(seq "$rounds"); do
  line=$(ours meta --steps "$steps" --threads "$threads" | tail -1)
  o=$(sed -n 's/.*ours_episodes_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
  peer=$(OMP_NUM_THREADS=$threads "$peer_python" "$(dirname "$0")/torch_step.py" "$threads" "$steps" "$iterations" | tail -1)
  t=$(sed -n 's/.*torch_episodes_per_s=\([0-9.]*\).*/\1/p' <<<"$peer")
  echo "round $r: $line $peer" >&2
  ours_all+=("$o"); torch_all+=("$t"); ratios+=("$(awk -v a="$o" -v b="$t" 'BEGIN{printf "%.3f", a/b}')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
echo "torch_episodes_per_s=$(median "${torch_all[@]}") torch_iterations=$iterations threads=$threads"
echo "ratio_vs_qp=$(median "${ratios[@]}") episodes_per_s=$(median "${ours_all[@]}")"

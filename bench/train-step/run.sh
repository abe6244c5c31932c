#!/usr/bin/env bash
# One bilevel training step (reference configuration, 8 tasks × 50 images, inner Lasso, implicit differentiation, Adam):
# ours vs the PyTorch implementation in torch_step.py, both on 2 threads, alternated ROUNDS times; medians.
# Last line: ratio_vs_torch (ours/torch step time), hours_20k (the reference's 20,000 steps at our full-loop rate), …
source "$(dirname "$0")/../common.sh"
bash "$repo/scripts/setup-deps.sh" --with-torch >&2
rounds=${ROUNDS:-5}; steps=${STEPS:-5}; threads=${THREADS:-2}
if ! "$peer_python" -c "import torch" 2>/dev/null; then
  echo "train-step: python3-torch is not installed (apt-get install python3-torch); cannot compare" >&2
  exit 1
fi
OMP_NUM_THREADS=$threads peer_build
ours_all=(); torch_all=(); loop_all=(); ratios=()
for r in $(seq "$rounds"); do
  line=$(ours train-step --steps "$steps" --threads "$threads" | tail -1)
  o=$(sed -n 's/.*ours_step_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  l=$(sed -n 's/.*loop_steps_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
  t=$(OMP_NUM_THREADS=$threads "$peer_python" "$(dirname "$0")/torch_step.py" "$threads" "$steps" | sed -n 's/torch_step_ms=\([0-9.]*\)/\1/p')
  echo "round $r: $line torch_step_ms=$t" >&2
  ours_all+=("$o"); torch_all+=("$t"); loop_all+=("$l"); ratios+=("$(awk -v a="$o" -v b="$t" 'BEGIN{printf "%.3f", a/b}')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
ours_ms=$(median "${ours_all[@]}"); torch_ms=$(median "${torch_all[@]}"); loop=$(median "${loop_all[@]}")
hours=$(awk -v r="$loop" 'BEGIN{printf "%.2f", 20000 / r / 3600}')
torch_hours=$(awk -v t="$torch_ms" 'BEGIN{printf "%.2f", 20000 * t / 1000 / 3600}')
echo "ours_step_ms=$ours_ms torch_step_ms=$torch_ms loop_steps_per_s=$loop torch_hours_20k=$torch_hours"
echo "ratio_vs_torch=$(median "${ratios[@]}") hours_20k=$hours"

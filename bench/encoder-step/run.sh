#!/usr/bin/env bash
# One ConvEncoder training step (400×3×64×64, z=6, MSE, Adam) — ours vs PyTorch, both on 2 threads.
# Alternates the two ROUNDS times (each run: 2 warm-up + STEPS timed steps, median); prints the median ratio last.
source "$(dirname "$0")/../common.sh"
bash "$repo/scripts/setup-deps.sh" --with-torch >&2
rounds=${ROUNDS:-5}; steps=${STEPS:-5}; threads=${THREADS:-2}
if ! "$peer_python" -c "import torch" 2>/dev/null; then
  echo "encoder-step: python3-torch is not installed (apt-get install python3-torch); cannot compare" >&2
  exit 1
fi
OMP_NUM_THREADS=$threads peer_build
ratios=(); ours_all=(); torch_all=(); dnnl_ratios=(); last=""
for r in $(seq "$rounds"); do
  last=$(ours encoder-step --steps "$steps" --threads "$threads" | tail -1)
  o=$(sed -n 's/.*ours_ms=\([0-9.]*\).*/\1/p' <<<"$last")
  t=$(OMP_NUM_THREADS=$threads "$peer_python" "$(dirname "$0")/torch_step.py" "$steps" "$threads" | sed -n 's/torch_ms=\([0-9.]*\)/\1/p')
  echo "round $r: $last torch_ms=$t" >&2
  i=$(sed -n 's/.*im2col_ms=\([0-9.]*\).*/\1/p' <<<"$last")
  ours_all+=("$o"); torch_all+=("$t"); ratios+=("$(awk -v a="$o" -v b="$t" 'BEGIN{printf "%.3f", a/b}')")
  [ -n "$i" ] && dnnl_ratios+=("$(awk -v a="$o" -v b="$i" 'BEGIN{printf "%.3f", a/b}')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
ours_ms=$(median "${ours_all[@]}"); torch_ms=$(median "${torch_all[@]}")
gflops=$(sed -n 's/.* gflops=\([0-9.]*\).*/\1/p' <<<"$last"); peak=$(sed -n 's/.*peak_mb=\([0-9]*\).*/\1/p' <<<"$last")
# gflops/peak_mb: from the last round (the FLOP count is fixed, so gflops tracks ours_ms)
gflops=$(awk -v g="$gflops" -v l="$(sed -n 's/.*ours_ms=\([0-9.]*\).*/\1/p' <<<"$last")" -v m="$ours_ms" 'BEGIN{printf "%.1f", g*l/m}')
sgemm=$(sed -n 's/.*sgemm_peak_gflops=\([0-9.]*\).*/\1/p' <<<"$last")
faults=$(sed -n 's/.*faults_per_step=\([0-9.]*\).*/\1/p' <<<"$last"); sys=$(sed -n 's/.*sys_fraction=\([0-9.]*\).*/\1/p' <<<"$last")
onednn=$([ ${#dnnl_ratios[@]} -gt 0 ] && median "${dnnl_ratios[@]}" || echo nan)
echo "ours_ms=$ours_ms torch_ms=$torch_ms faults_per_step=$faults sys_fraction=$sys"
echo "ratio_vs_torch=$(median "${ratios[@]}") gflops=$gflops sgemm_peak_gflops=$sgemm fraction_of_peak=$(awk -v g="$gflops" -v p="$sgemm" 'BEGIN{printf "%.2f", g/p}') peak_mb=$peak ratio_onednn_vs_im2col=$onednn"

#!/usr/bin/env bash
# The docs/meta-learning.md sweep: per benchmark, shots and λ₁/λ₁max, a small Conv4 meta-training then meta-testing.
# Usage: bash bench/meta/sweep.sh OUT_FOLDER [TEST_EPISODES]   (writes OUT/<dataset>-<K>shot-r<ratio>/ and OUT/summary.csv)
# Resumable: a run whose test JSON exists is skipped; an unfinished one is trained again from scratch.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?output folder}"; episodes="${2:-1000}"
cli="${META_CLI:-$repo/src/Disentangle.Cli/bin/Release/net10.0/linux-x64/Disentangle.Cli}"
mkdir -p "$out"
[ -f "$out/summary.csv" ] || echo "dataset,shots,lambda_ratio,train_seconds,test_seconds,test_json" > "$out/summary.csv"
for dataset in shapes fashion-mnist; do
  for shots in 1 5; do
    for ratio in 0 0.01 0.1 0.3; do
      run="$out/$dataset-${shots}shot-r$ratio"
      if ls "$run"/test-*.json >/dev/null 2>&1; then continue; fi
      rm -rf "$run"
      t0=$(date +%s.%N)
      "$cli" meta-train --dataset "$dataset" --shots "$shots" --lambda-ratio "$ratio" --width 32 --image-size 32 \
        --meta-batch 8 --episodes-per-epoch 40 --epochs 5 --queries 15 --seed 1 --out "$run" > "$run.train.txt" 2>&1
      t1=$(date +%s.%N)
      "$cli" meta-test "$run" --episodes "$episodes" > "$run.test.txt" 2>&1
      t2=$(date +%s.%N)
      echo "$dataset,$shots,$ratio,$(echo "$t1 - $t0" | bc),$(echo "$t2 - $t1" | bc),$(ls "$run"/test-*.json)" >> "$out/summary.csv"
      tail -1 "$run.test.txt"
    done
  done
done

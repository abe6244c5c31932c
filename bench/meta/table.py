"""Markdown table of a sweep.sh output folder: python3 table.py OUT_FOLDER."""
import csv, json, sys

rows = list(csv.DictReader(open(f"{sys.argv[1]}/summary.csv")))
print("| benchmark | K | λ₁/λ₁max | test accuracy (%) ± 95% CI | features used per task (%) | train s | test s |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    t = json.load(open(r["test_json"]))
    print(f"| {t['dataset']} | {t['shots']} | {t['lambdaRatio']} | {100 * t['meanAccuracy']:.2f} ± {100 * t['confidenceInterval95']:.2f} "
          f"| {100 * t['meanFeatureFraction']:.1f} | {float(r['train_seconds']):.0f} | {float(r['test_seconds']):.0f} |")

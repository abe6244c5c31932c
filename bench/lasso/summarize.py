"""Medians over the alternated runs of bench/run lasso; prints the per-problem table and, last, the key=value line."""
import math
import statistics
import sys
from collections import defaultdict


def parse(path):
    rows = defaultdict(lambda: defaultdict(list))
    for line in open(path):
        parts = line.split()
        if not parts or parts[0] not in ("small", "large"):
            continue
        fields = dict(p.split("=", 1) for p in parts[1:])
        key = (parts[0], fields.pop("m", ""), fields.pop("k", ""))
        for name, value in fields.items():
            try:
                rows[key][name].append(float(value))
            except ValueError:
                rows[key][name].append(value)
    return rows


ours, peer = parse(sys.argv[1]), parse(sys.argv[2])
med = lambda values: statistics.median(values) if isinstance(values[0], float) else values[-1]
speedups, vjp_total, solve_total = [], 0.0, 0.0
for key in sorted(k for k in ours if k[0] == "small"):
    o, p = ours[key], peer[key]
    speedup = med(p["sklearn_batch_us"]) / med(o["ours_batch_us"])
    speedups.append(speedup)
    vjp_total += med(o["ours_vjp_us"])
    solve_total += med(o["ours_batch_us"])
    print(f"small m={key[1]:>3} k={key[2]}: ours {med(o['ours_batch_us']):9.1f} us/batch (vjp {med(o['ours_vjp_us']):8.1f}), "
          f"sklearn {med(p['sklearn_batch_us']):9.1f} us/batch, speedup {speedup:6.1f}x; worst rel gap ours "
          f"{max(o['ours_worst_rel_gap']):.1e} sklearn {max(p['sklearn_worst_rel_gap']):.1e}")
o, p = ours[("large", "", "")], peer[("large", "", "")]
ratio_large = med(o["ours_solve_ms"]) / med(p["sklearn_solve_ms"])
print(f"large n=1000 m=5000: ours {med(o['ours_solve_ms']):.1f} ms (vjp {med(o['ours_vjp_ms']):.1f} ms, support "
      f"{med(o['ours_support']):.0f}, rel gap {max(o['ours_rel_gap']):.1e}), sklearn {med(p['sklearn_solve_ms']):.1f} ms "
      f"(support {med(p['sklearn_support']):.0f}, rel gap {max(p['sklearn_rel_gap']):.1e}); ratio {ratio_large:.2f}")
geo = math.exp(sum(math.log(s) for s in speedups) / len(speedups))
print(f"speedup_small_vs_sklearn={geo:.1f} ratio_large_vs_sklearn={ratio_large:.2f} vjp_over_solve={vjp_total / solve_total:.2f} "
      f"speedup_small_min={min(speedups):.1f} vjp_over_solve_large={med(o['ours_vjp_ms']) / med(o['ours_solve_ms']):.2f}")

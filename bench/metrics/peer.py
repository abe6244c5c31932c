"""The peer of MetricsBenchmark: MCC + R + DCI with NumPy / SciPy / scikit-learn, as a careful Python user writes them.

usage: /usr/bin/python3 bench/metrics/peer.py [n] [d] [m] [repeats]; prints theirs_ms=… (median).
MCC: np.corrcoef + scipy.optimize.linear_sum_assignment; R and DCI share one sklearn LinearRegression fit on
StandardScaler-standardised data (R² per factor from r2_score); DCI entropies as in disentanglement_lib.
"""
import sys
import time

import numpy as np
import scipy.stats
from scipy.optimize import linear_sum_assignment
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler


def evaluate(z, zhat):
    d = z.shape[1]
    corr = np.corrcoef(z, zhat, rowvar=False)[:d, d:]
    rows, cols = linear_sum_assignment(-np.abs(corr))
    mcc = np.abs(corr[rows, cols]).mean()
    zs, zhs = StandardScaler().fit_transform(z), StandardScaler().fit_transform(zhat)
    reg = LinearRegression().fit(zhs, zs)
    r2 = r2_score(zs, reg.predict(zhs), multioutput="raw_values")
    r = np.sqrt(np.maximum(r2, 0)).mean()
    importance = np.abs(reg.coef_.T)                                     # [codes, factors]
    per_code = 1. - scipy.stats.entropy(importance.T + 1e-11, base=importance.shape[1])
    per_factor = 1. - scipy.stats.entropy(importance + 1e-11, base=importance.shape[0])
    total = importance.sum()
    dis = np.sum(per_code * importance.sum(axis=1) / total)
    com = np.sum(per_factor * importance.sum(axis=0) / total)
    return mcc, r, dis, com


def main():
    n, d, m, repeats = (int(a) for a in (sys.argv[1:] + ["10000", "6", "64", "7"][len(sys.argv) - 1:]))
    rng = np.random.default_rng(12345)
    z = rng.normal(size=(n, d))
    zhat = np.tanh(z @ (rng.normal(size=(d, m)) / np.sqrt(d))) + 0.1 * rng.normal(size=(n, m))
    evaluate(z, zhat)
    evaluate(z, zhat)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = evaluate(z, zhat)
        times.append(1e3 * (time.perf_counter() - start))
    print(f"# numpy {np.__version__}; n={n} d={d} m={m}; MCC={result[0]:.4f} R={result[1]:.4f} D={result[2]:.4f} C={result[3]:.4f}")
    print(f"theirs_ms={sorted(times)[repeats // 2]:.3f}")


if __name__ == "__main__":
    main()

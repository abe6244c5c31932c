"""scikit-learn side of `bench/run lasso`.

  peer.py generate DIR   writes the benchmark problems (float64 binaries read by LassoBenchmark.cs)
  peer.py run DIR        times sklearn's Lasso / MultiTaskLasso on them; prints key=value lines

Stopping rule: sklearn stops when its gap <= tol * ||Y||^2 / n; ours when gap <= Tolerance * ||Y||^2 / (2n).
Both are asked for gap <= 1e-8 * ||Y||^2 / (2n), i.e. sklearn tol = 0.5e-8, and the gap each solution reached is
recomputed here with one formula (dual point R / max(n*lambda, max_j psi*(X_j^T R)), as sklearn's dual_gap_).
"""
import os
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, MultiTaskLasso

TASKS, N_SMALL = 8, 50
SMALL = [(m, k) for m in (6, 32, 256) for k in (1, 5)]
LARGE = (1000, 5000, 1)
RATIO_SMALL, RATIO_LARGE = 0.3, 0.1
REL_GAP = 1e-8


def write(path, arrays, header):
    with open(path, "wb") as f:
        np.asarray(header, dtype=np.int32).tofile(f)
        for a in arrays:
            np.ascontiguousarray(a, dtype=np.float64).tofile(f)


def read(path):
    with open(path, "rb") as f:
        header = np.fromfile(f, dtype=np.int32, count=4)
        t, n, m, k = (int(v) for v in header)
        tasks = []
        for _ in range(t):
            x = np.fromfile(f, dtype=np.float64, count=n * m).reshape(n, m)
            y = np.fromfile(f, dtype=np.float64, count=n * k).reshape(n, k)
            tasks.append((x, y))
    return tasks


def sparse_problem(rng, n, m, k, active):
    x = rng.randn(n, m)
    w = np.zeros((m, k))
    idx = rng.choice(m, size=active, replace=False)
    w[idx] = rng.randn(active, k)
    y = x @ w
    noise = rng.randn(n, k)
    return x, y + 0.1 * np.linalg.norm(y) / np.linalg.norm(noise) * noise


def generate(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.RandomState(20240601)
    for m, k in SMALL:
        tasks = [sparse_problem(rng, N_SMALL, m, k, active=max(1, m // 4)) for _ in range(TASKS)]
        write(os.path.join(directory, f"small_m{m}_k{k}.bin"), [a for t in tasks for a in t], [TASKS, N_SMALL, m, k])
    n, m, k = LARGE
    x, y = sparse_problem(rng, n, m, k, active=50)
    write(os.path.join(directory, "large.bin"), [x, y], [1, n, m, k])


def lam(x, y, ratio):
    return ratio * np.linalg.norm(x.T @ y, axis=1).max() / x.shape[0]      # = max|X^T y|/n for k = 1


def gap(x, y, w, alpha):
    n = x.shape[0]
    r = y - x @ w
    s = max(n * alpha, np.linalg.norm(x.T @ r, axis=1).max())
    primal = (r ** 2).sum() / (2 * n) + alpha * np.linalg.norm(w, axis=1).sum()
    dual = alpha * (r * y).sum() / s - n * alpha ** 2 * (r ** 2).sum() / (2 * s * s)
    return (primal - dual) / ((y ** 2).sum() / (2 * n))


def fit(x, y, alpha, max_iter):
    if y.shape[1] == 1:
        model = Lasso(alpha=alpha, fit_intercept=False, tol=REL_GAP / 2, max_iter=max_iter).fit(x, y[:, 0])
        return model.coef_.reshape(-1, 1)
    return MultiTaskLasso(alpha=alpha, fit_intercept=False, tol=REL_GAP / 2, max_iter=max_iter).fit(x, y).coef_.T


def timed(f, min_seconds):
    times, start = [], time.perf_counter()
    while True:
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > min_seconds and len(times) >= 3:
            return statistics.median(times)


def run(directory):
    warnings.simplefilter("ignore", ConvergenceWarning)
    for m, k in SMALL:
        tasks = read(os.path.join(directory, f"small_m{m}_k{k}.bin"))
        alphas = [lam(x, y, RATIO_SMALL) for x, y in tasks]
        batch = lambda: [fit(x, y, a, 100_000) for (x, y), a in zip(tasks, alphas)]
        worst = max(gap(x, y, w, a) for (x, y), a, w in zip(tasks, alphas, batch()))
        print(f"small m={m} k={k} sklearn_batch_us={timed(batch, 0.4) * 1e6:.1f} sklearn_worst_rel_gap={worst:.2e}")
    (x, y), = read(os.path.join(directory, "large.bin"))
    alpha = lam(x, y, RATIO_LARGE)
    xf = np.asfortranarray(x)                    # sklearn's preferred layout: the copy is not part of its time
    times, w = [], None
    for _ in range(2):
        t0 = time.perf_counter()
        w = fit(xf, y, alpha, 100_000)
        times.append(time.perf_counter() - t0)
    print(f"large sklearn_solve_ms={min(times) * 1e3:.1f} sklearn_rel_gap={gap(x, y, w, alpha):.2e} "
          f"sklearn_support={int((w != 0).any(axis=1).sum())}")


if __name__ == "__main__":
    {"generate": generate, "run": run}[sys.argv[1]](sys.argv[2])

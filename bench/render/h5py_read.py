"""Peer for bench/render: h5py reads every image of FILE in batches of 400 consecutive rows; prints MB/s."""
import sys
import time

import h5py

with h5py.File(sys.argv[1], "r") as f:
    images = f["images"]
    n = images.shape[0]
    images[0:1]
    start = time.perf_counter()
    for s in range(0, n, 400):
        images[s:min(n, s + 400)]
    seconds = time.perf_counter() - start
print(f"h5py_mb_per_s={n * 64 * 64 * 3 / 1e6 / seconds:.0f}")

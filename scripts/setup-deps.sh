#!/usr/bin/env bash
# Installs the Debian packages Disentangle uses at run time and in tests, when missing and when we can:
#   libopenblas0-pthread  fast GEMM (the managed kernel is used without it)
#   libdnnl2              oneDNN 2.x convolutions (im2col + GEMM is used without it)
#   libhdf5-103-1         fast reading of the real 3dshapes.h5 (PureHDF is the fallback)
#   fonts-dejavu-core     text in plots
#   python3-numpy, -scipy, -sklearn, -h5py   peers for cross-checks and benchmarks
#   dataset-fashion-mnist  the real-image few-shot check
set -uo pipefail
want=(libopenblas0-pthread libdnnl2 libhdf5-103-1 fonts-dejavu-core python3-numpy python3-scipy python3-sklearn python3-h5py dataset-fashion-mnist)
# --with-torch (argument, or BENCH_DEPS=--with-torch in the environment): also the PyTorch peer of the benchmarks
{ [ "${1:-}" = "--with-torch" ] || [ "${BENCH_DEPS:-}" = "--with-torch" ]; } && want+=(python3-torch)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo -n"
if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
  echo "setup-deps: not root; skipping apt-get for: ${missing[*]} (Disentangle falls back to managed code)" >&2
  exit 0
fi
echo "setup-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || echo "setup-deps: apt-get failed for some of: ${missing[*]} (continuing with fallbacks)" >&2
exit 0

#!/usr/bin/env bash
# Installs, when missing and when we can, the Debian packages Disentangle uses:
#   (always, what the CLI needs at run time)
#     libopenblas0-pthread  fast GEMM (the managed kernel is used without it)
#     libhdf5-103-1         fast reading of the real 3dshapes.h5 (PureHDF is the fallback)
#     libdnnl2              oneDNN convolutions (the im2col + GEMM path is used without it)
#     fonts-dejavu-core     text in plots
#   --tests: the tests' and benchmarks' extras
#     python3-numpy, -scipy, -sklearn, -h5py   peers for cross-checks and benchmarks
#     python3-torch                             the PyTorch peers of the benchmarks and the checkpoint-loading check
#     dataset-fashion-mnist                     the real-image few-shot check
#   --with-torch: the same as --tests (kept for older scripts)
set -uo pipefail
want=(libopenblas0-pthread libhdf5-103-1 libdnnl2 fonts-dejavu-core)
extras=(python3-numpy python3-scipy python3-sklearn python3-h5py python3-torch dataset-fashion-mnist)
for arg in "$@"; do
  case "$arg" in
    --tests) want+=("${extras[@]}") ;;
    --with-torch) want+=("${extras[@]}") ;;
    *) echo "setup-deps: unknown option $arg (use --tests or --with-torch)" >&2; exit 1 ;;
  esac
done
# BENCH_DEPS=--with-torch in the environment works as the flag (older benchmark scripts pass it that way)
[ "${BENCH_DEPS:-}" = "--with-torch" ] && want+=("${extras[@]}")
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

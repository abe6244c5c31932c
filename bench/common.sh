# Sourced by bench/NAME/run.sh: builds the benchmark program once and defines `ours` to run it.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/scripts/setup-deps.sh" --tests ${BENCH_DEPS:-} >&2
dotnet build "$repo/bench/Disentangle.Bench" -c Release -v quiet -nologo >&2
ours() { dotnet "$repo/bench/Disentangle.Bench/bin/Release/net10.0/linux-x64/Disentangle.Bench.dll" "$@"; }
peer_python=/usr/bin/python3   # Debian's python with python3-numpy/scipy/sklearn/torch (not the PATH python)
# The peer's build, for the log: PyTorch's version, its oneDNN and its BLAS (torch.__config__.show()).
peer_build() {
  "$peer_python" - <<'PY' >&2 || true
import re, torch
show = torch.__config__.show()
dnnl = re.search(r"MKL-DNN (v[0-9.]+)", show) or re.search(r"oneDNN (v[0-9.]+)", show)
blas = re.search(r"BLAS_INFO=([^,]+)", show)
print(f"peer: torch {torch.__version__}, oneDNN {dnnl.group(1) if dnnl else '?'}, BLAS {blas.group(1) if blas else '?'}, threads {torch.get_num_threads()}")
PY
}

# Sourced by bench/NAME/run.sh: builds the benchmark program once and defines `ours` to run it.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/scripts/setup-deps.sh" --tests ${BENCH_DEPS:-} >&2
dotnet build "$repo/bench/Disentangle.Bench" -c Release -v quiet -nologo >&2
ours() { dotnet "$repo/bench/Disentangle.Bench/bin/Release/net10.0/linux-x64/Disentangle.Bench.dll" "$@"; }
peer_python=/usr/bin/python3   # Debian's python with python3-numpy/scipy/sklearn/torch (not the PATH python)

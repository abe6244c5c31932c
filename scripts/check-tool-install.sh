#!/usr/bin/env bash
# Packs the library and the CLI, installs the CLI as a .NET tool into a temporary tool path, and checks that the installed
# `disentangle` starts, reports the version and trains and evaluates a small run (what README's "install as a tool" promises).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet pack "$repo/src/Disentangle" -c Release -o "$work/nupkg" -nologo -v quiet
dotnet pack "$repo/src/Disentangle.Cli" -c Release -o "$work/nupkg" -nologo -v quiet
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")
for package in Disentangle Disentangle.Cli; do
  python3 -c 'import sys, zipfile; sys.exit("README.md" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$work/nupkg/$package.$version.nupkg" || { echo "check-tool-install: $package.$version.nupkg has no README.md" >&2; exit 1; }
done
(cd "$work" && dotnet tool install Disentangle.Cli --tool-path "$work/tool" --add-source "$work/nupkg" >/dev/null)
[ "$("$work/tool/disentangle" --version)" = "$version" ] || { echo "check-tool-install: the installed tool does not report version $version" >&2; exit 1; }
(cd "$work" && "$work/tool/disentangle" train --inputs linear --steps 20 --eval-every 10 --eval-samples 200 --validation-tasks 4 --out run >/dev/null 2>&1) \
  || { echo "check-tool-install: the installed tool could not train a 20-step run" >&2; exit 1; }
echo "check-tool-install: Disentangle $version packs, installs as the 'disentangle' tool, and trains"

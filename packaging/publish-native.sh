#!/usr/bin/env bash
# packaging/publish-native.sh [OUTDIR]: publishes evpnd and evpnctl as Native AOT binaries for linux-x64.
#
# Writes OUTDIR/evpnd and OUTDIR/evpnctl (default OUTDIR: artifacts/native), each one self-contained
# executable that needs only glibc, with its debug symbols next to it (evpnd.dbg, evpnctl.dbg). Trim and AOT
# warnings are errors (Directory.Build.props), so a binary that would need reflection is not produced.
# Needs the .NET 10 SDK and a C toolchain (gcc or clang, and objcopy) to link.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/artifacts/native}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Each project is published into a staging folder of its own (the libraries' .pdb files stay there), then only
# the binary and its symbols are copied.
staging="$root/artifacts/publish"
for spec in Evpn.Daemon:evpnd Evpn.Cli:evpnctl; do
  project=${spec%%:*} binary=${spec##*:}
  dotnet publish "$root/src/$project" -c Release -r linux-x64 -o "$staging/$binary" -nologo -v quiet
  install -m 0755 "$staging/$binary/$binary" "$out/$binary"
  install -m 0644 "$staging/$binary/$binary.dbg" "$out/$binary.dbg"
done
"$out/evpnd" --version
"$out/evpnctl" --version

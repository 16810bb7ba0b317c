#!/usr/bin/env bash
# Installs and deletes 100,000 remote MACs (VXLAN FDB entries toward a VTEP, self + bridge, extern_learn)
# in a network namespace, with evpnd's batched rtnetlink writer and with iproute2's `bridge -batch`, in the
# same BenchmarkDotNet run (tests/Evpn.Benchmarks/DataPlane/FdbProgrammingBenchmark.cs), and prints the
# median rates side by side. Needs root (network namespaces) and the .NET SDK.
#
#   sudo interop/bench/fdb-vs-bridge-batch.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ "$(id -u)" -ne 0 ]; then
  echo "fdb-vs-bridge-batch: needs root (it creates a network namespace)" >&2
  exit 1
fi
command -v bridge >/dev/null || { echo "fdb-vs-bridge-batch: iproute2 (bridge) is missing" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
artifacts=$(mktemp -d /tmp/evdp-bench.XXXXXX)
trap 'rm -rf "$artifacts"' EXIT
fail() {
  cp "$artifacts/run.log" /tmp/fdb-vs-bridge-batch.log
  echo "fdb-vs-bridge-batch: $1; BenchmarkDotNet's whole log is in /tmp/fdb-vs-bridge-batch.log, its end:" >&2
  tail -40 "$artifacts/run.log" >&2
  exit 1
}

dotnet build tests/Evpn.Benchmarks -c Release -nologo -v quiet >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)  kernel: $(uname -r)"
dotnet tests/Evpn.Benchmarks/bin/Release/net10.0/Evpn.Benchmarks.dll \
  --filter '*FdbProgrammingBenchmark*' --artifacts "$artifacts" >"$artifacts/run.log" 2>&1 \
  || fail "the benchmark run failed"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

csv=$(ls "$artifacts"/results/*FdbProgrammingBenchmark*-report.csv 2>/dev/null) || fail "no results"
# A benchmark that threw has NA instead of figures.
if grep -q ',NA' "$csv"; then fail "a benchmark failed"; fi
# Median column of BenchmarkDotNet's CSV, converted to entries per second (one operation = one entry).
awk -F',' '
  NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); if ($i == "Method") m = i; if ($i == "Median") d = i } next }
  {
    name = $m; gsub(/["\047]/, "", name)
    split($d, parts, " "); value = parts[1]; unit = parts[2]; gsub(/"/, "", value); gsub(/"/, "", unit)
    gsub(/[^0-9.]/, "", value)
    scale = (unit == "ns") ? 1e-9 : (unit == "ms") ? 1e-3 : (unit == "s") ? 1 : 1e-6
    rate[name] = 1 / (value * scale); order[++n] = name; median[name] = $d
  }
  END {
    printf "\n| %-36s | %-16s | %14s |\n", "100,000 entries installed + deleted", "median per entry", "entries/s"
    printf "|%s|%s|%s|\n", "--------------------------------------", "------------------", "----------------"
    for (i = 1; i <= n; i++) printf "| %-36s | %-16s | %14.0f |\n", order[i], median[order[i]], rate[order[i]]
    base = rate["bridge -batch (iproute2)"]; ours = rate["evpnd batched rtnetlink"]
    if (base > 0) printf "\nevpnd / bridge -batch: %.2fx\n", ours / base
  }' "$csv"

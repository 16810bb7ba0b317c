#!/usr/bin/env bash
# Fuzzes one target with AFL++ through SharpFuzz, or replays the committed corpus.
#   tests/fuzz/run.sh --target bgp --minutes 60     fuzz bgp for an hour (findings in artifacts/fuzz/bgp)
#   tests/fuzz/run.sh --target all --seconds 40     each target in turn for 40 seconds
#   tests/fuzz/run.sh --target bgp --minutes 60 --resume   go on with the last run's queue and findings
#   tests/fuzz/run.sh --replay                      every committed input once, uninstrumented
# Exits 1 when AFL saved a crash or a hang (each printed with the replay of it), 0 otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

target="" seconds="" replay=0 resume=0
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=$2; shift 2 ;;
    --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --replay) replay=1; shift ;;
    --resume) resume=1; shift ;;
    *) echo "usage: $0 --target bgp|mrt|netlink|config|api|all (--minutes N | --seconds N) [--resume] | --replay" >&2; exit 2 ;;
  esac
done

targets=(bgp mrt netlink config api)
corpus="$root/tests/fuzz/corpus"
work="$root/artifacts/fuzz"
build="$work/build"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# One build at a time: several targets may be started side by side.
mkdir -p "$work"
flock "$work/.build.lock" dotnet publish tests/fuzz/Evpn.Fuzz -c Release -nologo -v quiet -o "$build" >/dev/null

if [ "$replay" -eq 1 ]; then
  status=0
  for t in "${targets[@]}"; do
    dotnet "$build/Evpn.Fuzz.dll" replay "$t" "$corpus/$t" || status=1
  done
  exit $status
fi
if [ -z "$target" ] || [ -z "$seconds" ]; then
  echo "usage: $0 --target bgp|mrt|netlink|config|api|all (--minutes N | --seconds N) [--resume] | --replay" >&2
  exit 2
fi
[ "$target" = all ] && run=("${targets[@]}") || run=("$target")
command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz missing (Debian package afl++, interop/install-deps.sh installs it)" >&2; exit 1; }

# The SharpFuzz instrumenter, a .NET tool, installed once under artifacts/.
sharpfuzz="$work/tools/sharpfuzz"
[ -x "$sharpfuzz" ] || dotnet tool install --tool-path "$work/tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null

# The evpnd assemblies each target exercises: only these are instrumented, so AFL's map holds their edges.
assemblies() {
  case "$1" in
    bgp|mrt) echo Evpn.Wire.dll ;;
    netlink) echo Evpn.DataPlane.Linux.dll Evpn.Wire.dll ;;
    config) echo Evpn.Config.dll YamlDotNet.dll ;;
    api) echo evpnd.dll Evpn.Api.dll Evpn.Wire.dll ;;
  esac
}

children_cpu_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }

status=0
for t in "${run[@]}"; do
  bin="$work/$t/bin"
  out="$work/$t/findings"
  # A resumed run starts from the previous run's queue (afl-fuzz -i -), so sittings add up to one campaign.
  input="$corpus/$t"
  if [ "$resume" -eq 1 ] && [ -d "$out/default/queue" ]; then
    input=-
  else
    rm -rf "$out" "$work/$t/cpu-seconds"
  fi
  rm -rf "$bin"
  mkdir -p "$bin"
  cp -r "$build"/. "$bin"
  for a in $(assemblies "$t"); do
    "$sharpfuzz" "$bin/$a" >/dev/null
  done
  echo "== fuzz $t for $seconds s"
  # SharpFuzz's binary is dotnet, not an instrumented ELF; crashes are .NET exceptions reported through
  # the fork server, so the core dump settings do not matter.
  # CPU seconds are what a campaign is measured in (wall time depends on what else runs): this shell's reaped
  # children (afl-fuzz and the harness it ran) before and after, from /proc/$$/stat's cutime and cstime.
  cpu_before=$(children_cpu_ticks)
  afl_status=0
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -V "$seconds" -t 5000 -m none -i "$input" -o "$out" -- dotnet "$bin/Evpn.Fuzz.dll" "$t" >"$work/$t/afl.log" 2>&1 || afl_status=$?
  cpu_s=$(( ($(children_cpu_ticks) - cpu_before) / $(getconf CLK_TCK) ))
  echo "$cpu_s" >>"$work/$t/cpu-seconds"
  if [ "$afl_status" -ne 0 ]; then
    echo "afl-fuzz failed for $t after $cpu_s CPU seconds:"; tail -20 "$work/$t/afl.log"
    # A harness that dies outright (a stack overflow ends a .NET process) looks to AFL like a broken fork server;
    # the input it was running when that happened shows why.
    if [ -f "$out/default/.cur_input" ]; then
      echo "the input afl-fuzz was running, replayed:"
      dotnet "$build/Evpn.Fuzz.dll" replay "$t" "$out/default/.cur_input" 2>&1 | head -20 || true
    fi
    status=1
    continue
  fi
  stats="$out/default/fuzzer_stats"
  awk -F' *: *' -v cpu="$cpu_s" -v total="$(awk '{ s += $1 } END { print s }' "$work/$t/cpu-seconds")" \
    '$1 ~ /^(execs_done|execs_per_sec|corpus_count|bitmap_cvg|edges_found|total_edges|saved_crashes|saved_hangs|run_time)$/ { printf "%s=%s ", $1, $2 }
     END { print "cpu_s=" cpu " campaign_cpu_s=" total }' "$stats"
  found=$(find "$out/default/crashes" "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  if [ "$found" -gt 0 ]; then
    status=1
    echo "$t: $found crash(es)/hang(s) saved under $out/default; replayed:"
    find "$out/default/crashes" "$out/default/hangs" -type f -name 'id:*' -print0 | xargs -0 dotnet "$build/Evpn.Fuzz.dll" replay "$t" || true
  fi
done
exit $status

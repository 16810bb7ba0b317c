#!/usr/bin/env bash
# Runs every evpnd test: codec, session, RIB/EVPN core, config, data plane (real kernel),
# daemon end to end and the interop lab against FRR, GoBGP and ExaBGP in network namespaces.
# Installs what the tests need, builds once, runs each test project in turn, and ends with
# the line `tests: N passed, M failed`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

interop/install-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build Evpn.sln -c Release -nologo -v quiet; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
# The tests, the lab and the benchmarks run the native binaries, as shipped (tests/Evpn.Daemon.Tests and
# interop/lib/evpnd.sh read EVPND_BIN and EVPNCTL_BIN; unset, they run the development build above).
if ! packaging/publish-native.sh artifacts/native; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
export EVPND_BIN="$root/artifacts/native/evpnd" EVPNCTL_BIN="$root/artifacts/native/evpnctl"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
for proj in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  echo "== $name"
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=normal" || status=1
done

# Coverage-guided fuzzing, briefly: each target 40 seconds from the committed corpus, about 4 minutes in all
# (Evpn.Fuzz.Tests above replayed the corpus itself); tests/fuzz/README.md says how to run them longer.
if command -v afl-fuzz >/dev/null 2>&1; then
  echo "== fuzz"
  tests/fuzz/run.sh --target all --seconds 40 || status=1
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
# The failed tests again, last, so a log cut to its tail still names them, each with its message's first line.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  awk '/<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1 }
       want && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print "FAILED " name ": " $0; want = 0 }' "$trx"
done
# A project that crashed before writing its results counts as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

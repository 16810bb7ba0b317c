#!/usr/bin/env bash
# Route reflector benchmark: the same iBGP load reflected by evpnd (memory data plane, no VNIs), FRR bgpd and
# GoBGP, each in a fresh namespace of its own, interleaved within every run. The clients are evpn-loadgen's
# reflector mode (interop/loadgen) in the reflector's namespace: --clients sessions from 10.98.0.1, +1, ...,
# a dynamic neighbor each (a listen range of route-reflector clients); the first --originators of them send
# the --routes type-2 routes in equal ranges at the same moment.
#
# Per reflector and run: time until the last client and the median client held every route but its own (and
# evpnd's End-of-RIB; ORIGINATOR_ID and CLUSTER_LIST right, or the run fails; a client's own routes sent back
# are ignored and counted, RFC 4456 section 8), the originators' send time; then the churn phase: 10% of the
# hosts move to another VTEP, announced by the next originator with a higher MAC mobility sequence and
# withdrawn by the old one, and the time until the last and the median client held the moved hosts at their
# new VTEP only; the reflector's peak RSS (VmHWM; bgpd + zebra for FRR), CPU seconds and the run's wall time.
# With --slow-clients S each run is measured again with S clients that stop reading after the handshake
# (not timed): the difference is what a slow client costs the others. Prints medians, the ratios evpnd/FRR
# and evpnd/GoBGP, the slow-client delays and every failure (reflector exited, which phase ran out of time);
# writes every run to a CSV and every client's times to a CSV per run beside it.
#
#   sudo interop/bench/reflector.sh --quick                          # smoke test: did every client converge?
#   sudo interop/bench/reflector.sh --clients 1000 --routes 10000 --runs 3
#   sudo interop/bench/reflector.sh --clients 100 --routes 1000000 --originators 10 --runs 1
#
# It refuses to start (exit 3) next to leftover namespaces or routing daemons (conditions.sh); --allow-dirty
# measures anyway and marks the output.
#
# Options: --clients N (1000, at most 65534)  --routes R (10000)  --originators K (10, at most N)  --runs R (3)
#          --slow-clients S (2; 0: no slow-client measurement)  --vnis V (100)  --vteps T (4)
#          --reflectors evpnd,frr,gobgp  --csv FILE (artifacts/bench/reflector-*.csv)
#          --timeout S per phase (120 + R/1000 * N/100)  --no-build  --quick  --allow-dirty
#          --jit: evpnd's development build (dotnet evpnd.dll) instead of the native binary
# Exit code 0 only when every client converged with every reflector in every run.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/lab.sh
. "$root/interop/lib/lab.sh"
# shellcheck source=convergence/receivers.sh
. "$root/interop/bench/convergence/receivers.sh"
# shellcheck source=convergence/measure.sh
. "$root/interop/bench/convergence/measure.sh"
# shellcheck source=reflector/reflectors.sh
. "$root/interop/bench/reflector/reflectors.sh"
# shellcheck source=conditions.sh
. "$root/interop/bench/conditions.sh"

clients=1000 routes=10000 originators=10 runs=3 slow=2 RF_VNIS=100 RF_VTEPS=4 reflectors=evpnd,frr,gobgp csv="" timeout=""
build=1 jit=0 allow_dirty=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) clients=20; routes=1000; originators=4; runs=1; RF_VNIS=10; RF_VTEPS=2; timeout=${timeout:-60} ;;
    --clients) clients=$2; shift ;;
    --routes) routes=$2; shift ;;
    --originators) originators=$2; shift ;;
    --runs) runs=$2; shift ;;
    --slow-clients) slow=$2; shift ;;
    --vnis) RF_VNIS=$2; shift ;;
    --vteps) RF_VTEPS=$2; shift ;;
    --reflectors) reflectors=$2; shift ;;
    --csv) csv=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --no-build) build=0 ;;
    --allow-dirty) allow_dirty=1 ;;
    --jit) jit=1 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "reflector: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$originators" -le "$clients" ] || originators=$clients
[ "$clients" -le 65534 ] || lab_die "at most 65534 clients (one /16 of source addresses)"
[ "$slow" -le $(( clients - originators )) ] || lab_die "--slow-clients $slow: only $(( clients - originators )) clients are not originators"
lab_require_root
for tool in jq curl vtysh gobgpd gobgp; do
  command -v "$tool" >/dev/null || lab_die "$tool is missing: run interop/install-deps.sh"
done
# A socket per client in the generator and in the reflector.
ulimit -n $(( clients * 2 + 1024 )) 2>/dev/null || lab_die "cannot raise the open file limit to $(( clients * 2 + 1024 ))"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
LOADGEN_DLL=${LOADGEN_DLL:-$root/interop/loadgen/Evpn.LoadGen/bin/Release/net10.0/evpn-loadgen.dll}
evpnd_bench_build "$build" "$jit"
if [ "$build" = 1 ]; then
  dotnet build "$root/interop/loadgen/Evpn.LoadGen" -c Release -nologo -v quiet >/dev/null || lab_die "building evpn-loadgen failed"
fi
[ -f "$LOADGEN_DLL" ] || lab_die "$LOADGEN_DLL missing (build, or drop --no-build)"

bench_check_conditions "$allow_dirty"
RUN="rf$$"
lab_check_run "$RUN"
LAB_OWNER=$$ lab_claim_run "$RUN"
lab_trap_teardown "$RUN"
if [ -z "$csv" ]; then
  mkdir -p "$root/artifacts/bench"
  csv="$root/artifacts/bench/reflector-$(date -u +%Y%m%dT%H%M%SZ).csv"
fi
RF_ARTIFACTS=$(dirname "$csv")
echo "$RF_CSV_HEADER" >"$csv"
run_timeout=${timeout:-$(( 120 + routes / 1000 * clients / 100 ))}
lab_log "run $RUN: $clients clients, $routes routes from $originators originators, $slow slow clients, $runs run(s), reflectors $reflectors, $run_timeout s per phase; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cpus; conditions $BENCH_CONDITIONS"
IFS=, read -r -a rf_list <<<"$reflectors"
failures=0
for (( r = 1; r <= runs; r++ )); do
  for kind in "${rf_list[@]}"; do
    for s in 0 $([ "$slow" = 0 ] || echo "$slow"); do
      if ! rf_measure "$kind" "$clients" "$originators" "$routes" "$s" "$r" "$run_timeout" >>"$csv"; then
        failures=$((failures + 1))
      fi
    done
  done
done
rf_table "$csv"
echo "csv: $csv (per-client samples beside it: reflector-$RUN-*.csv)"
if [ "$failures" -gt 0 ]; then
  echo "reflector: $failures measurement(s) failed (the FAILED lines above say why)" >&2
  exit 1
fi
echo "reflector: every client converged with every reflector in every run"

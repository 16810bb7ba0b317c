#!/usr/bin/env bash
# Side-by-side convergence benchmark: the same EVPN load (evpn-loadgen, interop/loadgen) sent to evpnd with
# the Linux data plane, evpnd with the memory data plane, FRR (zebra + bgpd, programming the kernel) and
# GoBGP (RIB only), each in a fresh namespace of its own, receivers interleaved within every run. Beside them
# the kernel's limit ("limit", interop/bench/limit): the same kernel entries written straight through
# evpnd's netlink executor, with no BGP and no RIB, timed the same way.
#
# Per receiver and run: RIB convergence (first UPDATE -> all routes counted by the receiver), kernel FDB
# convergence (evpnd-linux, frr: all remote MACs in the FDB, timed by evpn-fdbwatch to the netlink notification
# that completed them), MAC-move time (the moved share of MACs pointing at the new VTEP in the FDB),
# withdraw-all time (RIB at 0, FDB at 0), peak RSS
# (VmHWM, bgpd + zebra for FRR) and CPU seconds of the receiver over the whole run and per phase (from the
# start of the phase's command to its convergence; for the limit, its writer process). Prints medians,
# the ratios evpnd/FRR and evpnd/GoBGP, and writes every sample to a CSV.
#
#   sudo interop/bench/convergence.sh --quick                   # smoke test (< 2 min): all converged?
#   sudo interop/bench/convergence.sh --loads 10000,100000 --runs 3
#   sudo interop/bench/convergence.sh --underlay ipv4,ipv6 --receivers limit,evpnd-linux,evpnd-memory
#
# --underlay ipv6 measures on an IPv6 underlay: the session, the receiver's VTEP and the generated VTEPs (next hops,
# PMSI endpoints, the FDB entries' destinations) are IPv6. FRR 8.4 has no IPv6 VTEPs and GoBGP is kept to the IPv4
# comparison, so there only evpnd and the kernel's limit run. With both underlays every receiver is measured on
# each in turn within a run, and a table gives IPv6/IPv4 per receiver.
#
# It refuses to start (exit 3) next to leftover namespaces, routing daemons or netlink listeners
# (conditions.sh); --allow-dirty measures anyway and marks the output. The load average before and after
# each receiver and the share of CPU busy in the second before it are in its log line and the CSV, and the
# table says how many measurements began on a busy machine (over 10% of the CPUs busy).
#
# Options: --loads N[,N...] (10000)  --runs R (3)  --vnis V (100)  --vteps T (4)
#          --receivers limit,evpnd-linux,evpnd-memory,frr,gobgp  --underlay ipv4[,ipv6] (ipv4)
#          --csv FILE (artifacts/bench/convergence-*.csv)
#          --timeout S per phase (60 + N/1000)  --poll S RIB poll interval (0.05)  --no-build  --quick
#          --allow-dirty
#          --jit: evpnd's development build (dotnet evpnd.dll) instead of the native binary (EVPND_BIN, else
#          packaging/publish-native.sh's artifacts/native/evpnd)
#          --perf PHASE (announce, move or withdraw): runs evpnd under `perf record -g` (user and kernel) with
#          sampling on during that phase only, one perf-RECEIVER-UNDERLAY-LOAD-runR.data beside the CSV per measurement
#          (the native binary resolves with its evpnd.dbg: perf report -i FILE --sort comm,dso,sym)
# Exit code 0 only when every receiver converged in every phase of every run.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/lab.sh
. "$root/interop/lib/lab.sh"
# shellcheck source=convergence/receivers.sh
. "$root/interop/bench/convergence/receivers.sh"
# shellcheck source=convergence/measure.sh
. "$root/interop/bench/convergence/measure.sh"
# shellcheck source=conditions.sh
. "$root/interop/bench/conditions.sh"

loads=10000 runs=3 vnis=100 vteps=4 receivers=limit,evpnd-linux,evpnd-memory,frr,gobgp underlays=ipv4 csv="" timeout="" poll=0.05
build=1 quick=0 jit=0 allow_dirty=0
CV_PERF=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; loads=1000; runs=1; vnis=10; vteps=2; timeout=${timeout:-40} ;;
    --loads) loads=$2; shift ;;
    --runs) runs=$2; shift ;;
    --vnis) vnis=$2; shift ;;
    --vteps) vteps=$2; shift ;;
    --receivers) receivers=$2; shift ;;
    --underlay) underlays=$2; shift ;;
    --csv) csv=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --poll) poll=$2; shift ;;
    --no-build) build=0 ;;
    --allow-dirty) allow_dirty=1 ;;
    --jit) jit=1 ;;
    --perf) CV_PERF=$2; shift ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "convergence: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
IFS=, read -r -a underlay_list <<<"$underlays"
for u in "${underlay_list[@]}"; do
  case $u in ipv4|ipv6) ;; *) echo "convergence: --underlay takes ipv4 and ipv6, not '$u'" >&2; exit 2 ;; esac
done
lab_require_root
case $CV_PERF in
  ""|announce|move|withdraw) ;;
  *) echo "convergence: --perf takes announce, move or withdraw" >&2; exit 2 ;;
esac
[ -z "$CV_PERF" ] || command -v perf >/dev/null || lab_die "--perf needs perf (Debian: linux-perf)"
for tool in jq curl bridge vtysh gobgpd gobgp; do
  command -v "$tool" >/dev/null || lab_die "$tool is missing: run interop/install-deps.sh"
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
LOADGEN_DLL=${LOADGEN_DLL:-$root/interop/loadgen/Evpn.LoadGen/bin/Release/net10.0/evpn-loadgen.dll}
FDBWATCH_DLL=${FDBWATCH_DLL:-$root/interop/bench/fdbwatch/Evpn.FdbWatch/bin/Release/net10.0/evpn-fdbwatch.dll}
LIMIT_DLL=${LIMIT_DLL:-$root/interop/bench/limit/Evpn.KernelLimit/bin/Release/net10.0/evpn-kernel-limit.dll}
evpnd_bench_build "$build" "$jit"
if [ "$build" = 1 ]; then
  dotnet build "$root/interop/loadgen/Evpn.LoadGen" -c Release -nologo -v quiet >/dev/null || lab_die "building evpn-loadgen failed"
  dotnet build "$root/interop/bench/fdbwatch/Evpn.FdbWatch" -c Release -nologo -v quiet >/dev/null || lab_die "building evpn-fdbwatch failed"
  dotnet build "$root/interop/bench/limit/Evpn.KernelLimit" -c Release -nologo -v quiet >/dev/null || lab_die "building evpn-kernel-limit failed"
fi
[ -f "$LOADGEN_DLL" ] || lab_die "$LOADGEN_DLL missing (build, or drop --no-build)"
[ -f "$FDBWATCH_DLL" ] || lab_die "$FDBWATCH_DLL missing (build, or drop --no-build)"
[[ ,$receivers, != *,limit,* ]] || [ -f "$LIMIT_DLL" ] || lab_die "$LIMIT_DLL missing (build, or drop --no-build)"

bench_check_conditions "$allow_dirty"
CV_FIRST_VNI=1000 CV_VNIS=$vnis CV_VTEPS=$vteps CV_POLL=$poll
run="cv$$"
lab_check_run "$run"
LAB_OWNER=$$ lab_claim_run "$run"
lab_trap_teardown "$run"
# The RIB poll runs in a process group of its own (measure.sh), which an interrupt of the harness does not reach.
LAB_TEARDOWN_FIRST=cv_rib_poll_kill
# A generator that died must not kill the harness when it writes the next command to the coprocess.
trap '' PIPE
if [ -z "$csv" ]; then
  mkdir -p "$root/artifacts/bench"
  csv="$root/artifacts/bench/convergence-$(date -u +%Y%m%dT%H%M%SZ).csv"
fi
CV_ARTIFACTS=$(dirname "$csv")
echo "load,run,receiver,converged,rib_ms,fdb_ms,move_ms,withdraw_rib_ms,withdraw_fdb_ms,gen_send_ms,peak_rss_kb,cpu_s,load_before,load_after,cpu_busy_before_pct,conditions,underlay,cpu_announce_s,cpu_move_s,cpu_withdraw_s" >"$csv"

ns_create "$run" gen
# The wait loop's pause (measure.sh, cv_wait): a FIFO held open for reading and writing, which nothing writes.
mkfifo "$(lab_dir "$run" gen)/pause"
exec {CV_PAUSE}<>"$(lab_dir "$run" gen)/pause"
lab_log "run $run: loads $loads, $runs run(s), $vnis VNIs, $vteps VTEPs, receivers $receivers, underlay $underlays; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cpus; conditions $BENCH_CONDITIONS"
IFS=, read -r -a load_list <<<"$loads"
IFS=, read -r -a rx_list <<<"$receivers"
failures=0
for n in "${load_list[@]}"; do
  phase_timeout=${timeout:-$(( 60 + n / 1000 ))}
  for (( r = 1; r <= runs; r++ )); do
    for kind in "${rx_list[@]}"; do
      for u in "${underlay_list[@]}"; do
        cv_on_underlay "$kind" "$u" || { [ "$r" -gt 1 ] || lab_log "$kind: not measured on $u"; continue; }
        cv_underlay "$u"
        if ! cv_measure "$run" "$kind" "$n" "$r" "$phase_timeout" >>"$csv"; then
          failures=$((failures + 1))
        fi
      done
    done
  done
done
cv_table "$csv"
echo "csv: $csv"
if [ "$failures" -gt 0 ]; then
  echo "convergence: $failures measurement(s) did not converge" >&2
  exit 1
fi
echo "convergence: every receiver converged in every phase"

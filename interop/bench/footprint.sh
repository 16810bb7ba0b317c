#!/usr/bin/env bash
# Idle footprint and start time of evpnd: the native binary (as shipped) against the development build run by
# dotnet (the JIT), and FRR's bgpd + zebra when FRR is installed, in the same run, interleaved.
#
#   sudo interop/bench/footprint.sh [--runs N (5)] [--no-build]
#
# Each sample runs in a fresh namespace of its own. evpnd: memory data plane, metrics on, no VNIs, one
# neighbor, which is a listener on the namespace's loopback (footprint/open-listener.py) that timestamps the
# first OPEN it receives and never answers, so no session comes up. Per sample:
#   start ms     exec of evpnd -> its OPEN complete at the listener (both clocks CLOCK_REALTIME, one machine)
#   idle MiB     VmHWM once the OPEN arrived and the management socket exists, before any API request
#   queried MiB  VmHWM after one GET /v1/summary and one GET /metrics
# FRR: zebra + bgpd (the lab's leaf configuration, one neighbor, no VNIs), VmHWM of both summed once bgpd
# answers vtysh (idle) and after `show bgp summary` (queried). Prints every sample, then medians per build.
# The native binaries come from packaging/publish-native.sh (EVPND_BIN when set), the JIT build from
# `dotnet build src/Evpn.Daemon -c Release`.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/lab.sh
. "$root/interop/lib/lab.sh"

runs=5 build=1
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "footprint: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
lab_require_root
command -v python3 >/dev/null || lab_die "python3 is missing (the OPEN listener)"
command -v curl >/dev/null || lab_die "curl is missing: run interop/install-deps.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "$build" = 1 ]; then
  dotnet build "$root/src/Evpn.Daemon" -c Release -nologo -v quiet >/dev/null || lab_die "building evpnd failed"
  evpnd_use_native || lab_die "publishing the native evpnd failed"
fi
native=${EVPND_BIN:-$root/artifacts/native/evpnd}
[ -x "$native" ] || lab_die "$native missing (run packaging/publish-native.sh, or drop --no-build)"
[ -f "$EVPND_DLL" ] || lab_die "$EVPND_DLL missing (dotnet build src/Evpn.Daemon -c Release, or drop --no-build)"
builds=(native jit)
[ -x "$FRR_BIN/bgpd" ] && [ -x "$FRR_BIN/zebra" ] && builds+=(frr)

FP_ASN=65001 FP_PEER_ASN=65002 FP_SELF=127.0.0.1 FP_PEER=127.0.0.2
run="fp$$"
lab_check_run "$run"
LAB_OWNER=$$ lab_claim_run "$run"
lab_trap_teardown "$run"

# fp_hwm_kb PID...: VmHWM summed over the processes.
fp_hwm_kb() {
  local pid kb total=0
  for pid in "$@"; do
    kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    total=$(( total + ${kb:-0} ))
  done
  echo "$total"
}

# fp_evpnd_config DIR: evpnd's YAML for a sample.
fp_evpnd_config() {
  printf 'router:\n  asn: %s\n  router-id: %s\n  local-vtep: %s\n  listen-address: %s\n' "$FP_ASN" "$FP_SELF" "$FP_SELF" "$FP_SELF"
  printf 'neighbors:\n  - address: %s\n    remote-as: %s\n' "$FP_PEER" "$FP_PEER_ASN"
  printf 'evpn:\n  advertise-all-vni: false\n'
  printf 'data-plane:\n  kind: memory\n'
  printf 'management:\n  socket: %s/evpnd.sock\n' "$1"
  printf 'metrics:\n  enabled: true\n  address: %s:9179\n' "$FP_SELF"
  printf 'logging:\n  level: warning\n'
}

# fp_sample RUN NODE BUILD: one sample; prints "BUILD START_MS IDLE_KB QUERIED_KB".
fp_sample() {
  local run=$1 node=$2 kind=$3 dir pid listener t0 t1 idle queried
  ns_create "$run" "$node"; dir=$(lab_dir "$run" "$node")
  if [ "$kind" = frr ]; then
    frr_write_config "$run" "$node" "$(frr_evpn_leaf_config "$FP_ASN" "$FP_SELF" "$FP_PEER:$FP_PEER_ASN")"
    frr_start "$run" "$node"
    local pids=("$(cat "$dir/frr/zebra.pid")" "$(cat "$dir/frr/bgpd.pid")")
    idle=$(fp_hwm_kb "${pids[@]}")
    frr_vtysh "$run" "$node" "show bgp summary" >/dev/null
    queried=$(fp_hwm_kb "${pids[@]}")
    frr_stop "$run" "$node"
    echo "frr - $idle $queried"
  else
    ip netns exec "$(lab_ns "$run" "$node")" python3 "$root/interop/bench/footprint/open-listener.py" "$FP_PEER" "$dir/open" "$dir/ready" >/dev/null 2>&1 &
    listener=$!
    wait_for_file 10 "$dir/ready" || lab_die "the OPEN listener did not start"
    fp_evpnd_config "$dir" >"$dir/evpnd.yaml"
    local command=("$native")
    [ "$kind" = jit ] && command=(dotnet "$EVPND_DLL")
    # Not through ns_exec: a backgrounded function is a subshell, and $! would be its pid instead of evpnd's (ip
    # netns exec, env and bash exec in place). bash records the time of the exec of evpnd itself.
    ip netns exec "$(lab_ns "$run" "$node")" env "${EVPND_RUNTIME_ENV[@]}" bash -c 'printf "%s\n" "$EPOCHREALTIME" >"$1"; shift; exec "$@"' \
      _ "$dir/exec" "${command[@]}" --config "$dir/evpnd.yaml" </dev/null >"$dir/evpnd.log" 2>&1 &
    pid=$!
    if ! wait_for_file 60 "$dir/open" || ! wait_until 30 test -S "$dir/evpnd.sock"; then
      tail -n 20 "$dir/evpnd.log" >&2
      lab_die "evpnd ($kind) sent no OPEN or opened no management socket"
    fi
    t0=$(cat "$dir/exec"); t1=$(cat "$dir/open")
    idle=$(fp_hwm_kb "$pid")
    curl -sf --max-time 10 --unix-socket "$dir/evpnd.sock" http://evpnd/v1/summary >/dev/null || lab_die "evpnd ($kind): GET /v1/summary failed"
    ns_exec "$run" "$node" curl -sf --max-time 10 "http://$FP_SELF:9179/metrics" >/dev/null || lab_die "evpnd ($kind): GET /metrics failed"
    queried=$(fp_hwm_kb "$pid")
    kill -TERM "$pid"
    wait_until 15 lab_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null
    wait "$listener" 2>/dev/null
    awk -v k="$kind" -v a="$t0" -v b="$t1" -v i="$idle" -v q="$queried" 'BEGIN { printf "%s %.1f %d %d\n", k, (b - a) * 1000, i, q }'
  fi
  ns_delete "$(lab_ns "$run" "$node")"
}

lab_log "run $run: $runs run(s) of ${builds[*]}; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cpus"
samples="$(lab_rundir "$run")/samples"
: >"$samples"
printf '%-7s %4s %9s %9s %12s\n' build run start_ms idle_MiB queried_MiB
for (( r = 1; r <= runs; r++ )); do
  for kind in "${builds[@]}"; do
    line=$(fp_sample "$run" "s$r$kind" "$kind") || exit 1
    echo "$line" >>"$samples"
    awk -v r="$r" '{ printf "%-7s %4d %9s %9.1f %12.1f\n", $1, r, $2, $3 / 1024, $4 / 1024 }' <<<"$line"
  done
done

echo
echo "medians of $runs run(s), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
printf '%-7s %9s %9s %12s\n' build start_ms idle_MiB queried_MiB
for kind in "${builds[@]}"; do
  awk -v k="$kind" '
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == k { n++; s[n] = $2; i[n] = $3 / 1024; q[n] = $4 / 1024 }
    END { printf "%-7s %9s %9.1f %12.1f\n", k, k == "frr" ? "-" : sprintf("%.1f", median(s, n)), median(i, n), median(q, n) }' "$samples"
done

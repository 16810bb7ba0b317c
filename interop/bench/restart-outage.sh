#!/usr/bin/env bash
# Restart outage: what a graceful stop and start of one VTEP's BGP speaker costs the hosts behind it, evpnd
# and FRR 8.4 side by side in the same run, interleaved.
#
#   sudo interop/bench/restart-outage.sh [--runs N (3)] [--pairs A:B,... (evpnd:evpnd,evpnd:frr,frr:frr)]
#                                        [--no-build] [--allow-dirty] [--jit]
#
# Each pair is the lab's leaf pair (interop/topo/leaf-pair --graceful-restart): VTEP A's speaker is the one
# restarted, VTEP B's is its peer. Host ha100 (behind A) pings hb100 (behind B) every 100 ms, with both
# hosts' ARP entries pinned. During the pings A's speaker is stopped the way an operator would (SIGTERM:
# evpnd with `graceful-restart.on-stop: graceful`; FRR's bgpd only, zebra keeps running) and started again
# at once. The pings go on until the session is Established again and 5 s more. Per sample:
#   there   echo requests lost on the way to hb100 (through A's kernel entries), from hb100's InEchos counter
#   back    replies lost on the way back (through B's entries toward A, which depend on B keeping A's routes)
#   lost ms round-trip losses times the 100 ms interval: the outage as the hosts saw it
#   up ms   from the stop to the session Established again
# Prints every sample and the medians per pair. Exit code 0 when every sample completed. evpnd is the native
# binary (EVPND_BIN, else packaging/publish-native.sh's); --jit takes the development build instead.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/lab.sh
. "$root/interop/lib/lab.sh"
# shellcheck source=conditions.sh
. "$root/interop/bench/conditions.sh"

runs=3 pairs=evpnd:evpnd,evpnd:frr,frr:frr build=1 allow_dirty=0 jit=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --pairs) pairs=$2; shift ;;
    --no-build) build=0 ;;
    --allow-dirty) allow_dirty=1 ;;
    --jit) jit=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "restart-outage: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
lab_require_root
"$root/interop/install-deps.sh" >/dev/null || lab_die "installing the lab's dependencies failed"
evpnd_bench_build "$build" "$jit"
bench_check_conditions "$allow_dirty"

RO_VNI=100 RO_PINGS_AFTER_UP=50
run="ro$$"
lab_check_run "$run"
export LAB_OWNER=$$
lab_trap_teardown "$run"

# ro_in_echos RUN HOST: the ICMP echo requests HOST's kernel has received.
ro_in_echos() {
  ns_exec "$1" "$2" cat /proc/net/snmp | awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "InEchos") c = i; h = 1 } else print $c }'
}

# ro_converged RUN: both VTEPs have the other's flood entry and the other's host MAC of the measured VNI.
ro_converged() {
  local run=$1
  vxlan_remotes "$run" vtepa "vxlan$RO_VNI" | grep -qx "00:00:00:00:00:00 10.0.0.2" \
    && vxlan_remotes "$run" vtepb "vxlan$RO_VNI" | grep -qx "00:00:00:00:00:00 10.0.0.1" \
    && vxlan_remotes "$run" vtepa "vxlan$RO_VNI" | grep -qx "$(host_mac 2 $RO_VNI) 10.0.0.2" \
    && vxlan_remotes "$run" vtepb "vxlan$RO_VNI" | grep -qx "$(host_mac 1 $RO_VNI) 10.0.0.1"
}

ro_replies() { grep -c 'bytes from' "$1"; }
ro_replies_at_least() { [ "$(ro_replies "$1")" -ge "$2" ]; }

# ro_stop_a RUN: A's speaker stops gracefully; for FRR only bgpd, so zebra's kernel entries stay as they can.
ro_stop_a() {
  local run=$1 pid
  if [ "$(speaker_kind "$run" vtepa)" = frr ]; then
    pid=$(cat "$(frr_dir "$run" vtepa)/bgpd.pid")
    kill -TERM "$pid"
    wait_until 15 lab_pid_gone "$pid" || return 1
    rm -f "$(frr_dir "$run" vtepa)/bgpd.pid"
  else
    speaker_stop "$run" vtepa
  fi
}

# ro_sample PAIR N: one measurement; prints "pair run there back lost_ms up_ms sent".
ro_sample() {
  local pair=$1 n=$2 a=${1%%:*} b=${1##*:} ha hb ip_hb before arrived sent received stopped up ping_pid out
  "$root/interop/topo/leaf-pair" up "$run" --a "$a" --b "$b" --graceful-restart >/dev/null || return 1
  wait_until 60 ro_converged "$run" || return 1
  ha=ha$RO_VNI hb=hb$RO_VNI ip_hb=192.168.$RO_VNI.12
  ns_exec "$run" "$ha" ip neigh replace "$ip_hb" lladdr "$(host_mac 2 $RO_VNI)" dev eth0 nud permanent
  ns_exec "$run" "$hb" ip neigh replace "192.168.$RO_VNI.11" lladdr "$(host_mac 1 $RO_VNI)" dev eth0 nud permanent
  wait_until 10 ns_exec "$run" "$ha" ping -c 1 -W 1 "$ip_hb" || return 1
  before=$(ro_in_echos "$run" "$hb")
  out=$(lab_rundir "$run")/ping-$pair-$n.txt
  # `ip netns exec` execs ping, so the pid is ping's own and SIGINT makes it print its summary.
  ip netns exec "$(lab_ns "$run" "$ha")" ping -i 0.1 -W 1 -w 300 "$ip_hb" >"$out" 2>&1 &
  ping_pid=$!
  # The pings are flowing before the stop: the first reply is in the file.
  wait_until 10 grep -q 'bytes from' "$out" || { kill -INT "$ping_pid"; return 1; }
  stopped=$(date +%s%3N)
  ro_stop_a "$run" || { kill -INT "$ping_pid"; return 1; }
  speaker_start "$run" vtepa >/dev/null || { kill -INT "$ping_pid"; return 1; }
  wait_until 60 speaker_established "$run" vtepa 10.0.0.2 || { kill -INT "$ping_pid"; return 1; }
  up=$(( $(date +%s%3N) - stopped ))
  wait_until 60 ro_converged "$run" || { kill -INT "$ping_pid"; return 1; }
  # The tail after the session is back counts what a late sweep or a late re-install costs.
  wait_until 30 ro_replies_at_least "$out" $(( $(ro_replies "$out") + RO_PINGS_AFTER_UP )) || { kill -INT "$ping_pid"; return 1; }
  kill -INT "$ping_pid"
  wait "$ping_pid"
  arrived=$(( $(ro_in_echos "$run" "$hb") - before ))
  sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$out")
  received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$out")
  [ -n "$sent" ] && [ -n "$received" ] || return 1
  printf '%s %s %s %s %s %s %s\n' "$pair" "$n" $(( sent - arrived )) $(( arrived - received )) \
    $(( (sent - received) * 100 )) "$up" "$sent"
  "$root/interop/topo/leaf-pair" down "$run" >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

lab_log "run $run: pairs $pairs, $runs run(s); load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cpus; conditions $BENCH_CONDITIONS"
IFS=, read -r -a pair_list <<<"$pairs"
samples=$(mktemp)
failures=0
printf '%-12s %4s %6s %6s %8s %8s %6s\n' "A:B" run there back "lost ms" "up ms" sent
for (( r = 1; r <= runs; r++ )); do
  for pair in "${pair_list[@]}"; do
    if line=$(ro_sample "$pair" "$r"); then
      echo "$line" >>"$samples"
      # shellcheck disable=SC2086
      printf '%-12s %4s %6s %6s %8s %8s %6s\n' $line
    else
      failures=$((failures + 1))
      lab_log "$pair run $r did not complete"
      lab_teardown "$run"
    fi
  done
done
echo
echo "medians (restart of A's speaker, 100 ms pings ha$RO_VNI -> hb$RO_VNI); conditions $BENCH_CONDITIONS"
printf '%-12s %6s %6s %8s %8s\n' "A:B" there back "lost ms" "up ms"
for pair in "${pair_list[@]}"; do
  col() { awk -v p="$pair" -v c="$1" '$1 == p { print $c }' "$samples" | median; }
  printf '%-12s %6s %6s %8s %8s\n' "$pair" "$(col 3)" "$(col 4)" "$(col 5)" "$(col 6)"
done
rm -f "$samples"
[ "$failures" -eq 0 ]

# shellcheck shell=bash
# The conditions a benchmark run is measured under. A leftover namespace, routing daemon or netlink listener
# from an earlier run competes for the CPU and the kernel's locks, and it does not cost every receiver the
# same: FRR (two processes handing routes over a socket) loses more to a busy machine than evpnd does. So a
# run refuses to start next to leftovers unless told to, and says the machine's load around every receiver.

# Processes that are routing daemons, lab tools or benchmark peers, by command name or command line.
BENCH_DAEMONS='^(bgpd|zebra|staticd|mgmtd|watchfrr|gobgpd|exabgp|evpnd|evpnctl|evpn-loadgen|evpn-fdbwatch|iperf3?)$'
BENCH_DAEMON_ARGS='(evpnd|evpn-loadgen|evpn-fdbwatch)\.dll|(^|[ /])exabgp( |$)'

# bench_leftover_namespaces: every network namespace there is (a benchmark creates its own and removes them).
bench_leftover_namespaces() {
  ip netns list 2>/dev/null | cut -d' ' -f1
}

# bench_leftover_processes: "pid name" of routing daemons and lab tools not started by this shell.
bench_leftover_processes() {
  local p comm args
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = "$$" ] && continue
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    # A process may end between the listing and the read; its redirection error is not a finding.
    args=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null)
    if [[ $comm =~ $BENCH_DAEMONS ]] || [[ $args =~ $BENCH_DAEMON_ARGS ]]; then
      printf '%s %s\n' "$p" "${args:-$comm}"
    fi
  done
}

# bench_netlink_listeners: "pid name groups" of rtnetlink sockets in this namespace that subscribed to
# multicast groups (link, neighbour, route notifications), read from /proc/net/netlink and matched to their
# owners through /proc/PID/fd. Each such listener is woken for every FDB entry a benchmark writes.
bench_netlink_listeners() {
  local inodes fd inode pid
  inodes=$(awk 'NR > 1 && $2 == 0 && $4 != "00000000" { print $10 " " $4 }' /proc/net/netlink)
  [ -n "$inodes" ] || return 0
  for fd in /proc/[0-9]*/fd/*; do
    inode=$(readlink "$fd" 2>/dev/null) || continue
    [[ $inode == socket:\[*\] ]] || continue
    inode=${inode#socket:[}; inode=${inode%]}
    while read -r i groups; do
      if [ "$i" = "$inode" ]; then
        pid=${fd#/proc/}; pid=${pid%%/*}
        printf '%s %s groups=%s\n' "$pid" "$(cat "/proc/$pid/comm" 2>/dev/null)" "$groups"
      fi
    done <<<"$inodes"
  done | sort -u
}

# bench_leftovers: one line per leftover (namespace, process, netlink listener); nothing when clean.
bench_leftovers() {
  local line
  while read -r line; do [ -n "$line" ] && printf 'namespace %s\n' "$line"; done < <(bench_leftover_namespaces)
  while read -r line; do [ -n "$line" ] && printf 'process %s\n' "$line"; done < <(bench_leftover_processes)
  while read -r line; do [ -n "$line" ] && printf 'netlink listener %s\n' "$line"; done < <(bench_netlink_listeners)
}

# bench_check_conditions ALLOW_DIRTY: refuses (exit 3) when leftovers exist, unless ALLOW_DIRTY=1, in which
# case it sets BENCH_CONDITIONS to "dirty" for the output to carry. Sets BENCH_CONDITIONS=clean otherwise.
bench_check_conditions() {
  local allow=$1 found
  found=$(bench_leftovers)
  if [ -z "$found" ]; then
    BENCH_CONDITIONS=clean
    return 0
  fi
  printf '[bench] not a clean machine; what an earlier run or another program left:\n' >&2
  sed 's/^/[bench]   /' <<<"$found" >&2
  if [ "$allow" != 1 ]; then
    printf '[bench] refusing to measure: remove these (interop/lab down --all, kill the processes) or pass --allow-dirty\n' >&2
    exit 3
  fi
  BENCH_CONDITIONS=dirty
  printf '[bench] measuring anyway (--allow-dirty): every figure of this run is marked dirty\n' >&2
}

# bench_load: the 1-minute load average.
bench_load() {
  cut -d' ' -f1 /proc/loadavg
}

# bench_cpu_busy: the percentage of all CPUs busy over the next second (/proc/stat). Taken between two
# receivers, when the benchmark itself is idle, it is what everything else on the machine costs; the load
# average cannot say that, since it still carries the previous receiver's own minute.
bench_cpu_busy() {
  local a b
  a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    n = split(a, x, " "); split(b, y, " ")
    for (i = 2; i <= n; i++) { d = y[i] - x[i]; total += d; if (i == 5 || i == 6) idle += d }
    printf "%.0f", (total > 0 ? 100 * (total - idle) / total : 0)
  }'
}

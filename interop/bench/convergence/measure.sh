# shellcheck shell=bash
# One measurement of the convergence benchmark (one receiver, one load, one run) and the summary table.
# The generator runs as a coprocess in namespace "gen" and takes commands on stdin (announce, move,
# withdraw, quit); each answers one key=value line with the time of its first UPDATE (Unix ns).

# cv_kv LINE KEY: the value of KEY in a key=value line.
cv_kv() { sed -n "s/.*\<$2=\([^ ]*\).*/\1/p" <<<"$1"; }

# FDB convergence is timed by evpn-fdbwatch (interop/bench/fdbwatch), started in the receiver's namespace
# before the receiver: it follows the FDB through netlink notifications and answers an armed `expect` with
# the Unix ns of the notification that met it, so the FDB times carry no poll interval.

# cv_fdb_watch_start RUN NODE: starts the watcher, talking over two FIFOs in the node's directory (FW_IN, FW_OUT).
cv_fdb_watch_start() {
  local dir line
  dir=$(lab_dir "$1" "$2")
  mkfifo "$dir/fdbwatch.in" "$dir/fdbwatch.out"
  ns_exec "$1" "$2" dotnet "$FDBWATCH_DLL" <"$dir/fdbwatch.in" >"$dir/fdbwatch.out" 2>"$dir/fdbwatch.err" &
  CV_FW_PID=$!
  exec {FW_IN}>"$dir/fdbwatch.in" {FW_OUT}<"$dir/fdbwatch.out"
  read -r -t 30 -u "$FW_OUT" line && [[ $line == event=ready* ]] || lab_die "evpn-fdbwatch did not start: $(cat "$dir/fdbwatch.err")"
}

cv_fdb_watch_stop() {
  [ -n "${CV_FW_PID:-}" ] || return 0
  printf 'quit\n' >&"$FW_IN" 2>/dev/null
  exec {FW_IN}>&- {FW_OUT}<&-
  wait_until 10 bash -c "! kill -0 $CV_FW_PID 2>/dev/null" || kill "$CV_FW_PID" 2>/dev/null
  wait "$CV_FW_PID" 2>/dev/null
  CV_FW_PID=""
}

# cv_fdb_expect TARGET [VTEP]: arms the watcher; call it before the generator command whose effect it times.
cv_fdb_expect() {
  [ "$1" = - ] || printf 'expect %s %s\n' "$1" "${2:-}" >&"$FW_IN" || { lab_log "evpn-fdbwatch does not take commands (exited?)"; return 1; }
}

# cv_fdb_count [VTEP]: the watcher's current count of remote MACs (toward VTEP).
cv_fdb_count() {
  local line
  printf 'count %s\n' "${1:-}" >&"$FW_IN" || return 1
  while read -r -t 5 -u "$FW_OUT" line; do
    [[ $line == event=count* ]] && { cv_kv "$line" count; return 0; }
  done
  return 1
}

# cv_rib_poll_start RUN NODE KIND: runs cv_rib_feed in the background, each count stamped with the Unix time
# (µs) it came in, into a FIFO read through RP_OUT. The feed gets a process group of its own (job control on
# for the launch only), so that stopping it is one signal: walking its process tree with pgrep scans /proc
# several times, CPU taken from the receiver in the middle of an FDB measurement.
cv_rib_poll_start() {
  local dir
  dir=$(lab_dir "$1" "$2")
  rm -f "$dir/ribpoll.out"
  mkfifo "$dir/ribpoll.out"
  set -m
  ( cv_rib_feed "$3" "$1" "$2" | while read -r c; do printf '%s %s\n' "$c" "${EPOCHREALTIME/./}"; done ) \
    >"$dir/ribpoll.out" 2>/dev/null &
  CV_RP_PID=$!
  set +m
  exec {RP_OUT}<"$dir/ribpoll.out"
}

# cv_rib_poll_kill: signals the feed's process group and nothing else (safe in a trap, where the teardown
# calls it).
cv_rib_poll_kill() { [ -z "${CV_RP_PID:-}" ] || kill -- "-$CV_RP_PID" 2>/dev/null; }

# cv_rib_poll_stop: signals the feed's process group (SIGPIPE is ignored in the harness, so its clients would
# not die of the closed FIFO).
cv_rib_poll_stop() {
  [ -n "${CV_RP_PID:-}" ] || return 0
  cv_rib_poll_kill
  exec {RP_OUT}<&-
  wait "$CV_RP_PID" 2>/dev/null
  CV_RP_PID=""
}

# cv_wait RUN NODE KIND TIMEOUT RIB_TARGET FDB_TARGET [FDB_VTEP]: waits until the receiver's RIB count is RIB_TARGET
# (polled by cv_rib_feed) and (FDB_TARGET not "-", armed with cv_fdb_expect) the watcher reports the FDB target met.
# Sets CV_RIB_NS and CV_FDB_NS to the Unix ns of the first RIB count that met its target and of the notification
# that met the FDB's (empty: not reached).
cv_wait() {
  local run=$1 node=$2 kind=$3 timeout=$4 rib_target=$5 fdb_target=$6 vtep=${7:-} deadline c at line ok=0
  CV_RIB_NS="" CV_FDB_NS=""
  [ "$rib_target" = - ] && CV_RIB_NS=0
  [ "$fdb_target" = - ] && CV_FDB_NS=0
  [ -z "$CV_RIB_NS" ] && cv_rib_poll_start "$run" "$node" "$kind"
  # Times come from bash's clock variable, not from `date`: the loop runs every CV_POLL seconds beside the
  # receiver it times, and starts no process per round.
  deadline=$(( ${EPOCHREALTIME/./} + timeout * 1000000 ))
  while :; do
    # `read -t 0` only asks whether a line has begun; both writers write whole lines, so the read that
    # follows does not wait, and a timeout can never cut a line in two.
    while [ -z "$CV_RIB_NS" ] && read -r -t 0 -u "$RP_OUT" && read -r -u "$RP_OUT" c at; do
      [ "$c" = "$rib_target" ] && { CV_RIB_NS=$(( at * 1000 )); cv_rib_poll_stop; }
    done
    if [ -z "$CV_FDB_NS" ] && read -r -t 0 -u "$FW_OUT"; then
      read -r -u "$FW_OUT" line || { lab_log "$kind: evpn-fdbwatch ended: $(tail -n 3 "$(lab_dir "$run" "$node")/fdbwatch.err" | tr '\n' ' ')"; break; }
      [[ $line == event=reached* ]] && CV_FDB_NS=$(cv_kv "$line" at_ns)
      continue
    fi
    if [ -n "$CV_RIB_NS" ] && [ -n "$CV_FDB_NS" ]; then
      ok=1
      break
    fi
    if (( ${EPOCHREALTIME/./} >= deadline )); then
      lab_log "$kind: timed out after ${timeout}s (rib $(cv_rib_count "$kind" "$run" "$node")/$rib_target, fdb $( [ "$fdb_target" = - ] && echo - || cv_fdb_count "$vtep")/$fdb_target)"
      [ "$fdb_target" = - ] || lab_log "evpn-fdbwatch: $(tail -n 5 "$(lab_dir "$run" "$node")/fdbwatch.err" | tr '\n' ' ')"
      break
    fi
    # A read that times out on a pipe nobody writes: a pause without a sleep process per poll.
    read -r -t "$CV_POLL" -u "$CV_PAUSE" _
  done
  cv_rib_poll_stop
  [ "$ok" = 1 ]
}

# cv_phase_cpu START ANNOUNCED MOVED WITHDRAWN: the CPU seconds of each phase, "announce,move,withdraw", from the
# receiver's totals at their ends (MOVED empty: no move phase, its column empty).
cv_phase_cpu() {
  awk -v s="$1" -v a="$2" -v m="$3" -v w="$4" 'BEGIN {
    if (m == "") printf "%.2f,,%.2f\n", a - s, w - a
    else printf "%.2f,%.2f,%.2f\n", a - s, m - a, w - m }'
}

# cv_no_link RUN NODE IF: true when NODE has no link IF.
cv_no_link() { ! ip -n "$(lab_ns "$1" "$2")" link show "$3" >/dev/null 2>&1; }

# cv_rib_is KIND RUN NODE COUNT: true when the receiver's RIB count is COUNT.
cv_rib_is() { [ "$(cv_rib_count "$1" "$2" "$3")" = "$4" ]; }

# cv_ms FROM_NS TO_NS: milliseconds between two Unix ns times ("" when TO is unset, "" for 0).
cv_ms() { [ -n "$2" ] && [ "$2" != 0 ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) / 1e6 }'; }

CV_PERF=${CV_PERF:-} CV_PERF_CTL=""
CV_PERF_CMD=()

# cv_perf_setup KIND N RUN_NUMBER DIR: with --perf, sets CV_PERF_CMD to the perf record that evpnd runs under
# (sampling off until cv_perf_phase turns it on) and CV_PERF_CTL to its control FIFO; otherwise empties both.
cv_perf_setup() {
  CV_PERF_CMD=() CV_PERF_CTL=""
  [ -n "$CV_PERF" ] && [[ $1 == evpnd-* ]] || return 0
  mkfifo "$4/perf.ctl" "$4/perf.ack"
  CV_PERF_CTL=$4/perf.ctl
  CV_PERF_CMD=(perf record -q -F 2000 -g -D -1 --control "fifo:$4/perf.ctl,$4/perf.ack" -o "$CV_ARTIFACTS/perf-$1-$CV_UNDERLAY-$2-run$3.data" --)
}

# cv_perf_phase COMMAND: with --perf, turns sampling on for the generator command that starts the profiled
# phase and off for the next one.
cv_perf_phase() {
  [ -n "$CV_PERF_CTL" ] || return 0
  local state=disable
  [ "$1" = "$CV_PERF" ] && state=enable
  printf '%s\n' "$state" >"$CV_PERF_CTL" && read -r -t 5 _ <"${CV_PERF_CTL%.ctl}.ack"
}

# cv_gen_cmd COMMAND TIMEOUT: sends one command to the generator and reads its answer into CV_GEN_LINE.
cv_gen_cmd() {
  cv_perf_phase "$1"
  [ -n "${GEN[1]:-}" ] && printf '%s\n' "$1" >&"${GEN[1]}" || { lab_log "generator: cannot send '$1' (exited?)"; return 1; }
}
cv_gen_read() {
  CV_GEN_LINE=""
  [ -n "${GEN[0]:-}" ] && read -r -t "$1" CV_GEN_LINE <&"${GEN[0]}" || { lab_log "generator: no answer within $1 s (exited?)"; return 1; }
  [[ $CV_GEN_LINE == event=error* ]] && { lab_log "generator: $CV_GEN_LINE"; return 1; }
  return 0
}

# cv_measure RUN KIND N RUN_NUMBER TIMEOUT: one measurement on the underlay cv_underlay chose; prints its CSV line;
# fails when a phase did not converge. The receiver's namespace is created fresh and deleted afterwards.
cv_measure() {
  local run=$1 kind=$2 n=$3 r=$4 timeout=$5 node=rx dir ns type3 moved fdb="-" ok=1
  local gen_pid rib_ms="" fdb_ms="" move_ms="" wrib_ms="" wfdb_ms="" send_ms="" first usage announce_rss="" move_rss=""
  local cpu_start="" cpu_announce="" cpu_move="" cpu_phase=",,"
  local load_before load_after busy_before
  load_before=$(bench_load); busy_before=$(bench_cpu_busy)
  ns_create "$run" "$node"; dir=$(lab_dir "$run" "$node"); ns=$(lab_ns "$run" "$node")
  # The previous measurement's veth end in gen may outlive its namespace for a moment (the kernel
  # removes a namespace's devices asynchronously): make sure it is gone.
  ip -n "$(lab_ns "$run" gen)" link del g0 2>/dev/null
  wait_until 10 cv_no_link "$run" gen g0 || lab_die "gen/g0 of the previous measurement does not go away"
  link_veth "$run" gen g0 - "$node" r0 -
  # nodad: an IPv6 address is usable at once (duplicate address detection would hold it for a second).
  local nodad=(); [ "$CV_UNDERLAY" = ipv6 ] && nodad=(nodad)
  ip -n "$(lab_ns "$run" gen)" addr add "$CV_GEN_IP/$CV_PLEN" dev g0 "${nodad[@]}"
  ip -n "$ns" addr add "$CV_RX_IP/$CV_PLEN" dev r0 "${nodad[@]}"
  # The generated VTEPs are reachable through the generator: FRR treats an EVPN route whose next hop it
  # cannot resolve as invalid and installs nothing for it.
  ip -n "$ns" route add "$CV_VTEP_NET" via "$CV_GEN_IP"
  if cv_has_kernel "$kind"; then
    cv_vnis_batch "$CV_FIRST_VNI" "$CV_VNIS" "$CV_RX_IP" | ip -n "$ns" -batch - || lab_die "creating VXLAN devices failed"
  fi
  cv_has_kernel "$kind" && cv_fdb_watch_start "$run" "$node"
  cv_perf_setup "$kind" "$n" "$r" "$dir"
  cv_rx_start "$kind" "$run" "$node"
  # The kernel limit writes the generator's load itself, in the receiver's namespace; the others get it over BGP.
  if [ "$kind" = limit ]; then
    coproc GEN { ns_exec "$run" "$node" dotnet "$LIMIT_DLL" --routes "$n" --vnis "$CV_VNIS" --first-vni "$CV_FIRST_VNI" \
      --vteps "$CV_VTEPS" --first-vtep "$CV_FIRST_VTEP" --seed "$r" 2>"$dir/loadgen.err"; }
  else
    coproc GEN { ns_exec "$run" gen dotnet "$LOADGEN_DLL" --peer "$CV_RX_IP" --local-as "$CV_GEN_ASN" \
      --router-id "$CV_GEN_ID" --rt-as "$CV_RX_ASN" --routes "$n" --vnis "$CV_VNIS" --first-vni "$CV_FIRST_VNI" \
      --vteps "$CV_VTEPS" --first-vtep "$CV_FIRST_VTEP" --seed "$r" 2>"$dir/loadgen.err"; }
  fi
  gen_pid=$GEN_PID
  if ! cv_gen_read 90 || [[ $CV_GEN_LINE != event=established* ]]; then
    lab_log "$kind: no session with the generator: ${CV_GEN_LINE:-$(tail -n 3 "$dir/loadgen.err")}"
    ok=0
  fi
  type3=$(( CV_VNIS * CV_VTEPS )); moved=$(awk -v n="$n" 'BEGIN { printf "%.0f", n * 0.1 }')
  local rib=$(( n + type3 )) rib_empty=0
  cv_has_rib "$kind" || { rib=-; rib_empty=-; }
  cv_has_kernel "$kind" && fdb=$n
  # The receiver's CPU seconds at each phase's start and end (cv_phase_cpu), read while it is idle.
  [ "$ok" = 1 ] && { cpu_start=$(cv_usage "$kind" "$run" "$node"); cpu_start=${cpu_start#* }; }
  # Announce: every type-2 and type-3 route in the RIB, every MAC in the FDB.
  if [ "$ok" = 1 ] && cv_fdb_expect "$fdb" && cv_gen_cmd announce && cv_wait "$run" "$node" "$kind" "$timeout" "$rib" "$fdb" \
      && cv_gen_read 30; then
    first=$(cv_kv "$CV_GEN_LINE" first_update_ns); send_ms=$(cv_kv "$CV_GEN_LINE" send_ms)
    rib_ms=$(cv_ms "$first" "$CV_RIB_NS"); fdb_ms=$(cv_ms "$first" "$CV_FDB_NS")
    # The peak so far: the table load's own, apart from what the move and the withdraw-all add.
    announce_rss=$(cv_usage "$kind" "$run" "$node"); cpu_announce=${announce_rss#* }; announce_rss=${announce_rss% *}
  else
    ok=0
  fi
  # Move (kernel receivers): the moved MACs point at the move VTEP in the FDB.
  if [ "$ok" = 1 ] && cv_has_kernel "$kind"; then
    local move_vtep
    move_vtep=$(cv_vtep "$CV_VTEPS")
    if cv_fdb_expect "$moved" "$move_vtep" && cv_gen_cmd move && cv_wait "$run" "$node" "$kind" "$timeout" - "$moved" "$move_vtep" \
        && cv_gen_read 30; then
      move_ms=$(cv_ms "$(cv_kv "$CV_GEN_LINE" first_update_ns)" "$CV_FDB_NS")
      cv_has_rib "$kind" && { wait_until "$timeout" cv_rib_is "$kind" "$run" "$node" "$rib" || ok=0; }
      move_rss=$(cv_usage "$kind" "$run" "$node"); cpu_move=${move_rss#* }; move_rss=${move_rss% *}
    else
      ok=0
    fi
  fi
  # Withdraw all: RIB and FDB empty.
  if [ "$ok" = 1 ] && cv_fdb_expect "${fdb/#[0-9]*/0}" && cv_gen_cmd withdraw \
      && cv_wait "$run" "$node" "$kind" "$timeout" "$rib_empty" "${fdb/#[0-9]*/0}" \
      && cv_gen_read 30; then
    first=$(cv_kv "$CV_GEN_LINE" first_update_ns)
    wrib_ms=$(cv_ms "$first" "$CV_RIB_NS"); wfdb_ms=$(cv_ms "$first" "$CV_FDB_NS")
  else
    ok=0
  fi
  usage=$(cv_usage "$kind" "$run" "$node")
  [ "$ok" = 1 ] && cpu_phase=$(cv_phase_cpu "$cpu_start" "$cpu_announce" "$cpu_move" "${usage#* }")
  cv_fdb_watch_stop
  cv_gen_cmd quit 2>/dev/null
  wait_until 10 bash -c "! kill -0 $gen_pid 2>/dev/null" || kill "$gen_pid" 2>/dev/null
  wait "$gen_pid" 2>/dev/null
  if [ "$ok" != 1 ]; then
    # The node's folder goes with its namespace below: what it logged is kept beside the CSV.
    local kept="$CV_ARTIFACTS/failed-$kind-$CV_UNDERLAY-$n-run$r-$(date -u +%H%M%S)"
    cp -r "$dir" "$kept" 2>/dev/null
    lab_log "$kind: logs kept in $kept"
    tail -n 5 "$dir/loadgen.err" >&2
  fi
  ip -n "$(lab_ns "$run" gen)" link del g0 2>/dev/null
  ns_delete "$ns"; rm -rf "$dir"
  load_after=$(bench_load)
  lab_log "load $n run $r $kind ($CV_UNDERLAY): load average $load_before -> $load_after, ${busy_before}% CPU busy before; converged=$ok rib ${rib_ms:-?} ms fdb ${fdb_ms:--} ms move ${move_ms:--} ms withdraw ${wrib_ms:-?}/${wfdb_ms:--} ms send ${send_ms:-?} ms rss/cpu $usage (peak RSS KiB after the announce ${announce_rss:-?}, after the move ${move_rss:--}); CPU s announce,move,withdraw $cpu_phase"
  echo "$n,$r,$kind,$ok,$rib_ms,$fdb_ms,$move_ms,$wrib_ms,$wfdb_ms,$send_ms,${usage% *},${usage#* },$load_before,$load_after,$busy_before,$BENCH_CONDITIONS,$CV_UNDERLAY,$cpu_phase"
  [ "$ok" = 1 ]
}

# cv_table CSV: medians per load, receiver and underlay (converged measurements only), then the ratios evpnd/FRR and
# evpnd/GoBGP (IPv4 underlay), then IPv6/IPv4 per receiver when both underlays were measured. A CSV without the
# underlay column (older runs) is all IPv4.
cv_table() {
  awk -F, '
    function median(key, col,   n, i, j, t, v) {
      n = 0
      for (i = 1; i <= cnt[key]; i++) { v = val[key, i, col]; if (v != "") a[++n] = v + 0 }
      if (n == 0) return ""
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function show(v, unit) { return v == "" ? "-" : sprintf("%.0f%s", v, unit) }
    function cpu(v) { return v == "" ? "-" : sprintf("%.2f", v) }
    function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    NR == 1 { next }
    {
      u = ($17 == "") ? "ipv4" : $17
      key = $1 SUBSEP $3 SUBSEP u
      if (!(key in cnt)) { keys[++nk] = key; if (!($1 in seen)) { seen[$1] = 1; loads[++nl] = $1 } }
      if (u == "ipv6") v6 = 1
      cnt[key]++; ok[key] += $4
      # Medians are over the measurements that converged: a failed one has no times and a truncated RSS.
      for (c = 5; c <= 20; c++) val[key, cnt[key], c] = ($4 == 1) ? $c : ""
      total++; if ($15 > 10) busy++; if ($16 != "clean") dirty++
    }
    END {
      printf "\n| load | receiver | runs ok | RIB ms | FDB ms | move 10%% ms | withdraw RIB ms | withdraw FDB ms | generator send ms | peak RSS MiB | CPU s | underlay |\n"
      printf "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
      for (k = 1; k <= nk; k++) {
        split(keys[k], p, SUBSEP)
        for (c = 5; c <= 12; c++) m[keys[k], c] = median(keys[k], c)
        printf "| %s | %s | %d/%d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p[1], p[2], ok[keys[k]], cnt[keys[k]],
          show(m[keys[k], 5], ""), show(m[keys[k], 6], ""), show(m[keys[k], 7], ""), show(m[keys[k], 8], ""),
          show(m[keys[k], 9], ""), show(m[keys[k], 10], ""), show(m[keys[k], 11] / 1024, ""), (m[keys[k], 12] == "" ? "-" : sprintf("%.1f", m[keys[k], 12])), p[3]
      }
      printf "\n| load | receiver | CPU s announce | CPU s move | CPU s withdraw-all | underlay |\n|---:|---|---:|---:|---:|---|\n"
      for (k = 1; k <= nk; k++) {
        split(keys[k], p, SUBSEP)
        for (c = 18; c <= 20; c++) m[keys[k], c] = median(keys[k], c)
        printf "| %s | %s | %s | %s | %s | %s |\n", p[1], p[2], cpu(m[keys[k], 18]), cpu(m[keys[k], 19]), cpu(m[keys[k], 20]), p[3]
      }
      printf "\n| load | evpnd/limit FDB time | evpnd/FRR FDB time | evpnd/limit withdraw FDB | evpnd/FRR withdraw FDB | evpnd/FRR peak RSS | evpnd/GoBGP RIB time | evpnd-memory/GoBGP RIB time |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      for (l = 1; l <= nl; l++) {
        L = loads[l]; e = L SUBSEP "evpnd-linux" SUBSEP "ipv4"; f = L SUBSEP "frr" SUBSEP "ipv4"; g = L SUBSEP "gobgp" SUBSEP "ipv4"
        em = L SUBSEP "evpnd-memory" SUBSEP "ipv4"; k = L SUBSEP "limit" SUBSEP "ipv4"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", L, ratio(m[e, 6], m[k, 6]), ratio(m[e, 6], m[f, 6]),
          ratio(m[e, 9], m[k, 9]), ratio(m[e, 9], m[f, 9]), ratio(m[e, 11], m[f, 11]), ratio(m[e, 5], m[g, 5]), ratio(m[em, 5], m[g, 5])
      }
      if (v6) {
        printf "\n| load | receiver | IPv6/IPv4 RIB time | IPv6/IPv4 FDB time | IPv6/IPv4 move | IPv6/IPv4 withdraw FDB | IPv6/IPv4 peak RSS |\n|---:|---|---:|---:|---:|---:|---:|\n"
        for (k = 1; k <= nk; k++) {
          split(keys[k], p, SUBSEP)
          if (p[3] != "ipv6") continue
          four = p[1] SUBSEP p[2] SUBSEP "ipv4"
          if (!(four in cnt)) continue
          printf "| %s | %s | %s | %s | %s | %s | %s |\n", p[1], p[2], ratio(m[keys[k], 5], m[four, 5]), ratio(m[keys[k], 6], m[four, 6]),
            ratio(m[keys[k], 7], m[four, 7]), ratio(m[keys[k], 9], m[four, 9]), ratio(m[keys[k], 11], m[four, 11])
        }
      }
      if (v6) print "\nIPv6/IPv4 below 1: faster on the IPv6 underlay"
      print "\nratios below 1 favour evpnd (against the limit they cannot go below 1); times from the first UPDATE the generator wrote (for the limit: its first netlink request): RIB to the end of the first poll that saw the target, FDB to the netlink notification that completed it"
      if (dirty + busy == 0) printf "conditions: clean machine, at most 10%% of the CPUs busy in the second before each measurement\n"
      else printf "conditions: NOT IDLE: %d of %d measurements next to leftovers, %d began with over 10%% of the CPUs busy; do not quote these figures\n", dirty, total, busy
    }' "$1"
}

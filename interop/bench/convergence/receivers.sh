# shellcheck shell=bash
# The receivers of the convergence benchmark: one per namespace, each peering eBGP (AS 65001, address
# 10.99.0.1) with the load generator (AS 65100, 10.99.0.2); on an IPv6 underlay the session, the receiver's VTEP
# and the generated VTEPs are IPv6 (cv_underlay). Per receiver kind: start, RIB count, processes (for RSS and
# CPU). Uses the lab library (interop/lib/lab.sh) for namespaces, FRR and GoBGP.

CV_RX_ASN=65001
CV_RX_ID=10.99.0.1
CV_GEN_ASN=65100
CV_GEN_ID=10.99.0.2

# cv_underlay ipv4|ipv6: the addresses of the measurements that follow: the session's (receiver CV_RX_IP, generator
# CV_GEN_IP, prefix length CV_PLEN; the receiver's VTEP is CV_RX_IP too) and the generated VTEPs' (CV_VTEP_NET, from
# CV_FIRST_VTEP). Router-ids stay IPv4.
cv_underlay() {
  CV_UNDERLAY=$1
  if [ "$1" = ipv6 ]; then
    CV_RX_IP=2001:db8:99::1 CV_GEN_IP=2001:db8:99::2 CV_PLEN=64 CV_VTEP_NET=2001:db8:200::/64 CV_FIRST_VTEP=2001:db8:200::1
  else
    CV_RX_IP=10.99.0.1 CV_GEN_IP=10.99.0.2 CV_PLEN=24 CV_VTEP_NET=10.200.0.0/16 CV_FIRST_VTEP=10.200.0.1
  fi
}
cv_underlay ipv4

# cv_vtep INDEX: the generated VTEP number INDEX (from 0), as evpn-loadgen numbers them (in the last bits: hex in IPv6).
cv_vtep() {
  if [ "$CV_UNDERLAY" = ipv6 ]; then printf '2001:db8:200::%x' $(( 1 + $1 )); else printf '10.200.0.%d' $(( 1 + $1 )); fi
}

# cv_on_underlay KIND UNDERLAY: whether the receiver is measured on that underlay. FRR 8.4 has no IPv6 VTEPs; the
# IPv6 underlay compares evpnd and the kernel's limit with themselves on IPv4.
cv_on_underlay() { [ "$2" = ipv4 ] || [[ $1 == evpnd-* ]] || [ "$1" = limit ]; }

# cv_vnis_batch NS FIRST_VNI COUNT LOCAL_IP: ip -batch text creating brN + vxlanN (nolearning) per VNI,
# the layout FRR's zebra and evpnd discover (as vtep_add_vni, in one ip process: 100 VNIs in well under 1 s).
cv_vnis_batch() {
  local first=$1 count=$2 ip=$3 v
  for (( v = first; v < first + count; v++ )); do
    printf 'link add br%s type bridge\nlink set br%s addrgenmode none\n' "$v" "$v"
    printf 'link add vxlan%s type vxlan id %s local %s dstport 4789 nolearning\n' "$v" "$v" "$ip"
    printf 'link set vxlan%s addrgenmode none\nlink set vxlan%s master br%s\n' "$v" "$v" "$v"
    printf 'link set vxlan%s type bridge_slave learning off\n' "$v"
    printf 'link set vxlan%s up\nlink set br%s up\n' "$v" "$v"
  done
}

# cv_evpnd_config DIR KIND FIRST_VNI COUNT: evpnd's YAML (kind linux or memory). Logging at warning: a log
# line per route would measure the logger. The memory data plane has no kernel to discover VNIs from, so
# they are listed.
cv_evpnd_config() {
  local dir=$1 kind=$2 first=$3 count=$4 v
  {
    printf 'router:\n  asn: %s\n  router-id: %s\n  local-vtep: %s\n' "$CV_RX_ASN" "$CV_RX_ID" "$CV_RX_IP"
    printf 'neighbors:\n  - address: %s\n    remote-as: %s\n    passive: true\n' "$CV_GEN_IP" "$CV_GEN_ASN"
    printf '    timers:\n      hold-time: 180\n      keepalive: 60\n'
    printf 'evpn:\n  advertise-all-vni: true\n'
    if [ "$kind" = memory ]; then
      printf '  vnis:\n'
      for (( v = first; v < first + count; v++ )); do printf '    - vni: %s\n' "$v"; done
    fi
    printf 'data-plane:\n  kind: %s\n' "$kind"
    printf 'management:\n  socket: %s/evpnd.sock\n' "$dir"
    printf 'metrics:\n  enabled: false\n'
    printf 'logging:\n  level: warning\n'
  } >"$dir/evpnd.yaml"
}

# cv_rx_start KIND RUN NODE: starts the receiver in its namespace and waits until it answers.
cv_rx_start() {
  local kind=$1 run=$2 node=$3 dir
  dir=$(lab_dir "$run" "$node")
  case $kind in
    evpnd-linux|evpnd-memory)
      mkdir -p "$dir/evpnd"
      cv_evpnd_config "$dir/evpnd" "${kind#evpnd-}" "$CV_FIRST_VNI" "$CV_VNIS"
      ns_exec "$run" "$node" env "${EVPND_RUNTIME_ENV[@]}" "${CV_PERF_CMD[@]}" "${EVPND_CMD[@]}" --config "$dir/evpnd/evpnd.yaml" </dev/null >"$dir/evpnd/evpnd.log" 2>&1 &
      wait_until 60 cv_evpnd_get "$run" "$node" /v1/summary \
        || { tail -n 30 "$dir/evpnd/evpnd.log" >&2; lab_die "evpnd ($kind) did not answer on its socket"; } ;;
    frr)
      frr_write_config "$run" "$node" "$(frr_evpn_leaf_config "$CV_RX_ASN" "$CV_RX_ID" "$CV_GEN_IP:$CV_GEN_ASN")"
      frr_start "$run" "$node" ;;
    gobgp)
      gobgp_write_config "$run" "$node" "$CV_RX_ASN" "$CV_RX_ID" "$CV_GEN_IP:$CV_GEN_ASN"
      gobgp_start "$run" "$node" ;;
    limit) ;;  # the writer is the generator (cv_gen_start): there is no session
    *) lab_die "unknown receiver '$kind' (limit, evpnd-linux, evpnd-memory, frr, gobgp)" ;;
  esac
}

cv_evpnd_get() {
  ns_exec "$1" "$2" curl -sf --max-time 5 --unix-socket "$(lab_dir "$1" "$2")/evpnd/evpnd.sock" "http://evpnd$3"
}

# cv_rib_count KIND RUN NODE: EVPN routes received from the generator and accepted, per the receiver.
cv_rib_count() {
  local kind=$1 run=$2 node=$3 out
  case $kind in
    evpnd-*)
      out=$(cv_evpnd_get "$run" "$node" /v1/summary) || { echo -1; return; }
      jq -r --arg p "$CV_GEN_IP" '[.peers[]? | select(.neighbor == $p) | .pfxRcd] | first // -1' <<<"$out" ;;
    frr)
      out=$(frr_vtysh "$run" "$node" "show bgp l2vpn evpn summary json" 2>/dev/null) || { echo -1; return; }
      jq -r --arg p "$CV_GEN_IP" '.peers[$p].pfxRcd // -1' <<<"$out" ;;
    gobgp)
      out=$(gobgp_cli "$run" "$node" neighbor "$CV_GEN_IP" -j 2>/dev/null) || { echo -1; return; }
      jq -r '[.afi_safis[]?.state.received // 0] | add // -1' <<<"$out" ;;
  esac
}

# cv_rib_feed KIND RUN NODE: writes the receiver's RIB count (as cv_rib_count) every CV_POLL seconds, a line
# each, until killed. One long-lived client per receiver: client processes per poll (ip netns exec, curl or
# vtysh, jq) would take a large share of the CPU the receiver runs on at a 50 ms poll. evpnd: one curl over
# its Unix socket (reachable from any network namespace) with --rate, its
# documents parsed as one stream by one jq; FRR: one vtysh session taking a command per poll on stdin (its
# banner and prompts are dropped: a JSON document runs from a line starting with "{" to one starting with
# "}"); GoBGP: the gobgp CLI per poll.
cv_rib_feed() {
  local kind=$1 run=$2 node=$3 rate
  case $kind in
    evpnd-*)
      rate=$(awk -v p="$CV_POLL" 'BEGIN { printf "%d", 1 / p + 0.5 }')
      curl -sN --rate "$rate/s" -w '\n' --unix-socket "$(lab_dir "$run" "$node")/evpnd/evpnd.sock" \
          "http://evpnd/v1/summary?poll=[1-100000000]" \
        | jq --unbuffered -r --arg p "$CV_GEN_IP" '[.peers[]? | select(.neighbor == $p) | .pfxRcd] | first // -1' ;;
    frr)
      while printf 'show bgp l2vpn evpn summary json\n'; do sleep "$CV_POLL"; done \
        | stdbuf -oL vtysh --vty_socket "$(frr_dir "$run" "$node")" 2>/dev/null \
        | awk '/^\{/ { doc = "" } { doc = doc $0 } /^\}/ { print doc; fflush() }' \
        | jq -R --unbuffered -r --arg p "$CV_GEN_IP" 'fromjson? | .peers[$p].pfxRcd // -1' ;;
    gobgp)
      while :; do cv_rib_count "$kind" "$run" "$node"; sleep "$CV_POLL"; done ;;
  esac
}

# cv_has_kernel KIND: true for the receivers that program the kernel FDB.
cv_has_kernel() { [ "$1" = evpnd-linux ] || [ "$1" = frr ] || [ "$1" = limit ]; }

# cv_has_rib KIND: true for the receivers with a BGP RIB to count (all but the kernel limit).
cv_has_rib() { [ "$1" != limit ]; }

# cv_usage KIND RUN NODE: "PEAK_RSS_KB CPU_SECONDS" summed over the receiver's processes in its namespace
# (VmHWM; utime + stime): evpnd's process for evpnd (the native binary, or the dotnet process told by its command
# line: evpn-fdbwatch, which times the FDB in the same namespace, is a dotnet process too), bgpd + zebra for FRR, gobgpd for GoBGP.
# The CLI tools the harness runs in the namespace are short-lived and not counted.
cv_usage() {
  local kind=$1 names pid rss=0 ticks=0 hz h t comm
  case $kind in evpnd-*) names=" dotnet evpnd " ;; limit) names=" dotnet " ;; frr) names=" bgpd zebra " ;; gobgp) names=" gobgpd " ;; esac
  hz=$(getconf CLK_TCK)
  for pid in $(ip netns pids "$(lab_ns "$2" "$3")" 2>/dev/null); do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    [[ $names == *" $comm "* ]] || continue
    if [[ $kind == evpnd-* ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "${EVPND_CMD[-1]}"; then
      continue
    fi
    if [ "$kind" = limit ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LIMIT_DLL"; then
      continue
    fi
    h=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null)
    rss=$(( rss + ${h:-0} )); ticks=$(( ticks + ${t:-0} ))
  done
  awk -v r="$rss" -v t="$ticks" -v hz="$hz" 'BEGIN { printf "%d %.2f\n", r, t / hz }'
}

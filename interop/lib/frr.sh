# shellcheck shell=bash
# FRR (zebra + bgpd) inside a node's namespace. Each node has its own config folder and run folder,
# both owned by frr:frr: zebra.conf, bgpd.conf, pid files, zserv.api and the vty sockets.
# zebra starts first (bgpd learns VNIs, VTEP IPs and MACs from it), then bgpd.

FRR_BIN=${FRR_BIN:-/usr/lib/frr}

frr_dir() { printf '%s/frr' "$(lab_dir "$1" "$2")"; }

# frr_vtysh RUN NODE CMD...: one vtysh command per argument (vtysh -c CMD -c CMD ...).
frr_vtysh() {
  local run=$1 node=$2 args=(); shift 2
  local c
  for c in "$@"; do args+=(-c "$c"); done
  ns_exec "$run" "$node" vtysh --vty_socket "$(frr_dir "$run" "$node")" "${args[@]}"
}

# frr_write_config RUN NODE BGPD_CONFIG_TEXT: writes zebra.conf and bgpd.conf for the node.
frr_write_config() {
  local run=$1 node=$2 bgpd_text=$3 dir
  dir=$(frr_dir "$run" "$node")
  mkdir -p "$dir"
  cat >"$dir/zebra.conf" <<CONF
frr defaults datacenter
hostname $node
log file $dir/zebra.log informational
!
CONF
  printf 'frr defaults datacenter\nhostname %s\nlog file %s/bgpd.log informational\n!\n%s\n' \
    "$node" "$dir" "$bgpd_text" >"$dir/bgpd.conf"
  chown -R frr:frr "$dir"
  chmod 750 "$dir"
}

# frr_evpn_leaf_config ASN ROUTER_ID [NEIGHBOR_IP:REMOTE_ASN ...]
# bgpd text for an EVPN VTEP: l2vpn evpn with every neighbor and advertise-all-vni (and IPv4 unicast when
# EVPND_LAB_FAMILIES names it). A neighbor given by interface name (eth0:external) is an unnumbered one:
# `neighbor eth0 interface remote-as external`. LAB_PASSWORD and LAB_TTL_SECURITY give every neighbor a TCP-MD5
# key (`neighbor X password`) and GTSM (`neighbor X ttl-security hops N`).
# LAB_GRACEFUL_RESTART=1 makes bgpd a restarting speaker (RFC 4724) that says it preserved forwarding
# (F bit), with a restart time of 15 s: a peer keeps bgpd's routes that long after bgpd went away
# (a restart takes a few seconds in the lab). FRR 8.4 itself has no graceful restart for L2VPN EVPN:
# its zebra removes the remote entries when bgpd goes, and bgpd keeps no EVPN routes as helper.
frr_evpn_leaf_config() {
  local asn=$1 rid=$2; shift 2
  local n ip ras
  printf 'router bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n' "$asn" "$rid"
  if [ "${LAB_GRACEFUL_RESTART:-0}" = 1 ]; then
    printf ' bgp graceful-restart\n bgp graceful-restart preserve-fw-state\n bgp graceful-restart restart-time 15\n'
  fi
  for n in "$@"; do
    ip=${n%:*}; ras=${n##*:}
    if lab_is_interface "$ip"; then
      printf ' neighbor %s interface remote-as %s\n' "$ip" "$ras"
    else
      printf ' neighbor %s remote-as %s\n' "$ip" "$ras"
    fi
    if [ -n "${LAB_PASSWORD:-}" ]; then printf ' neighbor %s password %s\n' "$ip" "$LAB_PASSWORD"; fi
    if [ -n "${LAB_TTL_SECURITY:-}" ]; then printf ' neighbor %s ttl-security hops %s\n' "$ip" "$LAB_TTL_SECURITY"; fi
  done
  printf ' !\n address-family l2vpn evpn\n'
  for n in "$@"; do printf '  neighbor %s activate\n' "${n%:*}"; done
  printf '  advertise-all-vni\n exit-address-family\n!\n'
  # IPv4 unicast too when the topology asks for it (exabgp-peer: ExaBGP's raw EVPN attributes ride on IPv4 routes).
  case " ${EVPND_LAB_FAMILIES:-} " in
    *" ipv4-unicast "*)
      printf ' address-family ipv4 unicast\n'
      for n in "$@"; do printf '  neighbor %s activate\n' "${n%:*}"; done
      printf ' exit-address-family\n!\n' ;;
  esac
  # LAB_UNDERLAY_NETWORK (unnumbered-fabric): the leaf announces its loopback VTEP in IPv4 unicast to every
  # neighbor, the fabric's underlay, and installs the routes it learns over all its uplinks at once.
  if [ -n "${LAB_UNDERLAY_NETWORK:-}" ]; then
    printf ' address-family ipv4 unicast\n  network %s\n  maximum-paths 8\n' "$LAB_UNDERLAY_NETWORK"
    for n in "$@"; do printf '  neighbor %s activate\n' "${n%:*}"; done
    printf ' exit-address-family\n!\n'
  fi
}

# frr_evpn_spine_config ASN ROUTER_ID IF...: bgpd text for an eBGP spine of an unnumbered fabric, one interface
# neighbor per fabric link. It has no VNIs: it passes l2vpn evpn between the leaves (the next hop, a leaf's VTEP,
# unchanged) and IPv4 unicast for the underlay, announcing its connected routes (the lab gives it one to a leaf's
# loopback that no BGP speaker announces).
frr_evpn_spine_config() {
  local asn=$1 rid=$2 ifname af; shift 2
  printf 'router bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n' "$asn" "$rid"
  for ifname in "$@"; do printf ' neighbor %s interface remote-as external\n' "$ifname"; done
  for af in 'ipv4 unicast' 'l2vpn evpn'; do
    printf ' !\n address-family %s\n' "$af"
    [ "$af" = 'ipv4 unicast' ] && printf '  redistribute connected\n  maximum-paths 8\n'
    for ifname in "$@"; do printf '  neighbor %s activate\n' "$ifname"; done
    printf ' exit-address-family\n'
  done
  printf '!\n'
}

# frr_evpn_rr_config ASN ROUTER_ID CLIENT_IP...
# bgpd text for an iBGP route reflector of l2vpn evpn with no VNIs of its own.
frr_evpn_rr_config() {
  local asn=$1 rid=$2; shift 2
  local ip
  printf 'router bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n bgp cluster-id %s\n' "$asn" "$rid" "$rid"
  for ip in "$@"; do printf ' neighbor %s remote-as %s\n' "$ip" "$asn"; done
  printf ' !\n address-family l2vpn evpn\n'
  for ip in "$@"; do printf '  neighbor %s activate\n  neighbor %s route-reflector-client\n' "$ip" "$ip"; done
  printf ' exit-address-family\n!\n'
}

# frr_start RUN NODE: starts zebra then bgpd in the node's namespace (config from frr_write_config)
# and waits until bgpd answers on its vty socket.
frr_start() {
  local run=$1 node=$2 dir common
  dir=$(frr_dir "$run" "$node")
  [ -f "$dir/bgpd.conf" ] || lab_die "frr_start $node: no config in $dir (call frr_write_config)"
  common=(-d -N "$LAB_PREFIX-$run-$node" -z "$dir/zserv.api" --vty_socket "$dir" -P 0 -u frr -g frr)
  # -s: zebra's netlink receive buffer, as Debian's packaged /etc/frr/daemons sets it (90 MB); with the
  # kernel's default a large table change overruns zebra's netlink-listen socket and zebra exits.
  ns_exec "$run" "$node" "$FRR_BIN/zebra" "${common[@]}" -s 90000000 -f "$dir/zebra.conf" -i "$dir/zebra.pid" \
    >>"$dir/start.log" 2>&1 || { cat "$dir/start.log" >&2; lab_die "zebra did not start in $node"; }
  wait_until "$LAB_START_WAIT" test -S "$dir/zserv.api" || lab_die "zebra in $node did not open $dir/zserv.api"
  ns_exec "$run" "$node" "$FRR_BIN/bgpd" "${common[@]}" -f "$dir/bgpd.conf" -i "$dir/bgpd.pid" \
    >>"$dir/start.log" 2>&1 || { cat "$dir/start.log" >&2; lab_die "bgpd did not start in $node"; }
  wait_until "$LAB_START_WAIT" frr_vtysh "$run" "$node" "show bgp summary" || lab_die "bgpd in $node does not answer vtysh"
}

# frr_bgpd_start RUN NODE: starts bgpd again next to a running zebra (after frr_bgpd_kill), with the
# node's bgpd.conf, and waits until it answers on its vty socket.
frr_bgpd_start() {
  local run=$1 node=$2 dir
  dir=$(frr_dir "$run" "$node")
  ns_exec "$run" "$node" "$FRR_BIN/bgpd" -d -N "$LAB_PREFIX-$run-$node" -z "$dir/zserv.api" --vty_socket "$dir" \
    -P 0 -u frr -g frr -f "$dir/bgpd.conf" -i "$dir/bgpd.pid" >>"$dir/start.log" 2>&1 \
    || { cat "$dir/start.log" >&2; lab_die "bgpd did not start again in $node"; }
  wait_until "$LAB_START_WAIT" frr_vtysh "$run" "$node" "show bgp summary" || lab_die "bgpd in $node does not answer vtysh"
}

# frr_bgpd_kill RUN NODE: SIGKILL to bgpd only (a crash: no NOTIFICATION, no clean-up), zebra stays up.
frr_bgpd_kill() {
  local dir pid
  dir=$(frr_dir "$1" "$2")
  pid=$(cat "$dir/bgpd.pid" 2>/dev/null || true)
  [ -n "$pid" ] || lab_die "no bgpd pid in $dir"
  kill -KILL "$pid" 2>/dev/null || true
  wait_until 5 lab_pid_gone "$pid" || lab_die "bgpd ($pid) in $2 survived SIGKILL"
  rm -f "$dir/bgpd.pid"
}

# frr_stop RUN NODE: stops bgpd then zebra by their pid files.
frr_stop() {
  local run=$1 node=$2 dir d pid
  dir=$(frr_dir "$run" "$node")
  for d in bgpd zebra; do
    pid=$(cat "$dir/$d.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
    [ -n "$pid" ] && wait_until 5 lab_pid_gone "$pid"
  done
  return 0
}

# frr_json RUN NODE CMD: one vtysh command whose output is JSON (CMD ends in "json").
frr_json() { frr_vtysh "$1" "$2" "$3"; }

# frr_evpn_peer_established RUN NODE PEER_IP: true when the l2vpn evpn session with PEER_IP is up.
frr_evpn_peer_established() {
  local out
  out=$(frr_vtysh "$1" "$2" "show bgp l2vpn evpn summary json") || return 1
  jq -e --arg p "$3" '.peers[$p].state == "Established"' <<<"$out" >/dev/null
}

# frr_has_type3_from RUN NODE VTEP_IP: true when NODE has a type-3 route originated by VTEP_IP.
frr_has_type3_from() {
  local out
  out=$(frr_vtysh "$1" "$2" "show bgp l2vpn evpn route type multicast json") || return 1
  grep -q "\"$3\"" <<<"$out" && jq -e --arg ip "$3" \
    '[.. | objects | select(has("originatorIp")?) | select(.originatorIp == $ip)] | length > 0' \
    <<<"$out" >/dev/null
}

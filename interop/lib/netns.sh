# shellcheck shell=bash
# Namespaces, underlay links, VTEPs (bridge + VXLAN per VNI) and hosts. Everything is created
# inside the run's namespaces: veth pairs are made in one namespace with the peer placed straight
# into the other, so the root namespace's links, addresses and routes are never touched.

# ns_create RUN NODE: a fresh namespace with loopback up.
ns_create() {
  local run=$1 node=$2 ns
  ns=$(lab_ns "$run" "$node")
  ip netns add "$ns" || lab_die "cannot create namespace $ns"
  ip -n "$ns" link set lo up
  # Forwarding is off in a new namespace; only routers (the spine) turn it on.
  lab_node_dir "$run" "$node" >/dev/null
}

# ns_exec RUN NODE CMD...: runs CMD inside the node's namespace.
ns_exec() {
  local run=$1 node=$2; shift 2
  ip netns exec "$(lab_ns "$run" "$node")" "$@"
}

# link_veth RUN NODE_A IF_A ADDR_A/LEN NODE_B IF_B ADDR_B/LEN
# A point-to-point underlay link between two nodes (an address may be "-" for none).
link_veth() {
  local run=$1 na=$2 ia=$3 aa=$4 nb=$5 ib=$6 ab=$7 nsa nsb
  nsa=$(lab_ns "$run" "$na"); nsb=$(lab_ns "$run" "$nb")
  ip -n "$nsa" link add "$ia" type veth peer name "$ib" netns "$nsb" \
    || lab_die "cannot create veth $na/$ia <-> $nb/$ib"
  [ "$aa" = - ] || ip -n "$nsa" addr add "$aa" dev "$ia"
  [ "$ab" = - ] || ip -n "$nsb" addr add "$ab" dev "$ib"
  ip -n "$nsa" link set "$ia" up
  ip -n "$nsb" link set "$ib" up
}

# link_loopback_route RUN NODE OWN_IP IF PEER_IP: OWN_IP/32 on lo (a loopback VTEP) and a route to PEER_IP/32 out
# of IF, for links that carry only IPv6 link-local addresses (BGP unnumbered). ARP for PEER_IP goes out of IF and
# the peer answers for its loopback address (arp_ignore 0, the default).
link_loopback_route() {
  local run=$1 node=$2 own=$3 dev=$4 peer=$5 ns
  ns=$(lab_ns "$run" "$node")
  ip -n "$ns" addr add "$own/32" dev lo
  ip -n "$ns" route add "$peer/32" dev "$dev" src "$own"
}

# vtep_add_vni RUN NODE VNI LOCAL_IP
# Bridge brVNI with VXLAN device vxlanVNI (VNI, local VTEP IP, UDP 4789, no data-plane learning:
# remote MACs come from BGP EVPN only). This is the layout FRR's zebra and evpnd discover.
vtep_add_vni() {
  local run=$1 node=$2 vni=$3 local_ip=$4 ns
  ns=$(lab_ns "$run" "$node")
  ip -n "$ns" link add "br$vni" type bridge
  ip -n "$ns" link set "br$vni" addrgenmode none
  ip -n "$ns" link add "vxlan$vni" type vxlan id "$vni" local "$local_ip" dstport 4789 nolearning
  ip -n "$ns" link set "vxlan$vni" addrgenmode none
  ip -n "$ns" link set "vxlan$vni" master "br$vni"
  bridge -n "$ns" link set dev "vxlan$vni" learning off
  ip -n "$ns" link set "vxlan$vni" up
  ip -n "$ns" link set "br$vni" up
}

# host_mac VTEP_INDEX VNI: the deterministic MAC of the host behind VTEP number VTEP_INDEX in VNI.
host_mac() {
  local idx=$1 vni=$2
  printf '02:00:%02x:%02x:%02x:%02x' "$idx" $(( (vni >> 16) & 255 )) $(( (vni >> 8) & 255 )) $(( vni & 255 ))
}

# host_add RUN VTEP_NODE VNI HOST_NODE ADDR/LEN MAC
# A host namespace with one veth (eth0) whose peer in the VTEP, named like the host node, is a port
# of brVNI.
# The host gets an on-link route for all of 192.168.0.0/16, so a ping to a host in another VNI is
# resolved by ARP inside the host's own VNI: when it fails, it fails because the VNIs are separate
# layer-2 domains, not because a route is missing.
host_add() {
  local run=$1 vtep=$2 vni=$3 host=$4 addr=$5 mac=$6 vns hns port
  ns_create "$run" "$host"
  vns=$(lab_ns "$run" "$vtep"); hns=$(lab_ns "$run" "$host")
  port=${host:0:15}
  ip -n "$vns" link add "$port" type veth peer name eth0 netns "$hns" \
    || lab_die "cannot create host port $vtep/$port for $host"
  ip -n "$vns" link set "$port" addrgenmode none
  ip -n "$vns" link set "$port" master "br$vni"
  ip -n "$vns" link set "$port" up
  ip -n "$hns" link set eth0 address "$mac"
  ip -n "$hns" link set eth0 mtu 1450
  ip -n "$hns" addr add "$addr" dev eth0
  ip -n "$hns" link set eth0 up
  ip -n "$hns" route add 192.168.0.0/16 dev eth0 2>/dev/null || true
}

# ns_delete NS: stops every process in the namespace (TERM, then KILL after 3 s), then deletes it;
# its veths go with it.
ns_delete() {
  local ns=$1 pids deadline
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    deadline=$(( $(date +%s) + 3 ))
    while [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && [ "$(date +%s)" -lt "$deadline" ]; do
      sleep 0.1
    done
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
}

# vxlan_remotes RUN NODE DEV: the VXLAN device's own FDB entries (self) as "MAC VTEP" lines, whether an
# entry names its VTEP (`dst A`: FRR's entries and every flood-list entry) or points to an FDB nexthop
# group of one VTEP (`nhid G`: evpnd's remote MACs; `ip nexthop`: "id G group M fdb", "id M via A ... fdb").
vxlan_remotes() {
  local ns
  ns=$(lab_ns "$1" "$2")
  { ip -n "$ns" nexthop show 2>/dev/null | sed 's/^/nexthop /'; bridge -n "$ns" fdb show dev "$3" | grep ' self '; } | awk '
    $1 == "nexthop" && $4 == "via" { via[$3] = $5; next }
    $1 == "nexthop" && $4 == "group" { split($5, members, "[/,]"); group[$3] = members[1]; next }
    $2 == "dst" { print $1, $3; next }
    $2 == "nhid" && ($3 in group) { print $1, via[group[$3]] }'
}

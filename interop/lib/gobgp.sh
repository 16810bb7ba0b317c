# shellcheck shell=bash
# GoBGP (gobgpd + the gobgp CLI) inside a node's namespace. The gRPC API listens on 127.0.0.1 of
# that namespace (GOBGP_API_PORT), so every node can use the same port without clashing.

GOBGP_API_PORT=${GOBGP_API_PORT:-50051}

gobgp_dir() { printf '%s/gobgp' "$(lab_dir "$1" "$2")"; }

# gobgp_write_config RUN NODE ASN ROUTER_ID NEIGHBOR_IP:ASN...: an l2vpn-evpn speaker.
gobgp_write_config() {
  local run=$1 node=$2 asn=$3 rid=$4 dir n; shift 4
  dir=$(gobgp_dir "$run" "$node"); mkdir -p "$dir"
  {
    printf '[global.config]\n  as = %s\n  router-id = "%s"\n  port = 179\n' "$asn" "$rid"
    for n in "$@"; do
      printf '\n[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "%s"\n    peer-as = %s\n' "${n%%:*}" "${n##*:}"
      printf '  [neighbors.timers.config]\n    connect-retry = 3\n    hold-time = 9\n    keepalive-interval = 3\n'
      printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n'
    done
  } >"$dir/gobgpd.toml"
}

# gobgp_start RUN NODE: starts gobgpd with the node's gobgpd.toml and waits for its API.
gobgp_start() {
  local run=$1 node=$2 dir
  dir=$(gobgp_dir "$run" "$node")
  [ -f "$dir/gobgpd.toml" ] || lab_die "gobgp_start $node: no $dir/gobgpd.toml"
  printf 'gobgp\n' >"$(lab_dir "$run" "$node")/speaker"
  ns_exec "$run" "$node" setsid gobgpd -f "$dir/gobgpd.toml" --api-hosts "127.0.0.1:$GOBGP_API_PORT" \
    --pprof-disable -p </dev/null >"$dir/gobgpd.log" 2>&1 &
  echo $! >"$dir/gobgpd.pid"
  wait_until "$LAB_START_WAIT" gobgp_cli "$run" "$node" global || { tail -n 20 "$dir/gobgpd.log" >&2; lab_die "gobgpd on $node does not answer"; }
}

# gobgp_cli RUN NODE ARGS...: the gobgp CLI against the node's gobgpd.
gobgp_cli() {
  local run=$1 node=$2; shift 2
  ns_exec "$run" "$node" gobgp -p "$GOBGP_API_PORT" "$@"
}

# gobgp_peer_established RUN NODE PEER_IP
gobgp_peer_established() {
  local out
  out=$(gobgp_cli "$1" "$2" neighbor "$3" -j) || return 1
  jq -e '.state.session_state == 6 or .state.session_state == "established"' <<<"$out" >/dev/null
}

# gobgp_add_type3 RUN NODE VTEP_IP VNI RD RT: a type-3 (inclusive multicast) route for VNI with
# PMSI ingress replication, label = VNI, VXLAN encapsulation (RFC 8365 section 5.1.3).
gobgp_add_type3() {
  local run=$1 node=$2 vtep=$3 vni=$4 rd=$5 rt=$6
  gobgp_cli "$run" "$node" global rib -a evpn add multicast "$vtep" etag 0 rd "$rd" rt "$rt" \
    encap vxlan pmsi ingress-repl "$vni" "$vtep" nexthop "$vtep"
}

# gobgp_add_type2 RUN NODE MAC VNI RD RT NEXTHOP [IP]: a MAC (or MAC+IP) advertisement.
gobgp_add_type2() {
  local run=$1 node=$2 mac=$3 vni=$4 rd=$5 rt=$6 nh=$7 ip=${8:-0.0.0.0}
  gobgp_cli "$run" "$node" global rib -a evpn add macadv "$mac" "$ip" etag 0 label "$vni" rd "$rd" \
    rt "$rt" encap vxlan nexthop "$nh"
}

# gobgp_rib_json RUN NODE: the global EVPN RIB as JSON (gobgp -j).
gobgp_rib_json() { gobgp_cli "$1" "$2" global rib -a evpn -j; }

# GoBGP as a VTEP's speaker. GoBGP does not touch the kernel, so the lab plays its data-plane agent:
# gobgp_vtep_advertise originates what a VTEP would (a type-3 per VNI, a type-2 per local host), and
# gobgp_vtep_sync_flood turns the type-3 routes GoBGP received into the node's kernel flood lists.

# gobgp_vtep_advertise RUN NODE ASN VTEP_IP "VNI..." [VNI=MAC ...]
# RD VTEP_IP:VNI, RT (ASN low 16 bits):VNI, as FRR derives them.
gobgp_vtep_advertise() {
  local run=$1 node=$2 asn=$3 vtep=$4 vnis=$5 vni entry; shift 5
  for vni in $vnis; do
    gobgp_add_type3 "$run" "$node" "$vtep" "$vni" "$vtep:$vni" "$(( asn & 65535 )):$vni" >/dev/null
  done
  for entry in "$@"; do
    vni=${entry%%=*}
    gobgp_add_type2 "$run" "$node" "${entry#*=}" "$vni" "$vtep:$vni" "$(( asn & 65535 )):$vni" "$vtep" >/dev/null
  done
}

# gobgp_remote_type3 RUN NODE LOCAL_VTEP_IP: "ORIGINATOR VNI" lines for the received type-3 routes
# (gobgp -j: per destination a list of paths {nlri: {type: 3, value: {ip}}, attrs: [{type: 22 (PMSI), label}]}).
gobgp_remote_type3() {
  gobgp_rib_json "$1" "$2" | jq -r --arg me "$3" '
    .[][] | select(.nlri.type == 3 and .nlri.value.ip != $me)
    | "\(.nlri.value.ip) \(.attrs[] | select(.type == 22) | .label)"'
}

# gobgp_vtep_sync_flood RUN NODE LOCAL_VTEP_IP EXPECTED_COUNT: waits (30 s) until GoBGP holds
# EXPECTED_COUNT remote type-3 routes, then appends a flood entry per route to vxlanVNI.
gobgp_vtep_sync_flood() {
  local run=$1 node=$2 me=$3 want=$4 ns ip vni
  ns=$(lab_ns "$run" "$node")
  have_remote_type3() { [ "$(gobgp_remote_type3 "$run" "$node" "$me" | sort -u | wc -l)" -ge "$want" ]; }
  wait_until 30 have_remote_type3 || lab_die "GoBGP on $node did not receive $want type-3 routes"
  while read -r ip vni; do
    bridge -n "$ns" fdb append 00:00:00:00:00:00 dev "vxlan$vni" dst "$ip" self permanent
  done < <(gobgp_remote_type3 "$run" "$node" "$me" | sort -u)
}

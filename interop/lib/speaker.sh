# shellcheck shell=bash
# A VTEP's BGP speaker, chosen per node: frr or evpnd. The topology scripts only call these
# functions, so putting evpnd on a node is a matter of the --a/--b option.
# The chosen kind is recorded in the node's state folder (file "speaker").

speaker_kind() { cat "$(lab_dir "$1" "$2")/speaker" 2>/dev/null || echo none; }

# speaker_start_leaf KIND RUN NODE ASN ROUTER_ID VTEP_IP "VNI..." NEIGHBOR_IP:ASN...
# Starts an EVPN VTEP speaker that advertises every VNI found in the node's kernel.
speaker_start_leaf() {
  local kind=$1 run=$2 node=$3 asn=$4 rid=$5 vtep_ip=$6 vnis=$7; shift 7
  printf '%s\n' "$kind" >"$(lab_node_dir "$run" "$node")/speaker"
  case $kind in
    frr)
      frr_write_config "$run" "$node" "$(frr_evpn_leaf_config "$asn" "$rid" "$@")"
      frr_start "$run" "$node" ;;
    evpnd)
      evpnd_write_leaf_config "$run" "$node" "$asn" "$rid" "$vtep_ip" "$vnis" "$@"
      evpnd_start "$run" "$node" ;;
    gobgp)
      gobgp_write_config "$run" "$node" "$asn" "$rid" "$@"
      gobgp_start "$run" "$node" ;;
    exabgp)
      exabgp_write_config "$run" "$node" "$asn" "$rid" "$vtep_ip" "$@"
      exabgp_start "$run" "$node" ;;
    *) lab_die "unknown speaker '$kind' for $node (frr, evpnd, gobgp or exabgp)" ;;
  esac
}

# speaker_start_rr KIND RUN NODE ASN ROUTER_ID CLIENT_IP...: an iBGP route reflector without VNIs.
speaker_start_rr() {
  local kind=$1 run=$2 node=$3 asn=$4 rid=$5; shift 5
  printf '%s\n' "$kind" >"$(lab_node_dir "$run" "$node")/speaker"
  case $kind in
    frr)
      frr_write_config "$run" "$node" "$(frr_evpn_rr_config "$asn" "$rid" "$@")"
      frr_start "$run" "$node" ;;
    evpnd)
      evpnd_write_rr_config "$run" "$node" "$asn" "$rid" "$@"
      evpnd_start "$run" "$node" ;;
    *) lab_die "unknown speaker '$kind' for $node (frr or evpnd)" ;;
  esac
}

# speaker_start_spine RUN NODE ASN ROUTER_ID IF...: FRR as an eBGP spine of an unnumbered fabric, one interface
# neighbor per link (evpnd as a spine is a route reflector: speaker_start_rr).
speaker_start_spine() {
  local run=$1 node=$2 asn=$3 rid=$4; shift 4
  echo frr >"$(lab_node_dir "$run" "$node")/speaker"
  frr_write_config "$run" "$node" "$(frr_evpn_spine_config "$asn" "$rid" "$@")" && frr_start "$run" "$node"
}

# speaker_established RUN NODE PEER_IP: true when NODE's EVPN session with PEER_IP is Established.
speaker_established() {
  local run=$1 node=$2 peer=$3
  case $(speaker_kind "$run" "$node") in
    frr)    frr_evpn_peer_established "$run" "$node" "$peer" ;;
    evpnd)  evpnd_peer_established "$run" "$node" "$peer" ;;
    gobgp)  gobgp_peer_established "$run" "$node" "$peer" ;;
    exabgp) exabgp_peer_established "$run" "$node" "$peer" ;;
    *) return 1 ;;
  esac
}

# speaker_stop RUN NODE: stops the node's speaker the way an operator would (SIGTERM), leaving the
# namespace and its kernel devices in place.
speaker_stop() {
  local run=$1 node=$2 pid
  case $(speaker_kind "$run" "$node") in
    frr)    frr_stop "$run" "$node" ;;
    evpnd)  evpnd_stop "$run" "$node" ;;
    gobgp|exabgp)
      pid=$(cat "$(lab_dir "$run" "$node")/$(speaker_kind "$run" "$node")/"*.pid 2>/dev/null || true)
      [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait_until 10 bash -c "! kill -0 $pid"; } ;;
    *) lab_die "no speaker on $node" ;;
  esac
}

# speaker_kill RUN NODE: crashes the node's BGP speaker (SIGKILL): bgpd for FRR (zebra and the kernel
# entries stay), evpnd itself.
speaker_kill() {
  case $(speaker_kind "$1" "$2") in
    frr)   frr_bgpd_kill "$1" "$2" ;;
    evpnd) evpnd_kill "$1" "$2" ;;
    *) lab_die "speaker_kill: only frr and evpnd nodes" ;;
  esac
}

# speaker_start RUN NODE: starts the node's speaker again with the configuration it had, after
# speaker_stop or speaker_kill (FRR: bgpd only; zebra never stopped).
speaker_start() {
  case $(speaker_kind "$1" "$2") in
    frr)   frr_bgpd_start "$1" "$2" ;;
    evpnd) evpnd_start "$1" "$2" ;;
    *) lab_die "speaker_start: only frr and evpnd nodes" ;;
  esac
}

# speaker_show_routes RUN NODE: the node's EVPN table in its own words (for people, not parsers).
speaker_show_routes() {
  local run=$1 node=$2
  case $(speaker_kind "$run" "$node") in
    frr)    frr_vtysh "$run" "$node" "show bgp l2vpn evpn" ;;
    evpnd)  evpnd_show_routes "$run" "$node" ;;
    gobgp)  gobgp_cli "$run" "$node" global rib -a evpn ;;
    exabgp) exabgp_received "$run" "$node" ;;
    *) echo "(no speaker on $node)" ;;
  esac
}

# speaker_show_peers RUN NODE: the node's sessions in its own words.
speaker_show_peers() {
  local run=$1 node=$2
  case $(speaker_kind "$run" "$node") in
    frr)    frr_vtysh "$run" "$node" "show bgp l2vpn evpn summary" ;;
    evpnd)  evpnd_show_peers "$run" "$node" ;;
    gobgp)  gobgp_cli "$run" "$node" neighbor ;;
    *) echo "(no session view for $node)" ;;
  esac
}

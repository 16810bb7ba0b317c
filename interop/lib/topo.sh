# shellcheck shell=bash
# Building blocks the topology scripts share: a VTEP with one host per VNI, and the key=value layout
# (`TOPO info RUN`) that the C# harness and the demo read instead of knowing names and addresses.
#
# Host naming: the host behind VTEP node "vtepX" in VNI N is node "hXN" with address 192.168.N.(10+INDEX)
# and MAC host_mac INDEX N, INDEX being the VTEP's number (1 for vtepa, 2 for vtepb, ...).

topo_host_name() { printf 'h%s%s' "${1: -1}" "$2"; }
topo_host_ip() { printf '192.168.%s.%s' "$2" $(( 10 + $1 )); }

# topo_vtep_with_hosts RUN NODE INDEX VTEP_IP VNI...: brVNI/vxlanVNI per VNI and one host in each.
topo_vtep_with_hosts() {
  local run=$1 node=$2 idx=$3 ip=$4 vni; shift 4
  for vni in "$@"; do
    vtep_add_vni "$run" "$node" "$vni" "$ip"
    host_add "$run" "$node" "$vni" "$(topo_host_name "$node" "$vni")" "$(topo_host_ip "$idx" "$vni")/24" \
      "$(host_mac "$idx" "$vni")"
  done
}

# topo_info_node RUN NODE IP ASN: the lines describing a BGP node.
topo_info_node() {
  local run=$1 node=$2
  echo "$node.ns=$(lab_ns "$run" "$node")"
  echo "$node.ip=$3"
  echo "$node.asn=$4"
  echo "$node.speaker=$(speaker_kind "$run" "$node")"
  if [ "$(speaker_kind "$run" "$node")" = evpnd ]; then echo "$node.evpnd-socket=$(evpnd_socket "$run" "$node")"; fi
}

# topo_info_hosts RUN NODE INDEX VNI...: the lines describing the hosts behind a VTEP.
topo_info_hosts() {
  local run=$1 node=$2 idx=$3 vni h; shift 3
  for vni in "$@"; do
    h=$(topo_host_name "$node" "$vni")
    echo "$h.ns=$(lab_ns "$run" "$h")"
    echo "$h.vtep=$node"
    echo "$h.vni=$vni"
    echo "$h.ip=$(topo_host_ip "$idx" "$vni")"
    echo "$h.mac=$(host_mac "$idx" "$vni")"
  done
}

# topo_host_macs NODE INDEX VNI...: "VNI=MAC" per VNI, the form gobgp_vtep_advertise takes.
topo_host_macs() {
  local idx=$2 vni; shift 2
  for vni in "$@"; do printf '%s=%s ' "$vni" "$(host_mac "$idx" "$vni")"; done
}

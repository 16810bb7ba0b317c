# shellcheck shell=bash
# ExaBGP inside a node's namespace: an observer that decodes what it receives (EVPN included) and
# writes every message as one JSON line to received.jsonl, and a sender of API commands appended to
# the node's `commands` file (exabgp_send): route refresh, EoR, and routes with arbitrary raw
# attributes (`attribute [ code flags value ]`), which makes it an injector of odd input.
# ExaBGP 4.2 cannot announce EVPN routes itself; an IPv4 unicast route carrying a raw MP_REACH_NLRI
# attribute (code 14) of L2VPN EVPN delivers EVPN routes, well-formed or not, byte for byte. That needs
# IPv4 unicast negotiated, so ExaBGP offers it next to EVPN (a peer that does not offer it gets EVPN only).

exabgp_dir() { printf '%s/exabgp' "$(lab_dir "$1" "$2")"; }

# exabgp_write_config RUN NODE ASN ROUTER_ID LOCAL_IP NEIGHBOR_IP:ASN...
exabgp_write_config() {
  local run=$1 node=$2 asn=$3 rid=$4 local_ip=$5 dir n; shift 5
  dir=$(exabgp_dir "$run" "$node"); mkdir -p "$dir"
  cat >"$dir/receiver.sh" <<SH
#!/bin/sh
# ExaBGP API process: appends every decoded message ExaBGP hands over to received.jsonl. Its stdout
# stays the pipe to ExaBGP: ExaBGP takes an end-of-file there for the death of the process.
while IFS= read -r line; do printf '%s\n' "\$line" >>"$dir/received.jsonl"; done
SH
  cat >"$dir/sender.sh" <<SH
#!/bin/sh
# ExaBGP API process: every line appended to the commands file is an API command for ExaBGP.
exec tail -n +1 -F "$dir/commands" 2>/dev/null
SH
  chmod +x "$dir/receiver.sh" "$dir/sender.sh"
  : >"$dir/commands"
  {
    printf 'process receiver {\n  run %s/receiver.sh;\n  encoder json;\n}\n\n' "$dir"
    printf 'process sender {\n  run %s/sender.sh;\n  encoder json;\n}\n\n' "$dir"
    for n in "$@"; do
      cat <<CONF
neighbor ${n%%:*} {
  router-id $rid;
  local-address $local_ip;
  local-as $asn;
  peer-as ${n##*:};
  hold-time 9;
  capability {
    route-refresh;
  }
  family {
    ipv4 unicast;
    l2vpn evpn;
  }
  api {
    processes [ receiver ];
    receive {
      parsed;
      update;
      open;
      notification;
    }
    neighbor-changes;
  }
  # ExaBGP runs a process's commands only on the neighbors whose api lists it.
  api commands {
    processes [ sender ];
  }
}

CONF
    done
  } >"$dir/exabgp.conf"
  : >"$dir/received.jsonl"
}

# exabgp_start RUN NODE: starts ExaBGP with the node's exabgp.conf (its own env: no daemon, logs
# to exabgp.log, API pipes in the node's folder). LAB_EXABGP_IPV6_EVPN_NEXT_HOPS=1 runs it through
# exabgp-ipv6-evpn-next-hops.py, which lets it take EVPN routes with IPv6 next hops (an IPv6 VTEP's).
exabgp_start() {
  local run=$1 node=$2 dir exabgp=exabgp
  dir=$(exabgp_dir "$run" "$node")
  if [ "${LAB_EXABGP_IPV6_EVPN_NEXT_HOPS:-0}" = 1 ]; then exabgp=$LAB_ROOT/lib/exabgp-ipv6-evpn-next-hops.py; fi
  printf 'exabgp\n' >"$(lab_dir "$run" "$node")/speaker"
  ns_exec "$run" "$node" env exabgp.daemon.daemonize=false exabgp.log.destination="$dir/exabgp.log" \
    exabgp.api.cli=false exabgp.daemon.user=root \
    setsid "$exabgp" "$dir/exabgp.conf" </dev/null >"$dir/exabgp.out" 2>&1 &
  echo $! >"$dir/exabgp.pid"
  wait_until "$LAB_START_WAIT" grep -q "loaded new configuration successfully" "$dir/exabgp.out" \
    || { tail -n 20 "$dir/exabgp.out" >&2; lab_die "exabgp on $node did not load its configuration"; }
}

# exabgp_received RUN NODE: every JSON message ExaBGP received so far, one per line.
exabgp_received() { cat "$(exabgp_dir "$1" "$2")/received.jsonl"; }

# exabgp_peer_established RUN NODE PEER_IP: true when ExaBGP's last state report for PEER_IP is "up".
exabgp_peer_established() {
  [ "$(jq -r --arg p "$3" 'select(.type == "state" and .neighbor.address.peer == $p) | .neighbor.state' \
    "$(exabgp_dir "$1" "$2")/received.jsonl" 2>/dev/null | tail -n 1)" = up ]
}

# exabgp_send RUN NODE COMMAND: hands one API command to ExaBGP, e.g.
#   "neighbor 10.0.0.1 announce route-refresh l2vpn evpn"
exabgp_send() { printf '%s\n' "$3" >>"$(exabgp_dir "$1" "$2")/commands"; }

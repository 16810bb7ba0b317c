# shellcheck shell=bash
# The evpnd slot: how the lab configures, starts and queries evpnd on a node.
#
# evpnd runs inside the node's namespace (ip netns exec), so its BGP listener, its rtnetlink socket
# and its management socket all see only that node. Per node (state folder $(lab_dir RUN NODE)/evpnd):
#   evpnd.yaml   the configuration written by evpnd_write_leaf_config / evpnd_write_rr_config
#   evpnd.sock   the management socket (management.socket in the YAML): evpnctl and curl talk to it
#   evpnd.log    stdout and stderr of the daemon
#   evpnd.pid    its process id
#
# Which evpnd and evpnctl run: the native binaries EVPND_BIN and EVPNCTL_BIN when set (tests/run-all.sh, the
# demo and the benchmarks set them to the output of packaging/publish-native.sh, so what is tested is what is
# shipped); otherwise the development build, `dotnet build -c Release`, through dotnet (EVPND_DLL and
# EVPNCTL_DLL override its paths). EVPND_INSTALLED=1 (interop/demo --installed, the package test) runs the
# Debian package's binaries, /usr/sbin/evpnd and /usr/bin/evpnctl, with the Environment= of its installed unit.

EVPND_DLL=${EVPND_DLL:-$LAB_REPO/src/Evpn.Daemon/bin/Release/net10.0/evpnd.dll}
EVPNCTL_DLL=${EVPNCTL_DLL:-$LAB_REPO/src/Evpn.Cli/bin/Release/net10.0/evpnctl.dll}
EVPND_UNIT=/usr/lib/systemd/system/evpnd.service
if [ "${EVPND_INSTALLED:-0}" = 1 ]; then
  export EVPND_BIN=/usr/sbin/evpnd EVPNCTL_BIN=/usr/bin/evpnctl
fi
# evpnd_select_build: sets EVPND_CMD and EVPNCTL_CMD from the variables above (again after a script changed them).
evpnd_select_build() {
  if [ -n "${EVPND_BIN:-}" ]; then EVPND_CMD=("$EVPND_BIN"); else EVPND_CMD=(dotnet "$EVPND_DLL"); fi
  if [ -n "${EVPNCTL_BIN:-}" ]; then EVPNCTL_CMD=("$EVPNCTL_BIN"); else EVPNCTL_CMD=(dotnet "$EVPNCTL_DLL"); fi
}
evpnd_select_build
# evpnd_use_native: publishes the native binaries into artifacts/native (packaging/publish-native.sh) and
# selects them, unless EVPND_BIN already names a binary.
evpnd_use_native() {
  if [ -z "${EVPND_BIN:-}" ]; then
    "$LAB_REPO/packaging/publish-native.sh" "$LAB_REPO/artifacts/native" >/dev/null || return 1
    export EVPND_BIN=$LAB_REPO/artifacts/native/evpnd EVPNCTL_BIN=$LAB_REPO/artifacts/native/evpnctl
  fi
  evpnd_select_build
}
# evpnd_built: the file EVPND_CMD runs exists.
evpnd_built() { [ -f "${EVPND_CMD[-1]}" ]; }
# evpnd_bench_build BUILD JIT: selects the evpnd a benchmark runs, and stops the benchmark when it is missing:
# with JIT=1 the development build (built first when BUILD=1), else the native binary (published when BUILD=1,
# else EVPND_BIN or artifacts/native/evpnd).
evpnd_bench_build() {
  local build=$1 jit=$2
  if [ "$jit" = 1 ]; then
    unset EVPND_BIN
    [ "$build" = 0 ] || dotnet build "$LAB_REPO/src/Evpn.Daemon" -c Release -nologo -v quiet >/dev/null || lab_die "building evpnd failed"
  elif [ "$build" = 1 ]; then
    evpnd_use_native || lab_die "publishing the native evpnd failed"
  else
    export EVPND_BIN=${EVPND_BIN:-$LAB_REPO/artifacts/native/evpnd}
  fi
  evpnd_select_build
  evpnd_built || lab_die "${EVPND_CMD[-1]} missing (build, or drop --no-build)"
}
# A 16 MiB gen0 budget for the development build (the native binary has it compiled in): the runtime sizes
# gen0 from the CPU cache and picks about 2 MiB on these machines, and a route load then spends most of its
# time in gen0 collections; only the environment variable sets it (runtimeconfig.json has no knob for it).
# EVPND_EXTRA_ENV adds variables for evpnd alone (not the generator or the FDB watcher), to compare runtime
# settings in the benchmark: EVPND_EXTRA_ENV="DOTNET_GCgen0size=800000" (hexadecimal without 0x, which the
# native runtime does not parse).
if [ "${EVPND_INSTALLED:-0}" = 1 ]; then
  # shellcheck disable=SC2046,SC2206 # split on purpose: one variable per word, as systemd reads Environment=
  EVPND_RUNTIME_ENV=($(sed -n 's/^Environment=//p' "$EVPND_UNIT" 2>/dev/null || true) ${EVPND_EXTRA_ENV:-})
else
  # shellcheck disable=SC2206 # split on purpose: one variable per word
  EVPND_RUNTIME_ENV=(DOTNET_GCgen0size=0x1000000 ${EVPND_EXTRA_ENV:-})
fi

evpnd_dir() { printf '%s/evpnd' "$(lab_dir "$1" "$2")"; }

# The schema is Evpn.Config's (src/Evpn.Config/Loading, examples in configs/); the interop test
# EvpndLabConfigTests loads what these functions write with Evpn.Config's loader, so a schema change
# that breaks the lab fails a test instead of a demo.

# Short timers (as FRR's "datacenter" defaults): sessions come up and fail over in seconds in the lab.
EVPND_LAB_TIMERS='    timers:\n      hold-time: 9\n      keepalive: 3\n      connect-retry: 3\n'

# evpnd_yaml_neighbors NEIGHBOR_IP:ASN...: the `neighbors` list of the YAML; a neighbor given by interface name
# (eth0:external) is an interface neighbor (BGP unnumbered). EVPND_LAB_FAMILIES (e.g.
# "l2vpn-evpn ipv4-unicast") sets the families negotiated with each neighbor; unset, evpnd's default (EVPN).
# LAB_PASSWORD and LAB_TTL_SECURITY give every neighbor a TCP-MD5 key and GTSM (as frr_evpn_leaf_config does).
evpnd_yaml_neighbors() {
  local n
  echo "neighbors:"
  for n in "$@"; do
    if lab_is_interface "${n%:*}"; then
      printf '  - interface: %s\n    remote-as: %s\n' "${n%:*}" "${n##*:}"
    else
      printf '  - address: %s\n    remote-as: %s\n' "${n%:*}" "${n##*:}"
    fi
    printf "$EVPND_LAB_TIMERS"
    if [ -n "${LAB_PASSWORD:-}" ]; then printf '    password: "%s"\n' "$LAB_PASSWORD"; fi
    if [ -n "${LAB_TTL_SECURITY:-}" ]; then printf '    ttl-security: %s\n' "$LAB_TTL_SECURITY"; fi
    if [ -n "${EVPND_LAB_FAMILIES:-}" ]; then printf '    families: [%s]\n' "$(printf '%s' "$EVPND_LAB_FAMILIES" | tr ' ' ',')"; fi
  done
}

# evpnd_write_leaf_config RUN NODE ASN ROUTER_ID VTEP_IP "VNI..." NEIGHBOR_IP:ASN...
# LAB_GRACEFUL_RESTART=1 adds router.graceful-restart.on-stop: graceful (a SIGTERM leaves the kernel
# entries and peers keep evpnd's routes: RFC 4724).
# A VTEP: advertises every VNI its kernel has (the VXLAN devices the topology created), imports
# routes whose RT is *:VNI as well, because the leaf pair is eBGP with one AS per leaf (FRR does the
# same for auto-derived RTs). The VNIs are listed only as a comment: evpnd discovers them.
evpnd_write_leaf_config() {
  local run=$1 node=$2 asn=$3 rid=$4 vtep_ip=$5 vnis=$6 dir; shift 6
  dir=$(evpnd_dir "$run" "$node"); mkdir -p "$dir"
  {
    echo "# evpnd on lab node $node (run $run); VNIs in the kernel: $vnis"
    printf 'router:\n  asn: %s\n  router-id: %s\n  local-vtep: %s\n' "$asn" "$rid" "$vtep_ip"
    if [ "${LAB_GRACEFUL_RESTART:-0}" = 1 ]; then
      printf '  graceful-restart:\n    on-stop: graceful\n'
    fi
    evpnd_yaml_neighbors "$@"
    printf 'evpn:\n  advertise-all-vni: true\n  wildcard-import: true\n'
    printf 'data-plane:\n  kind: linux\n'
    printf 'management:\n  socket: %s/evpnd.sock\n' "$dir"
    evpnd_yaml_metrics
    printf 'logging:\n  level: debug\n'
  } >"$dir/evpnd.yaml"
}

# evpnd_yaml_metrics: metrics off, or with EVPND_LAB_METRICS=1 (leaf-pair --metrics) Prometheus text on
# 127.0.0.1:9179, which is the node's own loopback: every node has its own namespace.
evpnd_yaml_metrics() {
  if [ "${EVPND_LAB_METRICS:-0}" = 1 ]; then
    printf 'metrics:\n  enabled: true\n  address: 127.0.0.1:9179\n'
  else
    printf 'metrics:\n  enabled: false\n'
  fi
}

# evpnd_write_rr_config RUN NODE ASN ROUTER_ID CLIENT_IP...: an iBGP route reflector with no VNIs.
evpnd_write_rr_config() {
  local run=$1 node=$2 asn=$3 rid=$4 dir ip; shift 4
  dir=$(evpnd_dir "$run" "$node"); mkdir -p "$dir"
  {
    echo "# evpnd as route reflector on lab node $node (run $run)"
    printf 'router:\n  asn: %s\n  router-id: %s\n  local-vtep: %s\n' "$asn" "$rid" "$rid"
    echo "neighbors:"
    for ip in "$@"; do
      printf '  - address: %s\n    remote-as: %s\n    route-reflector-client: true\n' "$ip" "$asn"
      printf "$EVPND_LAB_TIMERS"
    done
    printf 'evpn:\n  advertise-all-vni: false\n'
    printf 'data-plane:\n  kind: memory\n'
    printf 'management:\n  socket: %s/evpnd.sock\n' "$dir"
    printf 'metrics:\n  enabled: false\n'
    printf 'logging:\n  level: debug\n'
  } >"$dir/evpnd.yaml"
}

# evpnd_start RUN NODE: starts evpnd in the node's namespace with the node's evpnd.yaml and waits
# (LAB_START_WAIT seconds at most) for its management API to answer. A restart appends to the same evpnd.log.
evpnd_start() {
  local run=$1 node=$2 dir
  dir=$(evpnd_dir "$run" "$node")
  if [ "${EVPND_INSTALLED:-0}" = 1 ]; then
    [ -x /usr/sbin/evpnd ] && [ -f "$EVPND_UNIT" ] || lab_die "the evpnd package is not installed: packaging/build-deb.sh, then dpkg -i artifacts/evpnd_*_amd64.deb"
  fi
  evpnd_built || lab_die "evpnd is not built (${EVPND_CMD[-1]} missing): run packaging/publish-native.sh, or 'dotnet build src/Evpn.Daemon -c Release' with EVPND_BIN unset, or use --a frr"
  [ -f "$dir/evpnd.yaml" ] || lab_die "evpnd_start $node: no $dir/evpnd.yaml"
  # Not through the ns_exec function: a backgrounded function is a subshell, and $! would be its pid
  # instead of evpnd's (ip netns exec, setsid and env exec in place, so this $! is evpnd itself).
  ip netns exec "$(lab_ns "$run" "$node")" setsid env "${EVPND_RUNTIME_ENV[@]}" "${EVPND_CMD[@]}" --config "$dir/evpnd.yaml" \
    </dev/null >>"$dir/evpnd.log" 2>&1 &
  echo $! >"$dir/evpnd.pid"
  if ! wait_until "$LAB_START_WAIT" evpnd_api "$run" "$node" /v1/summary; then
    tail -n 40 "$dir/evpnd.log" >&2
    lab_die "evpnd on $node did not answer on $dir/evpnd.sock within $LAB_START_WAIT s (log: $dir/evpnd.log)"
  fi
}

# evpnd_stop RUN NODE: SIGTERM (a clean stop), then SIGKILL after 10 s.
evpnd_stop() {
  local pid
  pid=$(cat "$(evpnd_dir "$1" "$2")/evpnd.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  wait_until 10 lab_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
}

# evpnd_kill RUN NODE: SIGKILL (a crash: the kernel entries stay, no NOTIFICATION is sent).
evpnd_kill() {
  local pid
  pid=$(cat "$(evpnd_dir "$1" "$2")/evpnd.pid" 2>/dev/null || true)
  [ -n "$pid" ] || lab_die "no evpnd pid for $2"
  kill -KILL "$pid" 2>/dev/null || true
  wait_until 5 lab_pid_gone "$pid" || lab_die "evpnd ($pid) on $2 survived SIGKILL"
}

# evpnd_socket RUN NODE: the node's management socket.
evpnd_socket() { printf '%s/evpnd.sock' "$(evpnd_dir "$1" "$2")"; }

# evpnd_api RUN NODE PATH: GET one management API document (src/Evpn.Api/ApiPaths.cs), as JSON.
# A Unix socket is a file, not part of a network namespace: no ip netns exec needed.
evpnd_api() {
  curl -sf --max-time 10 --unix-socket "$(evpnd_socket "$1" "$2")" "http://evpnd$3"
}

# evpnctl RUN NODE ARGS...: evpnctl against the node's evpnd.
evpnctl() {
  local run=$1 node=$2; shift 2
  "${EVPNCTL_CMD[@]}" --socket "$(evpnd_socket "$run" "$node")" "$@"
}

# evpnd_peer_established RUN NODE PEER_IP: true when GET /v1/summary lists PEER_IP as Established.
evpnd_peer_established() {
  local out
  out=$(evpnd_api "$1" "$2" /v1/summary) || return 1
  jq -e --arg p "$3" '[.peers[] | select(.neighbor == $p and .state == "Established")] | length > 0' <<<"$out" >/dev/null
}

# evpnd_show_routes RUN NODE: `evpnctl show routes`, or the API's /v1/routes as a table while
# evpnctl has no such command.
evpnd_show_routes() {
  local out
  if out=$(evpnctl "$1" "$2" show routes 2>/dev/null); then printf '%s\n' "$out"; return 0; fi
  evpnd_api "$1" "$2" /v1/routes | jq -r '
    ["Type", "RD", "Prefix", "Next hop", "From", "Best", "Communities", "PMSI"],
    (.[] | [.type, .rd, .prefix, .nextHop, .source, (if .best then ">" else "" end),
            (.extendedCommunities | join(" ")), (.pmsi // "")])
    | @tsv' | lab_table
}

# evpnd_show_peers RUN NODE: `evpnctl show peers`, or the API's /v1/summary as a table.
evpnd_show_peers() {
  local out
  if out=$(evpnctl "$1" "$2" show peers 2>/dev/null); then printf '%s\n' "$out"; return 0; fi
  evpnd_api "$1" "$2" /v1/summary | jq -r '
    "router-id \(.routerId) AS \(.as) local VTEP \(.localVtep) VNIs \(.vnis)",
    (["Neighbor", "AS", "State", "Up/Down", "PfxRcd", "PfxSnt"] | @tsv),
    (.peers[] | [.neighbor, .remoteAs, .state, .upDown, .pfxRcd, .pfxSnt] | @tsv)' | lab_table
}

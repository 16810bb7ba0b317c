# shellcheck shell=bash
# The route reflectors of the reflector benchmark, one per namespace: evpnd (memory data plane, no VNIs),
# FRR bgpd and GoBGP, each listening on the namespace's 127.0.0.1 with every client of RF_RANGE a dynamic
# iBGP neighbor (AS RF_ASN) and a route-reflector client for l2vpn evpn. The clients are evpn-loadgen's
# reflector mode in the same namespace.

RF_ASN=65001
RF_RID=10.99.0.1
RF_RANGE=127.1.0.0/16
RF_FIRST_CLIENT=127.1.0.1

rf_evpnd_config() {
  local dir=$1 clients=$2
  {
    printf 'router:\n  asn: %s\n  router-id: %s\n  local-vtep: %s\n  listen-address: 127.0.0.1\n' "$RF_ASN" "$RF_RID" "$RF_RID"
    printf 'neighbors:\n  - listen-range: %s\n    remote-as: %s\n    listen-limit: %s\n    route-reflector-client: true\n' \
      "$RF_RANGE" "$RF_ASN" "$clients"
    printf '    timers:\n      hold-time: 180\n      keepalive: 60\n'
    printf 'evpn:\n  advertise-all-vni: false\n'
    printf 'data-plane:\n  kind: memory\n'
    printf 'management:\n  socket: %s/evpnd.sock\n' "$dir"
    printf 'metrics:\n  enabled: false\n'
    printf 'logging:\n  level: warning\n'
  } >"$dir/evpnd.yaml"
}

rf_frr_config() {
  local clients=$1
  printf 'router bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n' "$RF_ASN" "$RF_RID"
  printf ' neighbor clients peer-group\n neighbor clients remote-as %s\n neighbor clients timers 60 180\n' "$RF_ASN"
  printf ' bgp listen range %s peer-group clients\n bgp listen limit %s\n' "$RF_RANGE" "$clients"
  printf ' address-family l2vpn evpn\n  neighbor clients activate\n  neighbor clients route-reflector-client\n exit-address-family\n!\n'
}

rf_gobgp_config() {
  local dir=$1
  mkdir -p "$dir"
  {
    printf '[global.config]\n  as = %s\n  router-id = "%s"\n  port = 179\n  local-address-list = ["127.0.0.1"]\n' "$RF_ASN" "$RF_RID"
    printf '\n[[peer-groups]]\n  [peer-groups.config]\n    peer-group-name = "clients"\n    peer-as = %s\n' "$RF_ASN"
    printf '  [peer-groups.timers.config]\n    hold-time = 180\n    keepalive-interval = 60\n'
    printf '  [peer-groups.route-reflector.config]\n    route-reflector-client = true\n    route-reflector-cluster-id = "%s"\n' "$RF_RID"
    printf '  [[peer-groups.afi-safis]]\n    [peer-groups.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n'
    printf '\n[[dynamic-neighbors]]\n  [dynamic-neighbors.config]\n    prefix = "%s"\n    peer-group = "clients"\n' "$RF_RANGE"
  } >"$dir/gobgpd.toml"
}

# rf_start KIND RUN NODE CLIENTS: starts the reflector in its namespace and waits until it answers.
rf_start() {
  local kind=$1 run=$2 node=$3 clients=$4 dir
  dir=$(lab_dir "$run" "$node")
  case $kind in
    evpnd)
      mkdir -p "$dir/evpnd"
      rf_evpnd_config "$dir/evpnd" "$clients"
      ns_exec "$run" "$node" env "${EVPND_RUNTIME_ENV[@]}" "${EVPND_CMD[@]}" --config "$dir/evpnd/evpnd.yaml" </dev/null >"$dir/evpnd/evpnd.log" 2>&1 &
      wait_until 60 cv_evpnd_get "$run" "$node" /v1/summary \
        || { tail -n 30 "$dir/evpnd/evpnd.log" >&2; lab_die "evpnd did not answer on its socket"; } ;;
    frr)
      frr_write_config "$run" "$node" "$(rf_frr_config "$clients")"
      frr_start "$run" "$node" ;;
    gobgp)
      rf_gobgp_config "$(gobgp_dir "$run" "$node")"
      gobgp_start "$run" "$node" ;;
    *) lab_die "unknown reflector '$kind' (evpnd, frr, gobgp)" ;;
  esac
}

# rf_end_of_rib KIND: the generator's option for a reflector that sends no End-of-RIB (GoBGP, without
# graceful restart): its clients converge on the routes alone.
rf_end_of_rib() { [ "$1" != gobgp ] || printf -- '--no-end-of-rib'; }

# rf_usage KIND RUN NODE: "PEAK_RSS_KB CPU_SECONDS" of the reflector's processes (bgpd + zebra for FRR).
rf_usage() {
  case $1 in evpnd) cv_usage evpnd-memory "$2" "$3" ;; *) cv_usage "$1" "$2" "$3" ;; esac
}

# rf_measure KIND CLIENTS ORIGINATORS ROUTES RUN TIMEOUT: one measurement; prints its CSV line.
rf_measure() {
  local kind=$1 clients=$2 originators=$3 routes=$4 r=$5 timeout=$6 node dir line rc usage load_before busy
  node="rr-$kind-$r"
  busy=$(bench_cpu_busy); load_before=$(bench_load)
  ns_create "$RUN" "$node"
  rf_start "$kind" "$RUN" "$node" "$clients"
  dir=$(lab_dir "$RUN" "$node")
  ns_exec "$RUN" "$node" dotnet "$LOADGEN_DLL" --peer 127.0.0.1 --local-as "$RF_ASN" --rt-as "$RF_ASN" \
    --sessions "$clients" --originators "$originators" --first-local "$RF_FIRST_CLIENT" --routes "$routes" \
    --vnis "$RF_VNIS" --vteps "$RF_VTEPS" --no-type3 --timeout "$timeout" $(rf_end_of_rib "$kind") \
    --samples "$RF_ARTIFACTS/reflector-$RUN-$kind-$clients-$routes-$r.csv" >"$dir/loadgen.out" 2>"$dir/loadgen.err"
  rc=$?
  line=$(grep '^event=reflected' "$dir/loadgen.out" | tail -n 1)
  usage=$(rf_usage "$kind" "$RUN" "$node")
  ns_delete "$(lab_ns "$RUN" "$node")"
  lab_log "$kind clients $clients routes $routes run $r: rc=$rc $line; rss_kb cpu_s $usage; load $load_before -> $(bench_load), cpu busy before ${busy}%"
  [ "$rc" = 0 ] || sed 's/^/[loadgen] /' "$dir/loadgen.out" "$dir/loadgen.err" >&2
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$clients" "$routes" "$r" "$kind" "$([ "$rc" = 0 ] && echo 1 || echo 0)" \
    "$(cv_kv "$line" last_ms)" "$(cv_kv "$line" median_ms)" "$(cv_kv "$line" send_ms)" "${usage% *}" "${usage#* }" \
    "$load_before" "$(bench_load)" "$busy" "$BENCH_CONDITIONS"
  [ "$rc" = 0 ]
}

# rf_table CSV: medians per size and reflector over the runs that converged, and the ratios to evpnd.
rf_table() {
  awk -F, '
    function median(key, col,   n, i, j, t, v, a) {
      n = 0
      for (i = 1; i <= cnt[key]; i++) { v = val[key, i, col]; if (v != "" && v != "nan") a[++n] = v + 0 }
      if (n == 0) return ""
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function show(v, f) { return v == "" ? "-" : sprintf(f, v) }
    function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    NR == 1 { next }
    {
      size = $1 " x " $2; key = size SUBSEP $4
      if (!(key in cnt)) { keys[++nk] = key; if (!(size in seen)) { seen[size] = 1; sizes[++ns] = size } }
      cnt[key]++; ok[key] += $5
      for (c = 6; c <= 10; c++) val[key, cnt[key], c] = ($5 == 1) ? $c : ""
      total++; if ($13 > 10) busy++; if ($14 != "clean") dirty++
    }
    END {
      printf "\n| clients x routes | reflector | runs ok | last client ms | median client ms | send ms | peak RSS MiB | CPU s |\n"
      printf "|---|---|---:|---:|---:|---:|---:|---:|\n"
      for (k = 1; k <= nk; k++) {
        split(keys[k], p, SUBSEP)
        for (c = 6; c <= 10; c++) m[keys[k], c] = median(keys[k], c)
        printf "| %s | %s | %d/%d | %s | %s | %s | %s | %s |\n", p[1], p[2], ok[keys[k]], cnt[keys[k]],
          show(m[keys[k], 6], "%.0f"), show(m[keys[k], 7], "%.0f"), show(m[keys[k], 8], "%.0f"),
          show(m[keys[k], 9] == "" ? "" : m[keys[k], 9] / 1024, "%.0f"), show(m[keys[k], 10], "%.1f")
      }
      printf "\n| clients x routes | evpnd/FRR last client | evpnd/FRR peak RSS | evpnd/GoBGP last client | evpnd/GoBGP peak RSS |\n|---|---:|---:|---:|---:|\n"
      for (s = 1; s <= ns; s++) {
        S = sizes[s]; e = S SUBSEP "evpnd"; f = S SUBSEP "frr"; g = S SUBSEP "gobgp"
        printf "| %s | %s | %s | %s | %s |\n", S, ratio(m[e, 6], m[f, 6]), ratio(m[e, 9], m[f, 9]), ratio(m[e, 6], m[g, 6]), ratio(m[e, 9], m[g, 9])
      }
      print "\nratios below 1 favour evpnd; times from the moment the originators began writing until a client held every route but its own and the End-of-RIB"
      if (dirty + busy == 0) printf "conditions: clean machine, at most 10%% of the CPUs busy in the second before each measurement\n"
      else printf "conditions: NOT IDLE: %d of %d measurements next to leftovers, %d began with over 10%% of the CPUs busy; do not quote these figures\n", dirty, total, busy
    }' "$1"
}

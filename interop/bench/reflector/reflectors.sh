# shellcheck shell=bash
# The route reflectors of the reflector benchmark, one per namespace: evpnd (memory data plane, no VNIs),
# FRR bgpd and GoBGP, each listening on RF_RID with every client of RF_RANGE a dynamic iBGP neighbor (AS
# RF_ASN) and a route-reflector client for l2vpn evpn. The clients are evpn-loadgen's reflector mode in the
# same namespace. No address is in 127/8: FRR's zebra drops 127/8 addresses as martians, and bgpd resets every
# session whose local address is on no interface it knows (NOTIFICATION 5/0 right after the TCP accept).

RF_ASN=65001
RF_RID=10.99.0.1
RF_RANGE=10.98.0.0/16
RF_FIRST_CLIENT=10.98.0.1
# An address in the VTEPs' subnet, so that FRR's next-hop tracking finds the VTEP next hops reachable (a
# connected route, as the underlay gives a real reflector); without it FRR reflects no route.
RF_UNDERLAY=10.200.255.254/16

# rf_addresses RUN NODE: the reflector's address and the VTEPs' subnet on lo, and the clients' whole range as
# local addresses (one local route, however many clients).
rf_addresses() {
  local ns
  ns=$(lab_ns "$1" "$2")
  ip -n "$ns" addr add "$RF_RID/32" dev lo && ip -n "$ns" addr add "$RF_UNDERLAY" dev lo \
    && ip -n "$ns" route add local "$RF_RANGE" dev lo || lab_die "cannot set the reflector's addresses in $ns"
}

rf_evpnd_config() {
  local dir=$1 clients=$2
  {
    printf 'router:\n  asn: %s\n  router-id: %s\n  local-vtep: %s\n  listen-address: %s\n' "$RF_ASN" "$RF_RID" "$RF_RID" "$RF_RID"
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
  # The timers on the instance too: FRR 8.4's dynamic neighbors ran the instance's hold timer (9 s with the
  # datacenter defaults) whatever the peer-group said, and dropped quiet clients with 4/0.
  printf 'router bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n timers bgp 60 180\n' "$RF_ASN" "$RF_RID"
  printf ' neighbor clients peer-group\n neighbor clients remote-as %s\n neighbor clients timers 60 180\n' "$RF_ASN"
  printf ' bgp listen range %s peer-group clients\n bgp listen limit %s\n' "$RF_RANGE" "$clients"
  printf ' address-family l2vpn evpn\n  neighbor clients activate\n  neighbor clients route-reflector-client\n exit-address-family\n!\n'
}

rf_gobgp_config() {
  local dir=$1
  mkdir -p "$dir"
  {
    printf '[global.config]\n  as = %s\n  router-id = "%s"\n  port = 179\n  local-address-list = ["%s"]\n' "$RF_ASN" "$RF_RID" "$RF_RID"
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

# rf_end_of_rib KIND: the generator's option for a reflector that sends no End-of-RIB to a client without
# the graceful restart capability (FRR 8.4 and GoBGP): its clients converge on the routes alone.
rf_end_of_rib() { [ "$1" = evpnd ] || printf -- '--no-end-of-rib'; }

# rf_usage KIND RUN NODE: "PEAK_RSS_KB CPU_SECONDS" of the reflector's processes (bgpd + zebra for FRR).
rf_usage() {
  case $1 in evpnd) cv_usage evpnd-memory "$2" "$3" ;; *) cv_usage "$1" "$2" "$3" ;; esac
}

# rf_reflector_alive KIND RUN NODE: whether the reflector's processes are still running.
rf_reflector_alive() {
  local names pid
  case $1 in evpnd) names=" evpnd dotnet " ;; frr) names=" bgpd " ;; gobgp) names=" gobgpd " ;; esac
  for pid in $(ip netns pids "$(lab_ns "$2" "$3")" 2>/dev/null); do
    [[ $names == *" $(cat "/proc/$pid/comm" 2>/dev/null) "* ]] && return 0
  done
  return 1
}

RF_CSV_HEADER="clients,routes,slow_clients,run,reflector,converged,last_ms,median_ms,send_ms,move_last_ms,move_median_ms,move_send_ms,own_back,peak_rss_kb,cpu_s,elapsed_s,load_before,load_after,cpu_busy_before_pct,conditions,failure,updates_received"

# rf_measure KIND CLIENTS ORIGINATORS ROUTES SLOW RUN TIMEOUT: one measurement (the load, then the churn phase)
# with SLOW clients that stop reading; prints its CSV line, and says on stderr why a run failed.
rf_measure() {
  local kind=$1 clients=$2 originators=$3 routes=$4 slow=$5 r=$6 timeout=$7 node dir line moved rc usage load_before busy
  local started failure="" elapsed
  node="rr-$kind-$r-s$slow"
  busy=$(bench_cpu_busy); load_before=$(bench_load)
  ns_create "$RUN" "$node"
  rf_addresses "$RUN" "$node"
  rf_start "$kind" "$RUN" "$node" "$clients"
  dir=$(lab_dir "$RUN" "$node")
  started=$(date +%s)
  # The generator bounds each phase by TIMEOUT; this bounds the whole (the handshakes and both phases) in case
  # it hangs.
  ns_exec "$RUN" "$node" timeout --kill-after=10 $(( 2 * timeout + clients / 10 + 120 )) dotnet "$LOADGEN_DLL" --peer "$RF_RID" --local-as "$RF_ASN" --rt-as "$RF_ASN" \
    --sessions "$clients" --originators "$originators" --slow-clients "$slow" --first-local "$RF_FIRST_CLIENT" \
    --routes "$routes" --vnis "$RF_VNIS" --vteps "$RF_VTEPS" --no-type3 --churn --timeout "$timeout" $(rf_end_of_rib "$kind") \
    --samples "$RF_ARTIFACTS/reflector-$RUN-$kind-$clients-$routes-s$slow-$r.csv" >"$dir/loadgen.out" 2>"$dir/loadgen.err"
  rc=$?
  elapsed=$(( $(date +%s) - started ))
  line=$(grep '^event=reflected' "$dir/loadgen.out" | tail -n 1)
  moved=$(grep '^event=moved' "$dir/loadgen.out" | tail -n 1)
  usage=$(rf_usage "$kind" "$RUN" "$node")
  if [ "$rc" != 0 ]; then
    # Why, in one phrase for the CSV and the table: the reflector gone, a phase that ran out of time, or else.
    if ! rf_reflector_alive "$kind" "$RUN" "$node"; then failure="reflector exited"
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then failure="generator stopped after ${elapsed} s"
    elif [ -z "$line" ]; then failure="sessions not established: $(tail -n 1 "$dir/loadgen.err" | tr ',' ';')"
    elif [ "$(cv_kv "$line" last_ms)" = NaN ]; then failure="load timed out after ${timeout} s: $(cv_kv "$line" converged) converged"
    elif [ -z "$moved" ]; then failure="faults in the load: $(cv_kv "$line" bad_reflection) bad reflections, $(cv_kv "$line" closed) closed"
    elif [ "$(cv_kv "$moved" last_ms)" = NaN ]; then failure="churn timed out after ${timeout} s: $(cv_kv "$moved" converged) converged"
    else failure="faults in the churn: $(cv_kv "$moved" bad_reflection) bad reflections, $(cv_kv "$moved" closed) closed"
    fi
  fi
  ns_delete "$(lab_ns "$RUN" "$node")"
  lab_log "$kind clients $clients routes $routes slow $slow run $r: rc=$rc ${failure:+FAILED ($failure) }$line; $moved; rss_kb cpu_s $usage; ${elapsed} s; load $load_before -> $(bench_load), cpu busy before ${busy}%"
  [ "$rc" = 0 ] || sed 's/^/[loadgen] /' "$dir/loadgen.out" "$dir/loadgen.err" >&2
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$clients" "$routes" "$slow" "$r" "$kind" \
    "$([ "$rc" = 0 ] && echo 1 || echo 0)" "$(cv_kv "$line" last_ms)" "$(cv_kv "$line" median_ms)" "$(cv_kv "$line" send_ms)" \
    "$(cv_kv "$moved" last_ms)" "$(cv_kv "$moved" median_ms)" "$(cv_kv "$moved" send_ms)" "$(cv_kv "$line" own_back)" \
    "${usage% *}" "${usage#* }" "$elapsed" "$load_before" "$(bench_load)" "$busy" "$BENCH_CONDITIONS" "$failure" "$(cv_kv "$line" updates_received)"
  [ "$rc" = 0 ]
}

# rf_table CSV: medians per size, slow clients and reflector over the runs that converged, the ratios to evpnd
# (without slow clients), what the slow clients cost the others, and every failure.
rf_table() {
  awk -F, '
    function median(key, col,   n, i, j, t, v, a) {
      n = 0
      for (i = 1; i <= cnt[key]; i++) { v = val[key, i, col]; if (v != "" && v != "NaN") a[++n] = v + 0 }
      if (n == 0) return ""
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function show(v, f) { return v == "" ? "-" : sprintf(f, v) }
    function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    function diff(a, b) { return (a == "" || b == "") ? "-" : sprintf("%+.0f", a - b) }
    NR == 1 { next }
    {
      size = $1 " x " $2; key = size SUBSEP $3 SUBSEP $5
      if (!(key in cnt)) { keys[++nk] = key; if (!(size in seen)) { seen[size] = 1; sizes[++ns] = size } }
      if (!($5 in rseen)) { rseen[$5] = 1; kinds[++nr] = $5 }
      if ($3 > 0) slowsize[size] = $3
      cnt[key]++; ok[key] += $6
      # Usage (RSS, CPU, elapsed) counts for failed runs too: it says what the failure cost.
      for (c = 7; c <= 13; c++) val[key, cnt[key], c] = ($6 == 1) ? $c : ""
      val[key, cnt[key], 22] = ($6 == 1 && $22 != "") ? $22 / ($1 - $3) : ""
      for (c = 14; c <= 16; c++) val[key, cnt[key], c] = $c
      if ($6 != 1) failed[++nf] = sprintf("%s, %s, %s slow, run %s: %s (peak RSS %.0f MiB, CPU %s s, %s s)", size, $5, $3, $4, $21, $14 / 1024, $15, $16)
      total++; if ($19 > 10) busy++; if ($20 != "clean") dirty++
    }
    END {
      printf "\n| clients x routes | reflector | slow clients | runs ok | last client ms | median client ms | send ms | churn last ms | churn median ms | peak RSS MiB | CPU s | elapsed s | UPDATEs per client |\n"
      printf "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      for (k = 1; k <= nk; k++) {
        split(keys[k], p, SUBSEP)
        for (c = 7; c <= 16; c++) m[keys[k], c] = median(keys[k], c)
        m[keys[k], 22] = median(keys[k], 22)
        printf "| %s | %s | %s | %d/%d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p[1], p[3], p[2], ok[keys[k]], cnt[keys[k]],
          show(m[keys[k], 7], "%.0f"), show(m[keys[k], 8], "%.0f"), show(m[keys[k], 9], "%.0f"), show(m[keys[k], 10], "%.0f"),
          show(m[keys[k], 11], "%.0f"), show(m[keys[k], 14] == "" ? "" : m[keys[k], 14] / 1024, "%.0f"), show(m[keys[k], 15], "%.1f"),
          show(m[keys[k], 16], "%.0f"), show(m[keys[k], 22], "%.0f")
      }
      printf "\n| clients x routes | evpnd/FRR last client | evpnd/FRR churn last | evpnd/FRR peak RSS | evpnd/GoBGP last client | evpnd/GoBGP churn last | evpnd/GoBGP peak RSS |\n|---|---:|---:|---:|---:|---:|---:|\n"
      for (s = 1; s <= ns; s++) {
        S = sizes[s]; e = S SUBSEP 0 SUBSEP "evpnd"; f = S SUBSEP 0 SUBSEP "frr"; g = S SUBSEP 0 SUBSEP "gobgp"
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", S, ratio(m[e, 7], m[f, 7]), ratio(m[e, 10], m[f, 10]), ratio(m[e, 14], m[f, 14]),
          ratio(m[e, 7], m[g, 7]), ratio(m[e, 10], m[g, 10]), ratio(m[e, 14], m[g, 14])
      }
      print "\nratios below 1 favour evpnd (medians of the runs without slow clients; failed runs count for no time)"
      if (length(slowsize) > 0) {
        printf "\n| clients x routes | reflector | slow clients | delay to the last client | delay to the median client | delay to the last client after the churn |\n|---|---|---:|---:|---:|---:|\n"
        for (s = 1; s <= ns; s++) {
          S = sizes[s]; if (!(S in slowsize)) continue
          for (i = 1; i <= nr; i++) {
            a = S SUBSEP 0 SUBSEP kinds[i]; b = S SUBSEP slowsize[S] SUBSEP kinds[i]
            if (!(a in cnt) || !(b in cnt)) continue
            printf "| %s | %s | %s | %s ms | %s ms | %s ms |\n", S, kinds[i], slowsize[S], diff(m[b, 7], m[a, 7]), diff(m[b, 8], m[a, 8]), diff(m[b, 10], m[a, 10])
          }
        }
        print "delay: median with the slow clients (which stop reading after the handshake and are not timed) less the median without"
      }
      print "times: from the moment the originators began writing until a client held every route but its own (and the End-of-RIB from evpnd; FRR and GoBGP send none to a client without graceful restart); churn: from the moment the originators began the move until a client held every moved host at its new VTEP and none at its old one"
      for (i = 1; i <= nf; i++) printf "FAILED: %s\n", failed[i]
      if (dirty + busy == 0) printf "conditions: clean machine, at most 10%% of the CPUs busy in the second before each measurement\n"
      else printf "conditions: NOT IDLE: %d of %d measurements next to leftovers, %d began with over 10%% of the CPUs busy; do not quote these figures\n", dirty, total, busy
    }' "$1"
}

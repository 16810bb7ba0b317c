# shellcheck shell=bash
# Removing runs. A run is every namespace named ${LAB_PREFIX}-RUN-* plus its state folder; deleting
# the namespaces stops the processes in them (FRR, GoBGP, ExaBGP, evpnd) and removes their veths.

lab_run_namespaces() {
  local run=$1
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${LAB_PREFIX}-${run}-" || true
}

# lab_teardown RUN: stops and deletes everything of the run. Safe to call twice. A harness that runs
# processes of its own outside the run's namespaces names the command that stops them in LAB_TEARDOWN_FIRST.
lab_teardown() {
  local run=$1 ns dir
  [ -z "${LAB_TEARDOWN_FIRST:-}" ] || $LAB_TEARDOWN_FIRST
  for ns in $(lab_run_namespaces "$run"); do
    ns_delete "$ns"
  done
  dir=$(lab_rundir "$run")
  [ -d "$dir" ] && rm -rf "$dir"
  return 0
}

# lab_trap_teardown RUN: tears the run down when this shell exits, fails or is interrupted.
# LAB_KEEP_FAILED=1 keeps a run whose set-up failed, to look at its logs (remove it with down).
lab_trap_teardown() {
  LAB_TRAP_RUN=$1
  trap 'lab_exit_teardown $?' EXIT
  trap 'lab_teardown "$LAB_TRAP_RUN"; trap - EXIT; exit 130' INT
  trap 'lab_teardown "$LAB_TRAP_RUN"; trap - EXIT; exit 143' TERM
}

lab_exit_teardown() {
  if [ "$1" -ne 0 ] && [ "${LAB_KEEP_FAILED:-0}" = 1 ]; then
    lab_log "LAB_KEEP_FAILED=1: keeping run $LAB_TRAP_RUN (logs in $(lab_rundir "$LAB_TRAP_RUN")); remove it with: interop/lab down $LAB_TRAP_RUN"
    return
  fi
  lab_teardown "$LAB_TRAP_RUN"
}

lab_untrap() { trap - EXIT INT TERM; }

# lab_runs: every run that has a namespace or a state folder.
lab_runs() {
  {
    ip netns list 2>/dev/null | awk '{print $1}' | sed -n "s/^${LAB_PREFIX}-\([a-z0-9]*\)-.*/\1/p"
    [ -d "$LAB_STATE_ROOT" ] && ls -1 "$LAB_STATE_ROOT"
  } | sort -u
}

# lab_sweep: removes runs whose owner process has exited (a crashed test, an interrupted demo).
# Runs owned by a live process, and runs marked "keep" (a kept demo, a manual `up`), stay.
lab_sweep() {
  local run owner
  for run in $(lab_runs); do
    owner=$(cat "$(lab_rundir "$run")/owner" 2>/dev/null || echo none)
    case $owner in
      keep) continue ;;
      none) ;;
      *) if kill -0 "$owner" 2>/dev/null; then continue; fi ;;
    esac
    lab_log "sweeping stale run $run (owner $owner is gone)"
    lab_teardown "$run"
  done
}

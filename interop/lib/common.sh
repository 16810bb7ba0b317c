# shellcheck shell=bash
# Lab basics: naming, state folders, logging. Every name the lab creates derives from a run name,
# so one run can be found and removed as a whole (see teardown.sh).
#
#   namespace of node N in run R:  ${LAB_PREFIX}-R-N       (e.g. evlab-r42-vtepa)
#   state folder of node N:        ${LAB_STATE_ROOT}/R/N   (configs, logs, pid files, sockets)
#   owner of run R:                ${LAB_STATE_ROOT}/R/owner  (pid of the process that owns the run)

LAB_PREFIX=${LAB_PREFIX:-evlab}
LAB_STATE_ROOT=${LAB_STATE_ROOT:-/run/evlab}
LAB_ROOT=${LAB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
LAB_REPO=${LAB_REPO:-$(cd "$LAB_ROOT/.." && pwd)}

lab_log() { printf '[lab %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
lab_die() { printf '[lab %s] error: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

lab_require_root() {
  [ "$(id -u)" -eq 0 ] || lab_die "the lab creates network namespaces and needs root"
}

# A run name is short and plain: it becomes part of namespace names and paths.
lab_check_run() {
  local run=$1
  [[ $run =~ ^[a-z0-9]{1,16}$ ]] || lab_die "run name '$run' must be 1-16 characters of [a-z0-9]"
}

lab_ns()    { printf '%s-%s-%s' "$LAB_PREFIX" "$1" "$2"; }
lab_dir()   { printf '%s/%s/%s' "$LAB_STATE_ROOT" "$1" "$2"; }
lab_rundir(){ printf '%s/%s' "$LAB_STATE_ROOT" "$1"; }

# Records who owns a run: the sweep (teardown.sh) removes runs whose owner process is gone.
# LAB_OWNER=keep (or unset owner) marks a run that only an explicit `down` removes.
lab_claim_run() {
  local run=$1 owner=${LAB_OWNER:-keep}
  mkdir -p "$(lab_rundir "$run")"
  printf '%s\n' "$owner" >"$(lab_rundir "$run")/owner"
}

# lab_pid_gone PID: true once PID has exited. A daemon started in the background by a script that has
# since ended is reparented, and stays a zombie until its new parent reaps it (that can take a second or
# two in a container); it has exited all the same, though kill -0 still finds it.
lab_pid_gone() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -z "$state" ] || [ "$state" = Z ]
}

lab_node_dir() {
  local run=$1 node=$2 dir
  dir=$(lab_dir "$run" "$node")
  mkdir -p "$dir"
  printf '%s' "$dir"
}

# lab_table: tab-separated lines as aligned columns (column(1) when installed, else tab stops).
lab_table() {
  if command -v column >/dev/null 2>&1; then column -t -s $'\t'; else expand -t 14; fi
}

# lab_is_interface NAME: true when a neighbor is given by interface name (BGP unnumbered), not by address.
lab_is_interface() { [[ $1 =~ ^[A-Za-z][A-Za-z0-9_.-]*$ ]]; }

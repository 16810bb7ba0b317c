# shellcheck shell=bash
# Bounded waits: every wait in the lab ends, with a message saying what did not happen.

# The bounds of the waits for a daemon to answer after its start and for a session to reach Established. They take
# seconds on an idle machine and many times that on a busy one; a bound only ends a wait that will not succeed.
LAB_START_WAIT=${LAB_START_WAIT:-60}
LAB_SESSION_WAIT=${LAB_SESSION_WAIT:-120}

# wait_until TIMEOUT_SECONDS CMD [ARGS...]
# Runs CMD every 0.2 s until it succeeds (returns 0) or TIMEOUT_SECONDS pass (returns 1).
wait_until() {
  local timeout=$1; shift
  local deadline=$(( $(date +%s%N) + timeout * 1000000000 ))
  while true; do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if [ "$(date +%s%N)" -ge "$deadline" ]; then
      lab_log "timed out after ${timeout}s waiting for: $*"
      return 1
    fi
    sleep 0.2
  done
}

# wait_for_file TIMEOUT PATH: waits for PATH to exist (a pid file, a socket).
wait_for_file() { wait_until "$1" test -e "$2"; }

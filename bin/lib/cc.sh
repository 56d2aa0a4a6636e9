# Makes sure a C compiler is there: the agent's process launcher (agent/src/main/c) is compiled
# with the agent. Sourced by bin/tandem and bin/test; as root with apt-get it installs gcc itself.

tandem_need_cc() {
  command -v cc >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing gcc: Tandem's agent builds its process launcher (a small C program) with it..." >&2
    if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev) >&2; then
      return 0
    fi
  fi
  echo "Building Tandem needs a C compiler for the agent's process launcher ('cc' is not on PATH;" \
       "apt-get install gcc)." >&2
  return 1
}

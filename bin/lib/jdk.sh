# Finds a JDK (java and javac) of version 21 or newer; sourced by bin/tandem and bin/test.
# Order: $JAVA_HOME, the java on PATH, then the usual install locations. Prints its home.

tandem_jdk_major() { # JDK home -> major version, or nothing
  local home=$1 v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "${v:-}" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  [ "$v" = 1 ] && v=8
  [ -n "$v" ] && echo "$v"
}

tandem_find_jdk() {
  local candidates=() seen="" home major tried=""
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    home=$(readlink -f "$home")
    case " $seen " in *" $home "*) continue ;; esac
    seen="$seen $home"
    major=$(tandem_jdk_major "$home") || { tried="$tried\n  $home (no java and javac)"; continue; }
    if [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
    tried="$tried\n  $home (version $major)"
  done
  {
    echo "Tandem needs a JDK 21 or newer (java and javac) and found none."
    [ -n "$tried" ] && printf 'Looked at:%b\n' "$tried"
    echo "Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it."
  } >&2
  return 1
}

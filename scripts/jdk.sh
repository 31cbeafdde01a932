# Sourced by ./vigil and ./run-tests: finds a JDK 21 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME, then /usr/lib/jvm/* (newest first). Exits with a message naming the fix if none is found.

java_major() { # the major version of the java binary given, or 0
  local version
  version="$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')" || { echo 0; return; }
  version="${version#1.}"
  version="${version%%[.+-]*}"
  [[ "$version" =~ ^[0-9]+$ ]] && echo "$version" || echo 0
}

find_jdk() {
  local candidates=() dir
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  for dir in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${dir%/}"); done
  for dir in "${candidates[@]}"; do
    if [[ -x "$dir/bin/java" && -x "$dir/bin/javac" ]] && (( $(java_major "$dir/bin/java") >= 21 )); then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! VIGIL_JDK="$(find_jdk)"; then
  echo "vigil: error[usage]: no JDK 21 or newer found in JAVA_HOME or /usr/lib/jvm" >&2
  echo "  fix: install one (e.g. Temurin 21+ or 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  exit 2
fi
export JAVA_HOME="$VIGIL_JDK"

# JVM flags every Vigil JVM needs: DuckDB loads native code; the hashing and Arrow libraries read memory through
# sun.misc.Unsafe, which JDK 23+ warns about unless allowed.
VIGIL_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED)
if (( $(java_major "$JAVA_HOME/bin/java") >= 23 )); then
  VIGIL_JVM_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
fi

# Maven builds Vigil. On a fresh Debian machine where we are root, install it rather than stop; elsewhere say how.
ensure_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "vigil: installing Maven (apt-get install maven)..." >&2
    if apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null 2>&1; then
      return 0
    fi
  fi
  echo "vigil: error[usage]: Maven is needed to build Vigil and was not found" >&2
  echo "  fix: install it (e.g. 'apt-get install maven') and run the command again." >&2
  exit 2
}

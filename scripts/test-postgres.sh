#!/usr/bin/env bash
# test-postgres.sh: a throwaway PostgreSQL cluster for the tests that run against PostgreSQL.
#
#   scripts/test-postgres.sh start   initdb into a fresh temporary folder, start the server on a free loopback port
#                                    with trust authentication, and print the shell lines that export
#                                    TEST_POSTGRES_URL (the JDBC URL) and TEST_POSTGRES_DIR (the cluster's folder)
#   scripts/test-postgres.sh stop DIR   stop the cluster started in DIR and delete DIR
#
# Used by ./run-tests (and so .ci/run), and by the PostgreSQL test classes when TEST_POSTGRES_URL is not set.
# The server binaries come from Debian's postgresql package (/usr/lib/postgresql/*/bin) or PG_BIN. PostgreSQL refuses
# to run as root, so when we are root the cluster belongs to the user postgres (which the package creates).
set -euo pipefail

die() {
  echo "test-postgres.sh: error: $1" >&2
  echo "  fix: $2" >&2
  exit 2
}

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] && { echo "$PG_BIN"; return; }
    die "PG_BIN=$PG_BIN holds no initdb and pg_ctl" "point PG_BIN at PostgreSQL's bin folder, or unset it"
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  die "no PostgreSQL server binaries (initdb, pg_ctl) found in PG_BIN, /usr/lib/postgresql/*/bin or PATH" \
    "install them ('apt-get install postgresql') or set PG_BIN to the folder holding initdb and pg_ctl"
}

as_owner() { # runs a command as the cluster's owner
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root, and there is no user 'postgres' to own the cluster" \
      "install Debian's postgresql package (it creates the user) or run the tests as an ordinary user"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin dir port attempt
  bin="$(find_bin)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/vigil-pg.XXXXXX")"
  chmod 700 "$dir"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir" "see the log above"; }
  for attempt in 1 2 3 4 5; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_free "$port" || continue
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=off" \
        start >/dev/null 2>&1; then
      echo "export TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres'"
      echo "export TEST_POSTGRES_DIR='$dir'"
      return 0
    fi
  done
  cat "$dir/server.log" >&2 2>/dev/null || true
  die "the PostgreSQL server in $dir did not start" "see its log above"
}

stop() {
  local dir="${1:?usage: test-postgres.sh stop DIR}" bin
  [[ -d "$dir/data" ]] || return 0
  bin="$(find_bin)"
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac

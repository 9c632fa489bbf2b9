#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 11).
#
#   .ci/pg-test-cluster.sh install          install the distribution's server when missing (root)
#   .ci/pg-test-cluster.sh run CMD [ARG]... start a cluster in a temp dir, run CMD with
#                                           NEWSMON_TEST_DATABASE_URL set, stop and remove it
#                                           on exit, whatever CMD does
#   .ci/pg-test-cluster.sh start            start one and print `export ...` lines (for eval);
#   .ci/pg-test-cluster.sh stop             stop the one NEWSMON_TEST_PG_DIR names
#   .ci/pg-test-cluster.sh restart          restart it (pg_ctl restart -m fast, same port):
#                                           what tests/shared.rs does mid-run
#
# `start` exports NEWSMON_TEST_PG_DIR (the cluster's directory; data in data/, log in
# server.log), NEWSMON_TEST_PG_BIN (where pg_ctl is) and NEWSMON_TEST_DATABASE_URL.
#
# The cluster listens on 127.0.0.1 on a free port and on a socket in its own directory,
# trusts local connections (it lives for one test run and holds nothing), and runs as the
# calling user, or as `postgres` when called as root (initdb refuses root).
set -euo pipefail

pg_bin() {
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  return 1
}

install() {
  if pg_bin >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "pg-test-cluster: PostgreSQL is not installed; run as root, or: apt-get install -y postgresql" >&2
    return 1
  fi
  echo "pg-test-cluster: installing postgresql" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

# Runs "$@" as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bin dir port
  bin=$(pg_bin) || { echo "pg-test-cluster: no initdb found; run: $0 install" >&2; return 1; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/newsmon-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U newsmon --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  port=$(free_port)
  # Many tests create databases at once; fsync off: a test cluster need not survive a crash.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; return 1; }
  echo "export NEWSMON_TEST_PG_DIR=$dir"
  echo "export NEWSMON_TEST_PG_BIN=$bin"
  echo "export NEWSMON_TEST_DATABASE_URL=postgres://newsmon@127.0.0.1:$port/postgres"
}

stop() {
  local dir=${NEWSMON_TEST_PG_DIR:?NEWSMON_TEST_PG_DIR is not set} bin
  bin=${NEWSMON_TEST_PG_BIN:-$(pg_bin)}
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

restart() {
  local dir=${NEWSMON_TEST_PG_DIR:?NEWSMON_TEST_PG_DIR is not set} bin
  bin=${NEWSMON_TEST_PG_BIN:-$(pg_bin)}
  # pg_ctl restart reuses the options the server was started with (port, socket dir).
  # The owner may not be able to enter the caller's working directory.
  (cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast restart >&2) \
    || { tail -20 "$dir/server.log" >&2; return 1; }
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  run)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 run CMD [ARG]..." >&2; exit 2; }
    exports=$(start)
    eval "$exports"
    trap stop EXIT
    echo "pg-test-cluster: $NEWSMON_TEST_DATABASE_URL" >&2
    "$@"
    ;;
  *)
    echo "usage: $0 install | run CMD [ARG]... | start | stop | restart" >&2
    exit 2
    ;;
esac

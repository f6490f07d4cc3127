#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for tests and for the local cluster.
#   postgres-throwaway.sh install          installs Debian's PostgreSQL when it is absent
#   postgres-throwaway.sh start DIR PORT   creates a server in DIR (if new) and starts it on 127.0.0.1:PORT
#   postgres-throwaway.sh stop DIR         stops the server of DIR (no error when none runs)
# As root the server runs as the postgres user (initdb refuses root). Authentication is trust on
# loopback, and with "fast" set, fsync is off: for throwaway data only.
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  install)
    if [ -z "$(bin_dir)" ]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    fi
    bin_dir >/dev/null || { echo "PostgreSQL could not be installed" >&2; exit 1; }
    ;;
  start)
    dir=${2:?data folder}; port=${3:?port}; fast=${4:-}
    bin=$(bin_dir) || { echo "PostgreSQL is not installed: run $0 install" >&2; exit 1; }
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    cd /tmp
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -U postgres -A trust --no-sync >/dev/null
    fi
    options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
    [ "$fast" = "fast" ] && options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "$options" start >/dev/null
    ;;
  stop)
    dir=${2:?data folder}
    bin=$(bin_dir) || exit 0
    [ -f "$dir/postmaster.pid" ] || exit 0
    cd /tmp
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *)
    sed -n '2,8p' "$0" >&2
    exit 2
    ;;
esac

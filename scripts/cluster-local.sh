#!/usr/bin/env bash
# The cluster of docker-compose.yml as local processes on loopback: PostgreSQL (Debian's, on its own port and
# data folder), two silos and two gateways.
#   scripts/cluster-local.sh up       builds, starts what is not running, prints the gateways and the first start's secrets
#   scripts/cluster-local.sh down     stops everything it started; no process is left
#   scripts/cluster-local.sh status   says what runs
# Data, logs and pid files live in $CLUSTER_DIR (default ./data/cluster); delete it to start over. Ports: PostgreSQL
# $CLUSTER_POSTGRES_PORT (55432), gateways $CLUSTER_GATEWAY_PORT and the next one (5001, 5002), silos' HTTP (health)
# $CLUSTER_SILO_HTTP_PORT and the next (5101, 5102), Orleans silo ports $CLUSTER_SILO_PORT and the next (11211, 11212),
# Orleans gateway ports $CLUSTER_ORLEANS_GATEWAY_PORT and the next (30211, 30212). CLUSTER_SKIP_BUILD=1 starts the
# Release builds already there. Other product settings pass as environment variables (Scim__Throttle__WritesPerSecond=0).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${CLUSTER_DIR:-$root/data/cluster}
postgres_port=${CLUSTER_POSTGRES_PORT:-55432}
gateway_port=${CLUSTER_GATEWAY_PORT:-5001}
silo_http_port=${CLUSTER_SILO_HTTP_PORT:-5101}
silo_port=${CLUSTER_SILO_PORT:-11211}
orleans_gateway_port=${CLUSTER_ORLEANS_GATEWAY_PORT:-30211}
connection="Host=127.0.0.1;Port=$postgres_port;Database=directory;Username=postgres;Maximum Pool Size=20"
cluster=(--Storage:Provider Postgres "--Storage:ConnectionString" "$connection" --Orleans:ClusterId local --Orleans:ServiceId identity-directory)
silo_dll=$root/silo/bin/Release/net10.0/IdentityDirectory.Silo.dll
gateway_dll=$root/gateway/bin/Release/net10.0/IdentityDirectory.GatewayHost.dll
components=(silo1 silo2 gateway1 gateway2)

pid_of() { [ -f "$dir/$1.pid" ] && cat "$dir/$1.pid" || true; }
running() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# The four processes share this machine's cores: a .NET thread pool worker that spins before it sleeps takes CPU
# the others need (a third of a gateway's CPU per request, bench/README.md), so here they sleep at once.
start() { # name, dll, http port, settings...
  local name=$1 dll=$2 port=$3; shift 3
  running "$name" && return 0
  DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0} setsid nohup dotnet "$dll" --Urls "http://127.0.0.1:$port" "$@" >"$dir/$name.log" 2>&1 < /dev/null &
  echo $! >"$dir/$name.pid"
}

wait_ready() { # name, http port
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1; then return 0; fi
    if ! running "$1"; then echo "$1 stopped; its log: $dir/$1.log" >&2; tail -20 "$dir/$1.log" >&2; return 1; fi
    sleep 0.2
  done
  echo "$1 did not become ready; its log: $dir/$1.log" >&2
  return 1
}

up() {
  mkdir -p "$dir"
  command -v curl >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl >/dev/null; }
  if [ "${CLUSTER_SKIP_BUILD:-}" != 1 ]; then
    dotnet build "$root/silo" -c Release -nologo -v quiet >/dev/null
    dotnet build "$root/gateway" -c Release -nologo -v quiet >/dev/null
  fi
  for dll in "$silo_dll" "$gateway_dll"; do
    [ -f "$dll" ] || { echo "$dll is missing: build it (dotnet build -c Release) or unset CLUSTER_SKIP_BUILD" >&2; return 1; }
  done
  scripts/postgres-throwaway.sh install
  if [ ! -f "$dir/postgres/postmaster.pid" ]; then
    scripts/postgres-throwaway.sh start "$dir/postgres" "$postgres_port"
  fi
  psql -h 127.0.0.1 -p "$postgres_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'directory'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$postgres_port" -U postgres -qc "CREATE DATABASE directory"
  for i in 1 2; do
    start "silo$i" "$silo_dll" $((silo_http_port + i - 1)) "${cluster[@]}" --Role silo --Orleans:AdvertisedAddress 127.0.0.1 \
      --Orleans:SiloPort $((silo_port + i - 1)) --Orleans:GatewayPort $((orleans_gateway_port + i - 1))
  done
  for i in 1 2; do wait_ready "silo$i" $((silo_http_port + i - 1)); done
  for i in 1 2; do
    local port=$((gateway_port + i - 1))
    start "gateway$i" "$gateway_dll" "$port" "${cluster[@]}" --PublicBaseUrl "http://127.0.0.1:$port" \
      --Bootstrap:Enabled "$([ "$i" = 1 ] && echo true || echo false)"
  done
  for i in 1 2; do wait_ready "gateway$i" $((gateway_port + i - 1)); done
  for i in 1 2; do echo "Gateway: http://127.0.0.1:$((gateway_port + i - 1))"; done
  # The first gateway prints what its start found, ending with the demo tenant's token or state: on the cluster's
  # first start, the secrets, once.
  for _ in $(seq 1 300); do grep -Eq '^(SCIM token|Demo tenant)' "$dir/gateway1.log" && break; sleep 0.1; done
  grep -E '^(Admin URL|Operator key|SCIM endpoint|SCIM token|Demo tenant)' "$dir/gateway1.log" \
    || { echo "gateway1 printed no start summary; its log: $dir/gateway1.log" >&2; return 1; }
}

down() {
  for name in gateway2 gateway1 silo2 silo1; do
    local pid; pid=$(pid_of "$name")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
  done
  local postmaster=
  [ -f "$dir/postgres/postmaster.pid" ] && postmaster=$(head -1 "$dir/postgres/postmaster.pid")
  scripts/postgres-throwaway.sh stop "$dir/postgres"
  # pg_ctl returns once the pid file is gone, a moment before the server process itself.
  if [ -n "$postmaster" ]; then
    for _ in $(seq 1 100); do kill -0 "$postmaster" 2>/dev/null || break; sleep 0.1; done
  fi
}

status() {
  if [ -f "$dir/postgres/postmaster.pid" ] && kill -0 "$(head -1 "$dir/postgres/postmaster.pid")" 2>/dev/null; then
    echo "postgres: running on 127.0.0.1:$postgres_port"
  else
    echo "postgres: stopped"
  fi
  local i port
  for name in "${components[@]}"; do
    case $name in
      silo*) i=${name#silo}; port=$((silo_http_port + i - 1)) ;;
      gateway*) i=${name#gateway}; port=$((gateway_port + i - 1)) ;;
    esac
    if running "$name"; then
      echo "$name: running (pid $(pid_of "$name"), http://127.0.0.1:$port, $(curl -s "http://127.0.0.1:$port/readyz" || echo 'not answering'))"
    else
      echo "$name: stopped"
    fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac

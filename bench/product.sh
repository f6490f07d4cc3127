# Sourced by the bench scripts: builds the product and the driver (Release) and starts, awaits and
# stops the embedded product on a fresh data directory with the SCIM throttle off.
# Callers set port, silo_port, gateway_port before start_product; extra product settings follow.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=$(mktemp -d)
product=
started_ms=0

dotnet build silo -c Release -v quiet -nologo >/dev/null
dotnet build bench -c Release -v quiet -nologo >/dev/null
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MiB; load: $(uptime)"

start_product() { # $1: log file, then extra settings; sets product and started_ms. product_dir: another checkout's build
  local log=$1
  shift
  started_ms=$(date +%s%3N)
  dotnet "${product_dir:-.}/silo/bin/Release/net10.0/IdentityDirectory.Silo.dll" --Port "$port" --Storage:Path "$data/directory.db" \
    --Orleans:SiloPort "$silo_port" --Orleans:GatewayPort "$gateway_port" \
    --Scim:Throttle:ReadsPerSecond 0 --Scim:Throttle:WritesPerSecond 0 --Scim:Throttle:MembershipChangesPerSecond 0 "$@" >"$log" 2>&1 &
  product=$!
}

await_product() { # $1: log file of a first start; sets endpoint, token, operator_key
  for _ in $(seq 1 150); do
    grep -qs '^SCIM token: ' "$1" && break
    sleep 0.2
  done
  endpoint=$(sed -n 's/^SCIM endpoint: //p' "$1")
  token=$(sed -n 's/^SCIM token: //p' "$1")
  operator_key=$(sed -n 's/^Operator key: //p' "$1")
  [ -n "$token" ] || { cat "$1"; exit 1; }
}

stop_product() {
  [ -n "$product" ] || return 0
  kill "$product" 2>/dev/null || true
  wait "$product" 2>/dev/null || true
  product=
}

rss() { ps -o rss= -p "$product" | awk '{printf "%.0f MiB", $1/1024}'; }

trap 'stop_product; rm -rf "$data"' EXIT

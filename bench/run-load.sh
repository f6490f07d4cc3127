#!/usr/bin/env bash
# Starts the embedded product (Release) on a fresh data directory with the SCIM throttle off, runs the
# load phases against its demo tenant, stops it. Extra arguments go to the driver, e.g. --concurrency 16 --seconds 10.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-5100}
data=$(mktemp -d)
log="$data/product.log"

dotnet build silo -c Release -v quiet -nologo >/dev/null
dotnet build bench -c Release -v quiet -nologo >/dev/null
dotnet silo/bin/Release/net10.0/IdentityDirectory.Silo.dll --Port "$port" --Storage:Path "$data/directory.db" \
  --Orleans:SiloPort 21111 --Orleans:GatewayPort 40000 \
  --Scim:Throttle:ReadsPerSecond 0 --Scim:Throttle:WritesPerSecond 0 >"$log" 2>&1 &
product=$!
trap 'kill $product 2>/dev/null; wait $product 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 100); do
  grep -q '^SCIM token: ' "$log" && break
  sleep 0.2
done
endpoint=$(sed -n 's/^SCIM endpoint: //p' "$log")
token=$(sed -n 's/^SCIM token: //p' "$log")
[ -n "$token" ] || { cat "$log"; exit 1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; product pid $product"
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll load --endpoint "$endpoint" --token "$token" "$@"
echo "product RSS after the run: $(ps -o rss= -p $product | awk '{printf "%.0f MiB", $1/1024}')"

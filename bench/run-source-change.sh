#!/usr/bin/env bash
# Starts the embedded product (Release, throttling off, retired directories purged one minute after
# a change instead of two hours), loads a tenant with users and assignments, changes its identity
# source while the demo tenant takes SCIM writes, and reports. Extra arguments go to the driver,
# e.g. --users 100000.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-5160}
data=$(mktemp -d)
log="$data/product.log"

dotnet build silo -c Release -v quiet -nologo >/dev/null
dotnet build bench -c Release -v quiet -nologo >/dev/null
dotnet silo/bin/Release/net10.0/IdentityDirectory.Silo.dll --Port "$port" --Storage:Path "$data/directory.db" \
  --Orleans:SiloPort 21160 --Orleans:GatewayPort 40160 \
  --Scim:Throttle:ReadsPerSecond 0 --Scim:Throttle:WritesPerSecond 0 --Directory:RetiredPurgeDelay 00:00:05 >"$log" 2>&1 &
product=$!
trap 'kill $product 2>/dev/null; wait $product 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 100); do
  grep -q '^SCIM token: ' "$log" && break
  sleep 0.2
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll source-change --base "http://127.0.0.1:$port" \
  --operator-key "$(sed -n 's/^Operator key: //p' "$log")" \
  --scim-endpoint "$(sed -n 's/^SCIM endpoint: //p' "$log")" --scim-token "$(sed -n 's/^SCIM token: //p' "$log")" \
  --db "$data/directory.db" "$@"

#!/usr/bin/env bash
# Starts the embedded product (Release, throttle off, retired directories purged five seconds after
# a change instead of two hours), loads a tenant with users and assignments, changes its identity
# source while the demo tenant takes SCIM writes, and reports. Extra arguments go to the driver,
# e.g. --users 100000 --json bench/results/source-change.json.
port=${BENCH_PORT:-5160} silo_port=${BENCH_SILO_PORT:-21160} gateway_port=${BENCH_GATEWAY_PORT:-40160}
source "$(dirname "$0")/product.sh"

start_product "$data/product.log" --Directory:RetiredPurgeDelay 00:00:05
await_product "$data/product.log"
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll source-change --base "http://127.0.0.1:$port" \
  --operator-key "$operator_key" --scim-endpoint "$endpoint" --scim-token "$token" --db "$data/directory.db" "$@"

#!/usr/bin/env bash
# Starts the embedded product (Release) on a fresh data directory, runs the load phases against its
# demo tenant (reporting the product's CPU per request), stops it. Extra arguments go to the driver,
# e.g. --concurrency 16 --seconds 10.
port=${BENCH_PORT:-5100} silo_port=${BENCH_SILO_PORT:-21111} gateway_port=${BENCH_GATEWAY_PORT:-40000}
source "$(dirname "$0")/product.sh"

start_product "$data/product.log"
await_product "$data/product.log"
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll load --endpoint "$endpoint" --token "$token" --pid "$product" "$@"
echo "product RSS after the run: $(rss)"

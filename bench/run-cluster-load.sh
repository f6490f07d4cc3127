#!/usr/bin/env bash
# The load phases in one run against both modes: the embedded product (one process on SQLite, as bench/run-load.sh),
# then the cluster of scripts/cluster-local.sh (two silos and two gateways apart on PostgreSQL; the driver sends its
# requests to both gateways in turn). Each phase reports the CPU per request of the product's processes, from /proc.
# Extra arguments go to the driver, e.g. --concurrency 16 --seconds 5. BENCH_RESULTS=DIR keeps both runs' JSON there.
port=${BENCH_PORT:-5100} silo_port=${BENCH_SILO_PORT:-21111} gateway_port=${BENCH_GATEWAY_PORT:-40000}
source "$(dirname "$0")/product.sh"
source "$(dirname "$0")/cluster.sh"
trap 'stop_product; rm -rf "$data"; stop_cluster; rm -rf "$cluster_dir"' EXIT
results=${BENCH_RESULTS:-$data}
driver=bench/bin/Release/net10.0/IdentityDirectory.Bench.dll

echo "== embedded (one process, SQLite)"
start_product "$data/product.log"
await_product "$data/product.log"
dotnet "$driver" load --endpoint "$endpoint" --token "$token" --pid "$product" --json "$results/load-embedded.json" "$@"
echo "product RSS after the run: $(rss)"
stop_product

echo "== cluster (2 silos, 2 gateways, PostgreSQL)"
start_cluster
dotnet "$driver" load --endpoint "$endpoints" --token "$token" "${cluster_cpu[@]}" --json "$results/load-cluster.json" "$@"
for name in silo1 silo2 gateway1 gateway2; do
  echo "$name RSS after the run: $(ps -o rss= -p "$(cat "$cluster_dir/$name.pid")" | awk '{printf "%.0f MiB", $1/1024}')"
done
echo "load after: $(uptime)"

#!/usr/bin/env bash
# Starts the embedded product (Release) on a fresh data directory with the SCIM throttle off, runs the
# scale scenario against its demo tenant, stops it, starts it again on the same data and measures the
# cold start to the first 201, stops it. Extra arguments go to the driver, e.g.
#   bench/run-scale.sh --users 20000 --groups 10000 --big-group 10000 --json /tmp/scale.json
# (a relative --json path is relative to the repository root; default bench/scale-results.json).
# The user quota is raised above --users so the creates beside the cursor walk and the cold-start
# create have room; everything else runs on the product's defaults.
port=${BENCH_PORT:-5300} silo_port=${BENCH_SILO_PORT:-21311} gateway_port=${BENCH_GATEWAY_PORT:-40300}
source "$(dirname "$0")/product.sh"

json=bench/scale-results.json
source "$(dirname "$0")/scale-args.sh"

quota=(--Directory:UserQuota $((users + 100000)))
start_product "$data/product.log" "${quota[@]}"
await_product "$data/product.log"
echo "product pid $product"

rc=0
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll scale --endpoint "$endpoint" --token "$token" --operator-key "$operator_key" --pid "$product" "${args[@]}" || rc=$?
echo "product RSS after the run: $(rss); data: $(du -sh "$data" | cut -f1)"
stopped=$(date +%s%3N)
stop_product
echo "stopped in $(( $(date +%s%3N) - stopped )) ms"

# Cold start on the loaded data: from process start to the first successful POST /Users.
start_product "$data/product-restart.log" "${quota[@]}"
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll first201 --endpoint "$endpoint" --token "$token" \
  --since-ms "$started_ms" --json "$json" || rc=1
echo "product RSS after the cold start: $(rss)"
stop_product
echo "load after: $(uptime)"
echo "report: $json"
exit $rc

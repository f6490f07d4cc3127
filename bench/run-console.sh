#!/usr/bin/env bash
# What an operator console page costs to render with 200,000 users in a tenant: starts the embedded
# product (Release) on a fresh data directory with the SCIM throttle off, loads its demo tenant through
# SCIM (200,000 users, one group of 100,000 members), signs in to /console with the operator key and
# times each page at concurrency 1 and 8, with the product's CPU per page. Extra arguments go to the
# driver, e.g. bench/run-console.sh --users 20000 --json /tmp/console.json
port=${BENCH_PORT:-5310} silo_port=${BENCH_SILO_PORT:-21321} gateway_port=${BENCH_GATEWAY_PORT:-40310}
source "$(dirname "$0")/product.sh"

users=200000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--users" ] && users=${args[$((i + 1))]}
done

start_product "$data/product.log" --Directory:UserQuota $((users + 1000))
await_product "$data/product.log"
echo "product pid $product"
rc=0
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll console --base "http://127.0.0.1:$port" --operator-key "$operator_key" \
  --scim-endpoint "$endpoint" --scim-token "$token" --pid "$product" "${args[@]}" || rc=$?
echo "product RSS after the run: $(rss)"
stop_product
exit $rc

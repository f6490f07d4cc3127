#!/usr/bin/env bash
# The scale scenario (bench/run-scale.sh) against one process on PostgreSQL: the product as README command 1
# runs it (silo and gateway together), with the directory store, grain state, reminders and clustering on a
# throwaway PostgreSQL 15 server (fsync on, as in scripts/cluster-local.sh) instead of SQLite. It separates
# what PostgreSQL costs a lookup from what the cluster's five processes on two cores cost it
# (bench/run-cluster-scale.sh). Extra arguments go to the driver, as in run-scale.sh (default report
# bench/scale-postgres-results.json). No cold-start measurement. Between the load and the lookups PostgreSQL is told to
# CHECKPOINT and ANALYZE (the driver's --settle, timed), as in run-cluster-scale.sh; BENCH_SETTLE=0 leaves that out.
port=${BENCH_PORT:-5310} silo_port=${BENCH_SILO_PORT:-21321} gateway_port=${BENCH_GATEWAY_PORT:-40310}
postgres_port=${BENCH_POSTGRES_PORT:-25542}
source "$(dirname "$0")/product.sh"

json=bench/scale-postgres-results.json
source "$(dirname "$0")/scale-args.sh"

postgres_dir=$(mktemp -d)
chmod 755 "$postgres_dir" # PostgreSQL runs as its own user and keeps its data inside
scripts/postgres-throwaway.sh install
scripts/postgres-throwaway.sh start "$postgres_dir/data" "$postgres_port"
trap 'stop_product; scripts/postgres-throwaway.sh stop "$postgres_dir/data"; rm -rf "$data" "$postgres_dir"' EXIT

start_product "$data/product.log" --Directory:UserQuota $((users + 100000)) \
  --Storage:Provider Postgres --Storage:ConnectionString "Host=127.0.0.1;Port=$postgres_port;Username=postgres"
await_product "$data/product.log"
echo "product pid $product; PostgreSQL on port $postgres_port"

rc=0
postgres_settle "$postgres_port"
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll scale --endpoint "$endpoint" --token "$token" --operator-key "$operator_key" \
  "${settle[@]}" --pid "$product" "${args[@]}" || rc=$?
echo "product RSS after the run: $(rss); PostgreSQL data: $(du -sh "$postgres_dir/data" | cut -f1)"
echo "load after: $(uptime)"
echo "report: $json"
exit $rc

#!/usr/bin/env bash
# The scale scenario (bench/run-scale.sh) against the cluster of scripts/cluster-local.sh: two silos and two gateways
# apart on PostgreSQL, the driver's requests to both gateways in turn, memory reported for every process. Extra arguments go to the driver,
# e.g. --users 20000 --groups 10000 --big-group 10000 --json /tmp/scale.json (default bench/scale-cluster-results.json).
# The user quota is raised above --users, as in run-scale.sh. No cold-start measurement: the cluster's silos restart
# one at a time, which the failover test covers. Between the load and the lookups PostgreSQL is told to CHECKPOINT and
# ANALYZE (the driver's --settle, timed), so the lookups measure the directory at rest, not the server writing out the
# bulk load; BENCH_SETTLE=0 leaves that out. The rfc filter lookups run too (the driver switches the tenant's profile).
source "$(dirname "$0")/cluster.sh"

json=bench/scale-cluster-results.json
source "$(dirname "$0")/scale-args.sh"
export Directory__UserQuota=$((users + 100000))

echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MiB; load: $(uptime)"
start_cluster
rc=0
postgres_settle "$CLUSTER_POSTGRES_PORT" directory
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll scale --endpoint "$endpoints" --token "$token" --operator-key "$operator_key" \
  "${settle[@]}" --pid "$(cat "$cluster_dir/silo1.pid")" "${args[@]}" || rc=$?
for name in silo1 silo2 gateway1 gateway2; do
  echo "$name RSS after the run: $(ps -o rss= -p "$(cat "$cluster_dir/$name.pid")" | awk '{printf "%.0f MiB", $1/1024}')"
done
echo "PostgreSQL data: $(du -sh "$cluster_dir/postgres" | cut -f1)"
echo "load after: $(uptime)"
echo "report: $json"
exit $rc

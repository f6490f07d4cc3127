# Sourced by the bench scripts that measure the cluster: scripts/cluster-local.sh (PostgreSQL with fsync on, two
# silos, two gateways apart) on a fresh folder and the bench's own ports, from the Release builds, with the SCIM
# throttle off. start_cluster sets endpoints (the demo tenant's SCIM base on each gateway, comma-separated), token,
# operator_key and cluster_cpu (the driver's --cpu arguments: silos, gateways, PostgreSQL with its server processes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cluster_dir=$(mktemp -d)
chmod 755 "$cluster_dir" # PostgreSQL runs as its own user and keeps its data inside
export CLUSTER_DIR=$cluster_dir CLUSTER_SKIP_BUILD=1
export CLUSTER_POSTGRES_PORT=${BENCH_CLUSTER_POSTGRES_PORT:-25532} CLUSTER_GATEWAY_PORT=${BENCH_CLUSTER_GATEWAY_PORT:-5601}
export CLUSTER_SILO_HTTP_PORT=${BENCH_CLUSTER_SILO_HTTP_PORT:-5611} CLUSTER_SILO_PORT=${BENCH_CLUSTER_SILO_PORT:-21611}
export CLUSTER_ORLEANS_GATEWAY_PORT=${BENCH_CLUSTER_ORLEANS_GATEWAY_PORT:-40611}
export Scim__Throttle__ReadsPerSecond=0 Scim__Throttle__WritesPerSecond=0 Scim__Throttle__MembershipChangesPerSecond=0
cluster_up=

dotnet build silo -c Release -v quiet -nologo >/dev/null
dotnet build gateway -c Release -v quiet -nologo >/dev/null
dotnet build bench -c Release -v quiet -nologo >/dev/null

start_cluster() {
  cluster_up=1
  scripts/cluster-local.sh up | tee "$cluster_dir/up.log"
  local scim_path
  endpoint=$(sed -n 's/^SCIM endpoint: //p' "$cluster_dir/up.log")
  token=$(sed -n 's/^SCIM token: //p' "$cluster_dir/up.log")
  operator_key=$(sed -n 's/^Operator key: //p' "$cluster_dir/up.log")
  scim_path=${endpoint#http://*/}
  endpoints=$(sed -n 's/^Gateway: //p' "$cluster_dir/up.log" | sed "s|\$|/$scim_path|" | paste -sd,)
  cluster_cpu=(--cpu "silos=$(cat "$cluster_dir/silo1.pid"),$(cat "$cluster_dir/silo2.pid")"
    --cpu "gateways=$(cat "$cluster_dir/gateway1.pid"),$(cat "$cluster_dir/gateway2.pid")"
    --cpu "postgres=$(head -1 "$cluster_dir/postgres/postmaster.pid")")
}

stop_cluster() {
  [ -n "$cluster_up" ] || return 0
  scripts/cluster-local.sh down
  cluster_up=
}

trap 'stop_cluster; rm -rf "$cluster_dir"' EXIT

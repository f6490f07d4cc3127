#!/usr/bin/env bash
# Deleting a big tenant while another one is provisioned: starts the embedded product (Release) on a
# fresh data directory, loads its demo tenant with the scale scenario (default 200,000 users, 100,000
# groups, a 100,000-member group), creates a second tenant, runs the load phases against it at
# concurrency 16 and, once its baseline phase is done, deletes the big tenant through the admin API.
# Prints how long the DELETE took to answer, the big tenant's rows left every second until none are,
# and the second tenant's phase table. Extra arguments go to the scale driver, e.g. --users 20000
# --groups 10000 --big-group 10000.
port=${BENCH_PORT:-5400} silo_port=${BENCH_SILO_PORT:-21411} gateway_port=${BENCH_GATEWAY_PORT:-40400}
source "$(dirname "$0")/product.sh"

start_product "$data/product.log" --Directory:UserQuota 400000
await_product "$data/product.log"
big_tenant=$(echo "$endpoint" | sed -E 's#.*/([^/]+)/scim/v2/?$#\1#')
admin="http://127.0.0.1:$port/admin"
driver=bench/bin/Release/net10.0/IdentityDirectory.Bench.dll

dotnet "$driver" scale --endpoint "$endpoint" --token "$token" --samples 200 --patch-repeats 10 --concurrency 1 "$@" >"$data/scale.log" 2>&1 \
  || { cat "$data/scale.log"; exit 1; }
grep '^load:' "$data/scale.log" | awk '!seen[$0]++'

field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
second=$(curl -sf -X POST -H "Authorization: Bearer $operator_key" -H 'Content-Type: application/json' \
  -d '{"displayName":"second","identitySource":"ExternalIdp","externalIdpName":"IdP"}' "$admin/tenants" | field tenantId)
grant=$(curl -sf -X POST -H "Authorization: Bearer $operator_key" "$admin/tenants/$second/provisioning")

# The big tenant's rows in every table that holds them, every generation included.
rows() {
  python3 - "$data/directory.db" "$big_tenant" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30)
t = sys.argv[2]
tables = ["directory_users", "directory_groups", "directory_members", "directory_assignments",
          "directory_usage", "directory_events", "directory_audit_log"]
print(sum(db.execute(f"SELECT count(*) FROM {table} WHERE tenant_id = ? OR (tenant_id >= ? AND tenant_id < ?)",
                     (t, t + "~", t + "\x7f")).fetchone()[0] for table in tables))
PY
}
echo "big tenant: $(rows) rows"

dotnet "$driver" load --endpoint "$(echo "$grant" | field scimEndpoint)" --token "$(echo "$grant" | field token)" \
  --concurrency 16 --seconds 5 >"$data/load.log" 2>&1 &
load=$!
until grep -qs '^baseline' "$data/load.log"; do sleep 0.1; done
started=$(date +%s%3N)
curl -s -o /dev/null -w 'DELETE of the big tenant: %{http_code} in %{time_total} s\n' -X DELETE \
  -H "Authorization: Bearer $operator_key" "$admin/tenants/$big_tenant"
while :; do
  left=$(rows)
  echo "$(($(date +%s%3N) - started)) ms after the DELETE: $left rows left"
  [ "$left" = 0 ] && break
  sleep 1
done
wait $load
echo "second tenant, load phases beside the purge (the create phase ran while it purged):"
sed -n '/^phase/,$p' "$data/load.log"

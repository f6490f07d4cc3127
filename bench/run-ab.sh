#!/usr/bin/env bash
# Compares another checkout of the product with this one on the load phases: `bench/run-ab.sh BEFORE_DIR OUT_DIR
# [pairs]` runs the embedded product of each (its Release build; BEFORE_DIR's is built first) on a fresh data
# folder with the SCIM throttle off (bench/product.sh), and this repository's driver against it (`load
# --concurrency 16 --seconds 5`, CPU per request from /proc), in pairs of alternating order, before-after
# then after-before (default 2 of each: ABBA ABBA), since the second run of a pair measured slower on this
# shared machine whichever build it was. Each run's JSON goes to OUT_DIR/{before,after}-N.json, and the
# means per phase are printed at the end. BEFORE_DIR is a checkout of any commit, e.g.
# `git worktree add --detach /tmp/before 13c4ab8`. BENCH_WARMUP_SECONDS sets the driver's untimed warm-up
# per phase (3 s).
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_DIR OUT_DIR [pairs]" >&2; exit 2; }
before=$(readlink -f "$1") out=$(readlink -f "$2") pairs=${3:-2}
port=${BENCH_PORT:-5181} silo_port=${BENCH_SILO_PORT:-21181} gateway_port=${BENCH_GATEWAY_PORT:-40181}
source "$(dirname "$0")/product.sh" # cd's to the repository root
dotnet build "$before/silo" -c Release -v quiet -nologo >/dev/null
mkdir -p "$out"

run() { # $1: before|after, $2: run number
  rm -rf "$data"
  data=$(mktemp -d)
  product_dir=$([ "$1" = before ] && echo "$before" || echo .) start_product "$data/product.log"
  await_product "$data/product.log"
  echo "== $1 $2, load $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll load --endpoint "$endpoint" --token "$token" --concurrency 16 --seconds 5 \
    --warmup-seconds "${BENCH_WARMUP_SECONDS:-3}" --pid "$product" --json "$out/$1-$2.json" | sed -n '/^phase /,$p' | tail -n +2
  stop_product
}

n=0
for _ in $(seq 1 "$pairs"); do
  run before $((n + 1)); run after $((n + 1))
  run after $((n + 2)); run before $((n + 2))
  n=$((n + 2))
done

# The mean of each side's runs, per phase.
python3 - "$out" <<'PY'
import glob, json, statistics, sys
runs = {}
for path in sorted(glob.glob(f"{sys.argv[1]}/*.json")):
    side = path.rsplit("/", 1)[1].split("-")[0]
    for phase in json.load(open(path)):
        runs.setdefault(phase["Phase"], {}).setdefault(side, []).append(phase)
print(f"{'phase':12} {'before req/s':>12} {'after req/s':>12} {'before CPU µs':>14} {'after CPU µs':>13} {'CPU after/before':>17}")
for name, sides in runs.items():
    if len(sides) < 2:
        continue
    rate = {s: statistics.mean(p["RequestsPerSecond"] for p in sides[s]) for s in sides}
    cpu = {s: statistics.mean(p["CpuMicrosecondsPerRequest"] for p in sides[s]) for s in sides}
    print(f"{name:12} {rate['before']:12,.0f} {rate['after']:12,.0f} {cpu['before']:14.0f} {cpu['after']:13.0f} {cpu['after'] / cpu['before'] - 1:+17.1%}")
PY

#!/usr/bin/env bash
# Runs every test of the product and ends with the line "N passed, M failed".
# Needs the .NET SDK; installs what the tests need besides it from Debian's packages when absent
# (PostgreSQL; Chromium and its driver for the console's browser tests), and starts a throwaway
# PostgreSQL server on a loopback port for the run.
set -uo pipefail
cd "$(dirname "$0")"

results="$(pwd)/TestResults"
rm -rf "$results"

# docker-compose validates docker-compose.yml without a Docker engine.
if ! command -v docker-compose >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi
if ! scripts/postgres-throwaway.sh install || ! scripts/chromium-install.sh; then
  echo "0 passed, 1 failed"
  exit 1
fi
postgres_dir=$(mktemp -d /tmp/idir-test-postgres.XXXXXX)
trap 'scripts/postgres-throwaway.sh stop "$postgres_dir"; rm -rf "$postgres_dir"' EXIT
started=""
for attempt in 1 2 3 4 5; do
  postgres_port=$((20000 + RANDOM % 30000)) # a port taken already makes the start fail: try another
  if scripts/postgres-throwaway.sh start "$postgres_dir" "$postgres_port" fast 2>/dev/null; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "PostgreSQL did not start; its log: $postgres_dir/server.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export IDENTITY_DIRECTORY_TEST_POSTGRES="Host=127.0.0.1;Port=$postgres_port;Username=postgres"

# Everything compiles (the CLI and the benchmark driver too, warnings as errors), then every test runs.
if ! dotnet build Directory.sln --configuration Release -nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test Directory.sln --configuration Release --no-build \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
passed=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*')
failed=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] || [ "${failed:-0}" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi

#!/usr/bin/env bash
# Runs every test of the product and ends with the line "N passed, M failed".
# Needs only the .NET SDK: the embedded store is SQLite, which ships inside the NuGet packages.
set -uo pipefail
cd "$(dirname "$0")"

results="$(pwd)/TestResults"
rm -rf "$results"

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

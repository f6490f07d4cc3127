#!/usr/bin/env bash
# Profiles the product's write phases (or others, PROFILE_PHASES): starts the embedded product (Release) on a fresh data directory
# with the SCIM throttle off (bench/product.sh), runs `load --concurrency 16 --seconds 20` against its
# demo tenant and, while the create, patch and delete phases run, samples the product's managed thread
# stacks with dotnet-trace for 15 s each. The nettrace files are converted to speedscope after the load
# (so the conversion takes no CPU from a phase) and summarised with bench/speedscope-top.py.
#
#   bench/profile-writes.sh [output dir [product settings...]]   (default bench/results/profile)
#   e.g. bench/profile-writes.sh /tmp/profile-warn --Logging:LogLevel:Default Warning
#
# Needs dotnet-trace: dotnet tool install --tool-path /tmp/tools dotnet-trace --version 10.0.750501
# (DOTNET_TRACE overrides the path). `--profile cpu-sampling` belongs to `collect-linux`, which needs
# the kernel's user_events; `collect` samples with dotnet-sampled-thread-time (every managed thread at
# ~100 Hz, running or not; the analysis drops the waiting stacks) plus dotnet-common (GC, JIT events).
#
# The phases run in order, each 20 s: baseline, create, get, filter, patch, member add, delete (delete
# runs until every created user is gone, 12-17 s here). The driver prints a phase's row when the phase
# ends, so each trace starts when the row of the phase before it appears; the delete trace is 10 s so it
# ends inside the phase.
#
# PROFILE_TOOL=perf samples on-CPU time with `perf record -e cpu-clock --call-graph dwarf` instead
# (native frames too: SQLite, kernel, CLR runtime), summarised with bench/perf-top.py; the product then
# runs with DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 so perf can name JIT-compiled code.
# PROFILE_TOOL=none only takes the CPU and disk figures (the throughput without a profiler attached).
# PROFILE_PHASES="filter patch" traces other phases (any of create get filter patch member-add delete, in
# that order); product_dir=OTHER_CHECKOUT profiles another checkout's Release build (bench/product.sh).
port=${BENCH_PORT:-5170} silo_port=${BENCH_SILO_PORT:-21170} gateway_port=${BENCH_GATEWAY_PORT:-40170}
trace_tool=${DOTNET_TRACE:-/tmp/tools/dotnet-trace}
[ -x "$trace_tool" ] || { echo "dotnet-trace not found at $trace_tool" >&2; exit 2; }
out_arg=${1:-bench/results/profile}
shift || true
settings=("$@")
source "$(dirname "$0")/product.sh" # cd's to the repository root
out=$out_arg
mkdir -p "$out"
traces=$(mktemp -d /tmp/profile-writes.XXXXXX) # nettrace files stay out of the repository
duration=${PROFILE_SECONDS:-15}
delete_duration=${PROFILE_DELETE_SECONDS:-10}
tool=${PROFILE_TOOL:-dotnet-trace}
read -ra phases <<<"${PROFILE_PHASES:-create patch delete}"
case "$tool" in
  dotnet-trace | none) runtime_env=() ;;
  perf) runtime_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0) ;;
  *) echo "PROFILE_TOOL: dotnet-trace, perf or none" >&2; exit 2 ;;
esac

# Other load on the machine skews every share: wait (up to 10 min) for 5 s with the cores under 15% busy.
await_quiet() {
  for _ in $(seq 1 120); do
    local a b
    a=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat)
    sleep 5
    b=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat)
    read -r busy idle <<<"$(echo "$a $b" | awk '{print $3 - $1, $4 - $2}')"
    ((busy * 100 < 15 * (busy + idle))) && return 0
    echo "machine busy ($((busy * 100 / (busy + idle)))%), waiting"
  done
  echo "machine still busy; profiling anyway"
}
await_quiet

if ((${#runtime_env[@]})); then export "${runtime_env[@]}"; fi
start_product "$data/product.log" "${settings[@]}"
if ((${#runtime_env[@]})); then unset "${runtime_env[@]%%=*}"; fi # the driver runs without them
await_product "$data/product.log"
echo "product pid $product; settings: ${settings[*]:-none}; profiler: $tool ${runtime_env[*]}; traces in $traces"

# Process CPU (utime+stime, clock ticks), whole-machine busy/total jiffies, the data disk's writes and
# cache flushes (one per fsync: an estimate of the commits), per-thread CPU of the product and the CPU of
# every process (to see what else ran beside it).
disk=$(df --output=source "$data" | tail -1)
disk=${disk#/dev/}
snapshot() { # $1: file
  python3 - "$product" "$disk" >"$1" <<'PY'
import glob, os, sys, time
def ticks(path):
    try:
        text = open(path).read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12]), text[text.index("(") + 1:text.rindex(")")].replace(" ", "_")
pid = sys.argv[1]
print("time_ms", int(time.time() * 1000))
print("process", ticks(f"/proc/{pid}/stat")[0])
cpu = [int(v) for v in open("/proc/stat").readline().split()[1:]]
busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]
print("machine", busy, busy + cpu[3] + cpu[4])
for line in open("/proc/diskstats"):
    f = line.split()
    if f[2] == sys.argv[2] and len(f) >= 20:  # writes completed, ms writing, flushes completed, ms flushing
        print("disk", f[7], f[10], f[18], f[19])
for task in glob.glob(f"/proc/{pid}/task/*/stat"):
    if (t := ticks(task)):
        print("thread", task.split("/")[-2], *t)
for proc in glob.glob("/proc/[0-9]*/stat"):
    if (t := ticks(proc)) and t[0] > 0:
        print("proc", proc.split("/")[-2], *t)
PY
}

trace_phase() { # $1: phase name, $2: seconds; profiles the product from now
  local name=$1 seconds=$2 tracer=
  snapshot "$traces/$name.cpu-start"
  case "$tool" in
    dotnet-trace)
      "$trace_tool" collect -p "$product" --profile dotnet-common,dotnet-sampled-thread-time \
        --duration "00:00:$(printf %02d "$seconds")" -o "$traces/$name.nettrace" >"$traces/$name.trace.log" 2>&1 &
      tracer=$! ;;
    perf)
      perf record -e cpu-clock -F 249 --call-graph dwarf,8192 -p "$product" -o "$traces/$name.perf.data" \
        -- sleep "$seconds" >"$traces/$name.trace.log" 2>&1 &
      tracer=$! ;;
  esac
  sleep "$seconds"
  snapshot "$traces/$name.cpu-end"
  if [ -n "$tracer" ]; then wait "$tracer" || { echo "$tool failed for $name:"; cat "$traces/$name.trace.log"; }; fi
}

# GC figures from a nettrace (the dotnet-common GC events), by TraceEvent's GC analysis: a small console
# tool built once per run against the TraceEvent assembly that ships with dotnet-trace.
gc_summary() { # $@: nettrace files
  local tool=$traces/gc-summary lib
  lib=$(dirname "$(find "$(dirname "$(readlink -f "$trace_tool")")/.store" -name Microsoft.Diagnostics.Tracing.TraceEvent.dll | head -1)")
  if [ ! -f "$tool/bin/gc-summary.dll" ]; then
    mkdir -p "$tool"
    cat >"$tool/gc-summary.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><OutputPath>bin</OutputPath>
    <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath></PropertyGroup>
  <ItemGroup><Reference Include="$lib/Microsoft.Diagnostics.Tracing.TraceEvent.dll" />
    <Reference Include="$lib/Microsoft.Diagnostics.FastSerialization.dll" /></ItemGroup>
</Project>
CSPROJ
    cat >"$tool/Program.cs" <<'CS'
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;

foreach (var path in args)
{
    using var source = new EventPipeEventSource(path);
    source.NeedLoadedDotNetRuntimes();
    double first = double.NaN, last = 0;
    source.AllEvents += e => { if (double.IsNaN(first)) first = e.TimeStampRelativeMSec; last = e.TimeStampRelativeMSec; };
    source.Process();
    var span = last - first;
    foreach (var process in source.Processes())
    {
        var gcs = process.LoadedDotNetRuntime()?.GC.GCs.Where(g => g.StartRelativeMSec >= first).ToList();
        if (gcs is null || gcs.Count == 0) continue;
        Console.WriteLine($"== GC ({Path.GetFileName(path)}, {span / 1000:F2} s of events): {gcs.Count} collections");
        foreach (var kind in gcs.GroupBy(g => (g.Generation, g.Type)).OrderBy(g => g.Key.Generation))
        {
            var pause = kind.Sum(g => g.PauseDurationMSec);
            Console.WriteLine($"  gen{kind.Key.Generation} {kind.Key.Type}: {kind.Count()}, pauses {pause:F0} ms ({pause / span:P1} of the time), " +
                $"mean {pause / kind.Count():F1} ms, max {kind.Max(g => g.PauseDurationMSec):F1} ms; promoted mean {kind.Average(g => g.PromotedMB):F1} MB");
        }
        var total = gcs.Sum(g => g.PauseDurationMSec);
        var allocated = gcs.Sum(g => g.AllocedSinceLastGCMB);
        Console.WriteLine($"  all threads stopped {total:F0} ms = {total / span:P1} of the time; allocated ~{allocated:F0} MB = {allocated / (span / 1000):F0} MB/s; " +
            $"heap after the last GC {gcs.Last().HeapSizeAfterMB:F0} MB");
    }
}
CS
    dotnet build "$tool" -c Release -v quiet -nologo >/dev/null || { echo "gc-summary: build failed"; return; }
  fi
  dotnet "$tool/bin/gc-summary.dll" "$@"
}

await_row() { # $1: phase whose result row ends the wait (the next phase has started)
  until grep -q "^$1 " "$out/load.log"; do
    kill -0 "$driver" 2>/dev/null || { echo "driver ended before $1"; cat "$out/load.log"; exit 1; }
    sleep 0.1
  done
}

echo "load at the start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/load.log"
dotnet bench/bin/Release/net10.0/IdentityDirectory.Bench.dll load --endpoint "$endpoint" --token "$token" \
  --concurrency 16 --seconds 20 >>"$out/load.log" 2>&1 &
driver=$!

# Each traced phase starts when the row of the phase before it appears.
order=(baseline create get filter patch member-add delete)
for name in "${phases[@]}"; do
  for i in "${!order[@]}"; do [ "${order[$i]}" = "$name" ] && break; done
  [ "${order[$i]}" = "$name" ] && ((i > 0)) || { echo "PROFILE_PHASES: one or more of ${order[*]:1}" >&2; exit 2; }
  await_row "${order[$((i - 1))]//-/ }"
  trace_phase "$name" "$([ "$name" = delete ] && echo "$delete_duration" || echo "$duration")"
done

wait "$driver" || echo "driver exit code $?"
product_pid=$product
echo "product RSS after the run: $(rss); product log: $(wc -l <"$data/product.log") lines" | tee -a "$out/load.log"
stop_product

for name in "${phases[@]}"; do
  cp "$traces/$name.cpu-start" "$traces/$name.cpu-end" "$out/"
  speedscope=()
  if [ -s "$traces/$name.nettrace" ]; then
    "$trace_tool" convert --format speedscope -o "$out/$name" "$traces/$name.nettrace" >/dev/null # writes $name.speedscope.json
    speedscope=("$out/$name.speedscope.json")
  fi
  python3 bench/speedscope-top.py "${speedscope[@]}" --cpu "$out/$name.cpu-start" "$out/$name.cpu-end" >"$out/$name.top.txt"
  if [ -s "$traces/$name.nettrace" ]; then gc_summary "$traces/$name.nettrace" >>"$out/$name.top.txt"; fi
  if [ -s "$traces/$name.perf.data" ]; then
    perf script -i "$traces/$name.perf.data" -F tid,period,ip,sym,dso >"$traces/$name.perf.txt" 2>/dev/null
    python3 bench/perf-top.py "$traces/$name.perf.txt" >>"$out/$name.top.txt"
  fi
  echo "== $name: $out/$name.top.txt"
done
rm -f "/tmp/perf-$product_pid.map" "/tmp/perfinfo-$product_pid.map"
sed -n '/^phase /,$p' "$out/load.log"
echo "nettrace files: $traces"

#!/usr/bin/env python3
"""Summarises a speedscope file written by `dotnet-trace convert --format speedscope` from a
dotnet-sampled-thread-time trace (one evented profile per thread, time in ms).

The sampler records every managed thread's stack (~100 Hz) whether it runs or not, ending in a pseudo
frame: CPU_TIME (in managed code) or UNMANAGED_CODE_TIME (in native code: SQLite, a syscall, fsync, a
wait). A stack's time is the time until the thread's next sample. Stacks of a waiting thread (a
wait/epoll/sleep frame under native code, or no managed frame at all) are idle and left out; the rest
is "active": running, in native code (SQLite, fsync, send), or runnable but waiting for a core.
Active time is thread (wall) time, not CPU time: --cpu puts the CPU the process really used beside it.

  speedscope-top.py FILE.speedscope.json [--cpu START END] [--top 40] [--exclusive 30]

Prints: active time by category (a partition: SQLite split into COMMIT, savepoints, statement compile,
statement execution and the managed ADO.NET layer; everything else by the innermost frame that is not
BCL); the single writer's time; subsystems inclusive; top inclusive and exclusive frames;
IdentityDirectory.* methods; time per thread.

--cpu takes two snapshots of bench/profile-writes.sh (process, machine, per-thread and per-process CPU
at the trace's start and end).
"""
import argparse
import collections
import json
import re

from subsystems import BCL, subsystem

IDLE_FRAMES = re.compile(
    r"Monitor\.Wait|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait\b|LowLevelLifoSemaphore\.(Wait|WaitForSignal|WaitNative)"
    r"|LowLevelMonitor\.Wait|WaitHandle\.Wait|WaitSubsystem|Thread\.Sleep|SleepInternal|Interop\+Sys\.WaitForSocketEvents"
    r"|SocketAsyncEngine\.EventLoop|Interop\+Sys\.(Read|Poll)\(|ConsolePal|Thread\.Join|WaitOneNoCheck|TimerQueue\.TimerThread"
    r"|PortableThreadPool\+GateThread|PortableThreadPool\+WaitThread|Interop\+Sys\.LowLevelMonitor_"
)
PSEUDO_LEAVES = {"UNMANAGED_CODE_TIME", "CPU_TIME"}

SQLITE = re.compile(r"^(Microsoft\.Data\.Sqlite|SQLitePCLRaw[^!]*|System\.Data\.Common)!")
COMMIT = re.compile(r"SqliteTransaction\.Commit|DbTransaction\.Commit")
SAVEPOINT = re.compile(r"SqliteTransaction\.(Save|Release|Rollback)|DbTransaction\.(Save|Release|Rollback)")
PREPARE = re.compile(r"PrepareAndEnumerateStatements|sqlite3_prepare")
STEP = re.compile(r"SqliteDataReader\.NextResult|sqlite3_step")
POLL_GC = re.compile(r"PollGC")


def module_of(frame):
    return frame.split("!", 1)[0] if "!" in frame else ""


def name_of(frame):
    return frame.split("!", 1)[1] if "!" in frame else frame


def group_of(frame):
    """The subsystem of one real (managed) frame."""
    return subsystem(module_of(frame), name_of(frame))


def short(frame, width=150):
    text = re.sub(r"\((?:[^()]|\([^()]*\))*\)$", "", frame)  # drop the argument list
    return text if len(text) <= width else text[: width - 1] + "…"


def load(path):
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    threads = []
    for profile in doc["profiles"]:
        tid = re.search(r"\((\d+)\)", profile["name"])
        stacks = collections.Counter()
        if profile["type"] == "evented":
            stack, last = [], None
            for event in profile["events"]:
                at = event["at"]
                if stack and last is not None and at > last:
                    stacks[tuple(stack)] += at - last
                last = at
                if event["type"] == "O":
                    stack.append(event["frame"])
                else:
                    index = len(stack) - 1 - stack[::-1].index(event["frame"])
                    del stack[index:]
        else:  # sampled
            for sample, weight in zip(profile["samples"], profile["weights"]):
                stacks[tuple(sample)] += weight
        clean = collections.Counter()
        for stack, weight in stacks.items():
            names = [frames[i] for i in stack]
            # drop the process/activity/thread pseudo frames above the thread's real frames
            cut = max((i + 1 for i, n in enumerate(names) if re.match(r"Thread \(\d+\)", n)), default=0)
            clean[tuple(names[cut:])] += weight
        threads.append((tid.group(1) if tid else profile["name"], profile, clean))
    span = max(p.get("endValue", 0) for _, p, _ in threads) - min(p.get("startValue", 0) for _, p, _ in threads)
    return threads, span


def real_frames(stack):
    return [f for f in stack if f not in PSEUDO_LEAVES]


def is_native(stack):
    """In native code: the sampler's UNMANAGED_CODE_TIME, or an unresolved stub frame ("?!?") at the leaf."""
    return stack[-1] == "UNMANAGED_CODE_TIME" or (len(stack) > 1 and stack[-2] == "?!?")


def is_idle(stack):
    if not stack:
        return True
    real = real_frames(stack)
    if not real:
        return True  # native thread, no managed frame
    if real[-1] == "?!?" and len(real) > 1 and IDLE_FRAMES.search(real[-2]):
        return True  # epoll_wait of the socket engine and the like, through a stub
    if stack[-1] == "UNMANAGED_CODE_TIME" and any(IDLE_FRAMES.search(f) for f in real[-6:]):
        return True
    if stack[-1] == "UNMANAGED_CODE_TIME" and real[-1].endswith("WorkerThread.WorkerThreadStart()"):
        return True  # the worker's semaphore wait, inlined into its loop
    if "ConsoleLoggerProcessor.TryDequeue" in real[-1] or real[-1].endswith("GC.RunFinalizers()"):
        return True  # the console logger waiting for messages (Monitor.Wait inlined); the finalizer waiting for work
    return False


def is_spin(stack):
    return stack[-1] == "CPU_TIME" and any(IDLE_FRAMES.search(f) for f in stack[-6:-1])


def native_caller(stack):
    """For native time: the nearest resolved managed frame above it."""
    for frame in reversed(real_frames(stack)):
        if frame != "?!?":
            return frame
    return "?"


def category(stack):
    """One category per active stack (a partition of active time)."""
    real = real_frames(stack)
    if any(POLL_GC.search(f) for f in real[-3:]):
        return "held at a GC safe point (Thread.PollGC: a GC or the sampler's suspension)"
    if any(SQLITE.match(f) for f in real):
        if any(COMMIT.search(f) for f in real):
            return "SQLite: COMMIT (WAL write + fsync)"
        if any(SAVEPOINT.search(f) for f in real):
            return "SQLite: SAVEPOINT / RELEASE per write"
        if any(PREPARE.search(f) for f in real):
            return "SQLite: compile statements (sqlite3_prepare, per command)"
        if any(STEP.search(f) for f in real):
            return "SQLite: execute statements (sqlite3_step)"
        return "SQLite: Microsoft.Data.Sqlite managed (commands, parameters, readers, dispose)"
    if is_spin(stack):
        return "thread pool / lock spin-wait"
    if is_native(stack):
        caller = name_of(native_caller(stack))
        if caller.startswith("System.Net.Sockets."):
            return "socket syscalls (send/recv)"
    for frame in reversed(real):
        group = group_of(frame)
        if group != BCL and frame != "?!?":
            return group
    return BCL


def read_cpu(path):
    values = {"threads": {}, "procs": {}}
    for line in open(path):
        parts = line.split()
        if parts[0] in ("thread", "proc"):
            values[parts[0] + "s"][parts[1]] = (int(parts[2]), parts[3] if len(parts) > 3 else "")
        else:
            values[parts[0]] = [int(p) for p in parts[1:]]
    return values


def pct(part, whole):
    return 100.0 * part / whole if whole else 0.0


def print_cpu(start, end):
    wall = (end["time_ms"][0] - start["time_ms"][0]) / 1000
    process = (end["process"][0] - start["process"][0]) / 100  # USER_HZ = 100
    busy = end["machine"][0] - start["machine"][0]
    jiffies = end["machine"][1] - start["machine"][1]
    print(f"/proc over {wall:.1f} s: product CPU {process:.2f} s = {process / wall:.2f} cores; "
          f"machine busy {pct(busy, jiffies):.1f}% of all cores")
    deltas = sorted((((ticks - start["threads"].get(tid, (0, name))[0]) / 100, tid, name)
                     for tid, (ticks, name) in end["threads"].items()), reverse=True)
    print("  product threads by CPU (s): " + ", ".join(f"{n}[{t}] {s:.2f}" for s, t, n in deltas[:9] if s > 0))
    procs = sorted((((ticks - start["procs"].get(pid, (0, name))[0]) / 100, pid, name)
                    for pid, (ticks, name) in end["procs"].items()), reverse=True)
    print("  processes by CPU (s): " + ", ".join(f"{n}[{p}] {s:.2f}" for s, p, n in procs[:6] if s > 0))
    if "disk" in start and "disk" in end:
        writes, write_ms, flushes, flush_ms = (b - a for a, b in zip(start["disk"], end["disk"]))
        print(f"  data disk: {writes / wall:.0f} writes/s (mean {write_ms / max(writes, 1):.2f} ms), "
              f"{flushes / wall:.0f} cache flushes/s (mean {flush_ms / max(flushes, 1):.2f} ms; about one per fsync)")
    print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?")
    parser.add_argument("--cpu", nargs=2, metavar=("START", "END"))
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--exclusive", type=int, default=30)
    args = parser.parse_args()

    names = {}
    if args.cpu:
        start, end = read_cpu(args.cpu[0]), read_cpu(args.cpu[1])
        names = {tid: name for tid, (_, name) in start["threads"].items()}
        names.update({tid: name for tid, (_, name) in end["threads"].items()})
        print_cpu(start, end)
    if not args.file:
        return

    threads, span = load(args.file)
    total = idle = 0.0
    active = collections.Counter()  # stack -> ms
    per_thread = collections.Counter()
    for tid, _, stacks in threads:
        for stack, weight in stacks.items():
            total += weight
            if is_idle(stack):
                idle += weight
                continue
            active[stack] += weight
            per_thread[tid] += weight
    act = sum(active.values())

    print(f"file: {args.file}")
    print(f"trace span {span / 1000:.2f} s, {len(threads)} threads; sampled thread time {total / 1000:.2f} s: "
          f"idle {idle / 1000:.2f} s, active {act / 1000:.2f} s = {act / span:.2f} threads active on average")
    print()

    by_category = collections.Counter()
    for stack, weight in active.items():
        by_category[category(stack)] += weight
    print("== active time by category (SQLite by what it does; the rest by the innermost non-BCL frame)")
    for key, weight in by_category.most_common():
        print(f"{pct(weight, act):6.1f}%  {weight / 1000:6.2f} s  {key}")
    print()

    writer = collections.Counter()
    for stack, weight in active.items():
        if any("SqliteDirectoryStore.CommitBatch" in f for f in stack):
            writer[category(stack)] += weight
    busy = sum(writer.values())
    print(f"== the single writer (SqliteDirectoryStore.CommitBatch, its own thread): busy {busy / 1000:.2f} s "
          f"= {pct(busy, span):.0f}% of the {span / 1000:.1f} s span (100% = the writer never waits for work)")
    for key, weight in writer.most_common():
        print(f"{pct(weight, span):6.1f}% of the span  {pct(weight, busy):5.1f}% of the writer  {key}")
    print()

    rest = collections.Counter()
    for stack, weight in active.items():
        if not any("SqliteDirectoryStore.CommitBatch" in f for f in stack):
            rest[category(stack)] += weight
    other = sum(rest.values())
    print(f"== everything but the writer (requests, grains, logging, ...): {other / 1000:.2f} s active")
    for key, weight in rest.most_common(14):
        print(f"{pct(weight, other):6.1f}%  {weight / 1000:6.2f} s  {key}")
    print()

    inclusive_group = collections.Counter()
    for stack, weight in active.items():
        for g in {group_of(f) for f in real_frames(stack) if f != "?!?"}:
            inclusive_group[g] += weight
    print("== subsystems, inclusive (% of active time with a frame of the group on the stack)")
    for key, weight in inclusive_group.most_common(14):
        print(f"{pct(weight, act):6.1f}%  {key}")
    print()

    inclusive = collections.Counter()
    exclusive = collections.Counter()
    for stack, weight in active.items():
        for frame in set(real_frames(stack)):
            inclusive[frame] += weight
        if is_native(stack):
            exclusive["[native] " + native_caller(stack)] += weight
        else:
            real = real_frames(stack)
            exclusive[real[-1] if real else "?"] += weight
    print(f"== top {args.top} frames, inclusive (% of active time)")
    for frame, weight in inclusive.most_common(args.top):
        print(f"{pct(weight, act):6.1f}%  {short(frame)}")
    print()
    print(f"== top {args.exclusive} frames, exclusive (% of active time; [native] = in native code called from that frame)")
    for frame, weight in exclusive.most_common(args.exclusive):
        print(f"{pct(weight, act):6.1f}%  {short(frame)}")
    print()

    print("== IdentityDirectory.* frames: inclusive / exclusive (% of active time)")
    ours = [(f, w) for f, w in inclusive.most_common() if group_of(f) == "IdentityDirectory (ours)"]
    own = collections.Counter()
    for frame, weight in exclusive.items():
        own[frame.removeprefix("[native] ")] += weight
    for frame, weight in ours[:30]:
        print(f"{pct(weight, act):6.1f}% {pct(own[frame], act):5.1f}%  {short(frame)}")
    print()

    def under(pattern):
        regex = re.compile(pattern)
        return sum(w for s, w in active.items() if any(regex.search(f) for f in s))

    print("== a few frames, inclusive (% of active time)")
    for label, pattern in [
        ("Logging (Microsoft.Extensions.Logging)", r"Microsoft\.Extensions\.Logging"),
        ("  of it lock contention in the console logger queue (Monitor slow paths, PulseAll)", r"Monitor\.(Enter_Slowpath|Exit_Slowpath|PulseAll)"),
        ("System.Text.Json (parse, write, JsonNode)", r"System\.Text\.Json"),
        ("Orleans runtime", r"^Orleans|!Orleans\."),
        ("Orleans serialization", r"Orleans\.Serialization"),
        ("Polly (Orleans placement resilience pipeline)", r"^Polly"),
        ("ScimAuthFilter.InvokeAsync (with what runs inline after it)", r"ScimAuthFilter"),
        ("TokenGrain.ValidateAsync", r"TokenGrain"),
        ("UserGrain", r"UserGrain\b|UserGrain[+.]"),
        ("DirectoryGrain (identity source on delete, I-2)", r"DirectoryGrain"),
        ("ResourceJson (render/parse a resource)", r"ResourceJson"),
        ("SqliteDirectoryStore.InsertAuditAsync (audit row)", r"InsertAuditAsync"),
        ("SqliteDirectoryStore.ReserveQuotaAsync (usage counter)", r"ReserveQuotaAsync"),
        ("SqliteConnection.Open (pooled read connections)", r"SqliteConnection\.Open"),
    ]:
        weight = under(pattern)
        print(f"{pct(weight, act):6.1f}%  {weight / 1000:6.2f} s  {label}")
    print()

    print("== active time per thread")
    for tid, weight in per_thread.most_common(12):
        print(f"{pct(weight, act):6.1f}%  {weight / 1000:6.2f} s  thread {tid} {names.get(tid, '')}")


if __name__ == "__main__":
    main()

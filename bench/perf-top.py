#!/usr/bin/env python3
"""Summarises `perf script -F tid,period,ip,sym,dso` output of a `perf record -e cpu-clock --call-graph dwarf`
profile of the product (bench/profile-writes.sh with PROFILE_TOOL=perf). Unlike the dotnet-trace sampler
this is on-CPU time only, native code included: SQLite's own functions, the kernel, the CLR runtime.

The product runs with DOTNET_PerfMapEnabled=1 (JIT-compiled methods named through /tmp/perf-PID.map) and
DOTNET_EnableWriteXorExecute=0 (so perf reads that map for the JIT code). DWARF unwinding walks native
frames (SQLite, libc, the kernel) up to the first managed frame and stops there: managed time is
attributed to the assembly of the method that was running, not to its callers (use the dotnet-trace
summary for managed call paths).

  perf-top.py FILE [--top 25]
"""
import argparse
import collections
import re

from subsystems import subsystem

SYSCALL = re.compile(r"__(?:x64|ia32|se|do)_sys_(\w+)")
HEADER = re.compile(r"^\s*\d+(\s+\d+)?\s*$")
MANAGED = re.compile(r"\[([\w.]+)\] ([^ \[]+?)::")


def samples(path):
    period, chain = None, []
    for line in open(path, errors="replace"):
        if not line.strip():
            if period is not None:
                yield period, chain
            period, chain = None, []
        elif HEADER.match(line):  # "tid period", the tid right-aligned (a leading space below 5 digits)
            if period is not None:
                yield period, chain
            parts = line.split()
            period, chain = int(parts[1]) if len(parts) > 1 else 1, []
        else:
            m = re.match(r"\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$", line)
            if m:
                chain.append((m.group(2), m.group(3)))
    if period is not None:
        yield period, chain


def strip_offset(sym):
    return re.sub(r"\+0x[0-9a-f]+$", "", sym)


def managed_assembly(sym, dso):
    if dso.endswith(".dll"):  # ReadyToRun code, not named by perf
        return dso.rsplit("/", 1)[-1][:-4]
    m = MANAGED.search(sym)
    return m.group(1) if m else None


def sqlite_purpose(chain):
    """What SQLite was doing, from its API entry point and the internal frames on the way."""
    names = [strip_offset(s) for s, d in chain if "sqlite3" in d]
    api = [n for n in names if re.fullmatch(r"sqlite3_[a-z0-9_]+", n)]
    entry = api[-1] if api else None
    if entry and entry.startswith("sqlite3_prepare"):
        return "compile statements (sqlite3_prepare)"
    if any(re.search(r"[Cc]heckpoint", n) for n in names):
        return "WAL checkpoint (in COMMIT)"
    if any(re.search(r"sqlite3WalFrames|pagerWalFrames|CommitPhase|vdbeCommit|sqlite3PagerSync|sqlite3WalSync|unixSync|full_fsync", n) for n in names):
        return "commit: WAL frame writes and sync"
    if entry == "sqlite3_step":
        return "execute statements (sqlite3_step)"
    if entry in ("sqlite3_finalize", "sqlite3_reset", "sqlite3_clear_bindings"):
        return "finalize / reset statements"
    if entry and entry.startswith("sqlite3_bind"):
        return "bind parameters"
    if entry:
        return "other API: " + entry
    return "entry not unwound"


def where(chain):
    sym, dso = chain[0] if chain else ("?", "?")
    in_sqlite = any("sqlite3" in d for _, d in chain)
    if dso.startswith("[kernel"):
        syscall = next((m.group(1) for s, _ in chain if (m := SYSCALL.search(s))), None)
        kind = {
            "fdatasync": "fsync", "fsync": "fsync", "pwrite64": "file writes", "write": "file/pipe writes",
            "pread64": "file reads", "read": "reads", "sendto": "socket send", "sendmsg": "socket send",
            "recvfrom": "socket receive", "recvmsg": "socket receive", "epoll_wait": "epoll", "epoll_ctl": "epoll",
            "futex": "futex (thread wake-ups, locks)", "sched_yield": "sched_yield (spin-waits)",
        }.get(syscall, syscall or "no syscall (interrupts, faults, scheduler)")
        return f"kernel: {kind}" + (" [from SQLite]" if in_sqlite and syscall else "")
    if "sqlite3" in dso:
        return "SQLite native (libe_sqlite3)"
    if dso.endswith("libcoreclr.so"):
        return "CLR runtime (libcoreclr: GC, allocation, casts, stubs, suspension)"
    if dso.endswith("libclrjit.so"):
        return "JIT compiler (libclrjit)"
    assembly = managed_assembly(sym, dso)
    if assembly:
        return "managed: " + subsystem(assembly)
    if re.search(r"libc\.so|ld-linux|libstdc|libgcc|libSystem\.", dso):
        return "libc / System.Native" + (" [from SQLite]" if in_sqlite else "")
    return "other: " + dso.rsplit("/", 1)[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    total = 0
    by_where = collections.Counter()
    by_sqlite = collections.Counter()
    by_leaf = collections.Counter()
    by_sqlite_leaf = collections.Counter()
    managed_callers = collections.Counter()
    for period, chain in samples(args.file):
        if not chain:
            continue
        total += period
        w = where(chain)
        by_where[w] += period
        sym, dso = chain[0]
        leaf = strip_offset(sym) if sym != "[unknown]" else f"[unknown] ({dso.rsplit('/', 1)[-1]})"
        by_leaf[leaf[:150]] += period
        if any("sqlite3" in d for _, d in chain):
            by_sqlite[sqlite_purpose(chain)] += period
            if "sqlite3" in dso:
                by_sqlite_leaf[leaf] += period
            # the managed caller that DWARF unwinding stops at
            caller = next((s for s, d in chain if managed_assembly(s, d)), None)
            if caller:
                managed_callers[re.sub(r"\[(OptimizedTier1|Optimized|InstrumentedTier|Tier0|Tier1)[^\]]*\]$", "", strip_offset(caller))[:150]] += period

    seconds = total / 1e9
    print(f"file: {args.file}")
    print(f"on-CPU samples: {seconds:.2f} CPU-seconds (cpu-clock periods)")
    print()
    print("== CPU by where it runs (leaf frame; kernel time by its syscall)")
    for key, p in by_where.most_common():
        print(f"{100 * p / total:6.1f}%  {p / 1e9:6.2f} s  {key}")
    print()
    sqlite_total = sum(by_sqlite.values())
    print(f"== CPU with SQLite on the stack (native SQLite + the libc/kernel work it calls): {100 * sqlite_total / total:.1f}% "
          f"of all, by purpose")
    for key, p in by_sqlite.most_common():
        print(f"{100 * p / total:6.1f}%  ({100 * p / sqlite_total:5.1f}% of SQLite)  {key}")
    print()
    print(f"== top {args.top} leaf functions (% of all CPU)")
    for key, p in by_leaf.most_common(args.top):
        print(f"{100 * p / total:6.1f}%  {key}")
    print()
    print(f"== top {args.top // 2} SQLite functions (self, % of all CPU)")
    for key, p in by_sqlite_leaf.most_common(args.top // 2):
        print(f"{100 * p / total:6.1f}%  {key}")
    print()
    print("== managed callers of SQLite (the frame DWARF unwinding stops at; % of all CPU)")
    for key, p in managed_callers.most_common(8):
        print(f"{100 * p / total:6.1f}%  {key}")


if __name__ == "__main__":
    main()

"""Run one command and print its wall time and peak memory.

    python bench/measure.py -- bonafide synth --people 1000000 --out /tmp/p

Prints one JSON line: {"seconds": …, "peak_mb": …, "returncode": …}. The peak is the larger of
the largest process's own peak (max RSS, from the kernel) and the most the command's whole
process tree held at once (the sum of its processes' proportional set sizes, sampled every
half second, or less often where a sample costs more than a twentieth of that: reading the
proportional sizes of a 10 M-person resolve's workers, 8 GB each, took a quarter of a core at
two samples a second, time taken from the command measured): a command that forks workers
shares pages between them, which neither RSS added up nor the largest one alone tells. Run in
a fresh process for each measurement.

    python bench/measure.py --trace memory.tsv -- COMMAND …

also writes every sample of the process tree's memory to memory.tsv (seconds since the start,
the tree's megabytes, then each process's as pid:megabytes), to line up with a command's own
stamps: which phase reached the peak, and in which process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    """The processes `pid` forked, from any of its threads (a pool's thread forks the workers
    that replace those it started with)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            text = (task / "children").read_text(encoding="ascii")
        except OSError:
            continue
        children.extend(int(p) for p in text.split())
    return children


def _tree_pss_kb(root: int) -> dict[int, int]:
    """Each process's Pss in a process and its descendants (those already gone left out)."""
    sizes, pending = {}, [root]
    while pending:
        pid = pending.pop()
        pending.extend(_children(pid))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii").splitlines():
                if line.startswith("Pss:"):
                    sizes[pid] = int(line.split()[1])
                    break
        except OSError:
            continue
    return sizes


def main() -> int:
    args = sys.argv[1:]
    trace = None
    if args[:1] == ["--trace"]:
        trace, args = Path(args[1]), args[2:]
    samples: list[str] = []
    if args[:1] == ["--"]:
        args = args[1:]
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    peak_tree_kb = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree_kb
        interval = 0.5
        while not done.wait(interval):
            began = time.process_time()
            sizes = _tree_pss_kb(process.pid)
            tree_kb = sum(sizes.values())
            peak_tree_kb = max(peak_tree_kb, tree_kb)
            if trace is not None:
                each = "\t".join(f"{pid}:{kb // 1024}" for pid, kb in sizes.items())
                samples.append(f"{time.perf_counter() - started:.1f}\t{tree_kb >> 10}\t{each}\n")
            interval = max(0.5, 20 * (time.process_time() - began))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    returncode = process.wait()
    done.set()
    sampler.join()
    if trace is not None:
        trace.write_text("".join(samples), encoding="utf-8")
    seconds = time.perf_counter() - started
    peak_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, peak_tree_kb)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mb": round(peak_kb / 1024),
                "returncode": returncode,
            }
        )
    )
    return returncode


if __name__ == "__main__":
    sys.exit(main())

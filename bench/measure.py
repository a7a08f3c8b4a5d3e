"""Run one command and print its wall time and peak memory (max RSS of it and its children).

    python bench/measure.py -- bonafide synth --people 1000000 --out /tmp/p

Prints one JSON line: {"seconds": …, "peak_mb": …, "returncode": …}. Run in a fresh process for
each measurement: the peak is the largest child this process has waited for.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    started = time.perf_counter()
    completed = subprocess.run(args, check=False, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mb": round(peak_kb / 1024),
                "returncode": completed.returncode,
            }
        )
    )
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())

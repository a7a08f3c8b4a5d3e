"""Where a resolve's time goes, phase by phase, and how busy the machine's cores are in each.

    .venv/bin/python bench/resolve_phases.py bench-data/population-10000000

Resolves a prepared population's store again (`resolve_registries(store, rebuild=True)`, in
this process, the same links as before), printing each progress line and log line with the
seconds since the start, how long until the next one, and the share of the machine's cores
busy meanwhile (from /proc/stat, sampled every second; the whole machine, so run it alone).
Nothing else is measured; `population.py` gives the benchmark's own figure.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from bonafide.persons.resolve import resolve_registries
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault


def _cpu_ticks() -> tuple[int, int]:
    """All ticks and idle ticks of the machine so far."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:]]
    return sum(ticks), ticks[3] + ticks[4]


def main() -> None:
    population = Path(sys.argv[1])
    cores = os.cpu_count() or 1
    started = time.perf_counter()
    events: list[tuple[float, str]] = []

    def note(line: str) -> None:
        events.append((time.perf_counter() - started, line[:140]))

    class Noted(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            note(f"log {record.getMessage()}")

    logger = logging.getLogger("bonafide")
    logger.addHandler(Noted())
    logger.setLevel(logging.INFO)
    busy: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        last = _cpu_ticks()
        while not done.wait(1.0):
            now = _cpu_ticks()
            total, idle = now[0] - last[0], now[1] - last[1]
            busy.append((time.perf_counter() - started, cores * (total - idle) / max(total, 1)))
            last = now

    threading.Thread(target=sample, daemon=True).start()
    store = RegistryStore.open(bench_vault(population / "store"))
    note("store opened")
    try:
        resolve_registries(store, rebuild=True, progress=note)
    finally:
        store.close()
        done.set()
    ended = time.perf_counter() - started
    bounds = [at for at, _ in events] + [ended]
    for number, (at, line) in enumerate(events):
        during = [b for when, b in busy if at <= when < bounds[number + 1]]
        shown = f"{sum(during) / len(during):4.2f}" if during else "   -"
        print(f"{at:8.1f} s  +{bounds[number + 1] - at:7.1f} s  cores {shown}  {line}")
    mean = sum(b for _, b in busy) / max(len(busy), 1)
    print(f"whole: {ended:.1f} s, {mean:.2f} cores busy on average")


if __name__ == "__main__":
    main()

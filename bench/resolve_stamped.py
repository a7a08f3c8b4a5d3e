"""Resolve a prepared population again, stamping each phase as it begins (on stderr, so that
`bench/measure.py`, which drops a command's output, can time it and keep the stamps).

    .venv/bin/python bench/measure.py -- .venv/bin/python bench/resolve_stamped.py \\
        bench-data/population-10000000

Runs `resolve_registries(store, rebuild=True)` (what `bonafide registry resolve --rebuild`
runs) in this process with resolve's log at INFO, each line stamped with the milliseconds since
the start, each progress message with the seconds; the log gives each phase's seconds too
(`resolve phase=collect-lookups seconds=86.9`). `bench/measure.py` around it gives the time
and peak memory. Ends with what the second looks did (`ResolveReport.continuity`,
`ResolveReport.former_names`, `ResolveReport.services`).
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from bonafide.persons.resolve import resolve_registries
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault


def main() -> None:
    population = Path(sys.argv[1])
    logging.basicConfig(
        level=logging.INFO, format="%(relativeCreated)8.0f %(name)s %(message)s", stream=sys.stderr
    )
    started = time.perf_counter()
    last: list[str] = [""]

    def say(text: str) -> None:
        head = text.split(" ")[0]
        if head != last[0]:  # "linked N of M" once, not per batch
            print(f"{time.perf_counter() - started:8.1f} {text}", file=sys.stderr, flush=True)
            last[0] = head

    with RegistryStore.open(bench_vault(population / "store")) as store:
        report = resolve_registries(store, rebuild=True, progress=say)
    print(
        f"{time.perf_counter() - started:8.1f} done\n{report.continuity}\n"
        f"{report.former_names}\n{report.services}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

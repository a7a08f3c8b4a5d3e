"""A benchmark population, prepared once: synthesised, imported, resolved.

    .venv/bin/python bench/population.py 1000000            # every registry
    .venv/bin/python bench/population.py 10000000 identity   # the identity registry only

Seed 2027 (not a seed the tests use). Each step runs in a fresh process through measure.py and
is skipped when its output exists (delete the directory to start over); resolve's time and peak
memory are kept in `resolve-figures.json` beside the store and returned. Applicants: one per
500 people, at least 200, at most 3,000.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from foundation import BIN, measure  # noqa: E402
from vaults import bench_vault  # noqa: E402

SEED = 2027
ALL_KINDS = ("identity", "residence", "education", "employment", "watchlist")


def applicants(people: int) -> int:
    return max(200, min(3_000, people // 500))


def prepare(
    people: int, work: Path, kinds: tuple[str, ...] = ALL_KINDS
) -> tuple[Path, Path, dict[str, float]]:
    """(population directory, data directory, resolve figures)."""
    root = work / f"population-{people}"
    store = root / ("store" if kinds == ALL_KINDS else f"store-{'-'.join(kinds)}")
    if not (root / "registries" / "identity.parquet").exists():
        figures = measure(
            str(BIN / "bonafide"), "synth", "--people", str(people), "--seed", str(SEED),
            "--applicants", str(applicants(people)), "--out", str(root), "--quiet",
        )  # fmt: skip
        print(f"  synth {people:,}: {figures['seconds']:.0f} s", flush=True)
    done = store / "imported"
    if not done.exists():
        bench_vault(store).close()
        for kind in kinds:
            figures = measure(
                str(BIN / "bonafide"), "registry", "import",
                str(root / "registries" / f"{kind}.parquet"), "--kind", kind,
                "--mapping", str(root / "registries" / f"{kind}.mapping.toml"),
                "--data-dir", str(store), "--quiet",
            )  # fmt: skip
            print(f"  import {kind}: {figures['seconds']:.0f} s", flush=True)
        done.touch()
    figures_file = store / "resolve-figures.json"
    if not figures_file.exists():
        figures = measure(
            str(BIN / "bonafide"), "registry", "resolve", "--rebuild", "--data-dir", str(store)
        )  # fmt: skip
        figures_file.write_text(json.dumps(figures), encoding="utf-8")
    resolved: dict[str, float] = json.loads(figures_file.read_text(encoding="utf-8"))
    print(f"  resolve: {resolved['seconds']:.1f} s, peak {resolved['peak_mb']:,.0f} MB", flush=True)
    return root, store, resolved


if __name__ == "__main__":
    prepare(int(sys.argv[1]), Path("bench-data"), tuple(sys.argv[2:]) or ALL_KINDS)

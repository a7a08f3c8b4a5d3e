"""Benchmark of the foundation (issue 2): synthetic population and registry import.

For each size: `bonafide synth` (time, peak memory, rows written), then `bonafide registry
import` of every registry (time, peak memory, rows per second), each in a fresh process.
Targets: 10 M people synthesised in ≤ 15 min and ≤ 8 GB; 10 M rows imported in ≤ 3 min and
≤ 6 GB.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
from vaults import bench_vault  # noqa: E402

KINDS = ("identity", "residence", "education", "employment", "watchlist")
SEED = 2024  # not a seed the tests use


def measure(*command: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), "--", *command],
        check=False,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{out.stderr[-2000:]}")
    return result


def registry_rows(root: Path) -> dict[str, int]:
    summary = json.loads((root / "truth" / "summary.json").read_text(encoding="utf-8"))
    rows: dict[str, int] = summary["rows"]
    return rows


def run(size: int, work: Path, file_format: str = "parquet") -> list[dict[str, object]]:
    root = work / f"synth-{size}"
    shutil.rmtree(root, ignore_errors=True)
    results: list[dict[str, object]] = []
    synth = measure(
        str(BIN / "bonafide"),
        "synth",
        "--people",
        str(size),
        "--seed",
        str(SEED),
        "--applicants",
        "1000",
        "--out",
        str(root),
        "--format",
        file_format,
        "--quiet",
    )
    rows = registry_rows(root)
    results.append({"step": "synth", "people": size, "rows": sum(rows.values()), **synth})
    store = work / f"store-{size}"
    shutil.rmtree(store, ignore_errors=True)
    bench_vault(store).close()
    for kind in KINDS:
        imported = measure(
            str(BIN / "bonafide"),
            "registry",
            "import",
            str(root / "registries" / f"{kind}.{file_format}"),
            "--kind",
            kind,
            "--mapping",
            str(root / "registries" / f"{kind}.mapping.toml"),
            "--data-dir",
            str(store),
            "--quiet",
        )
        results.append({"step": f"import {kind}", "people": size, "rows": rows[kind], **imported})
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    return results


def report(results: list[dict[str, object]]) -> None:
    print(f"{'step':<20} {'people':>11} {'rows':>12} {'seconds':>9} {'rows/s':>10} {'peak MB':>8}")
    for r in results:
        rate = float(r["rows"]) / max(float(r["seconds"]), 1e-9)  # type: ignore[arg-type]
        print(
            f"{r['step']:<20} {r['people']:>11,} {r['rows']:>12,} {r['seconds']:>9.1f} "
            f"{rate:>10,.0f} {r['peak_mb']:>8,}"
        )


def main(sizes: list[int], work: Path) -> list[dict[str, object]]:
    work.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, object]] = []
    for size in sizes:
        results += run(size, work)
        report(results)
    return results


if __name__ == "__main__":
    sizes = [int(s) for s in (sys.argv[1:] or ["1000000", "10000000"])]
    main(sizes, Path("bench-data"))

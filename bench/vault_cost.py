"""What the vault costs, and how fast it wipes (issue 10).

    .venv/bin/python bench/run.py vault 200000

On one synthetic population (seed 2027, synthesised by population.py's rules), in this process
and in alternating order — vault, plain, plain, vault — so drift of a noisy machine falls on both:
- import of every registry, resolve of every registry, and verification of the applicant cohort
  (opening the verifier, then batches of 500 with each report kept in the case store) in a data
  directory with the vault (`Vault.create`: encrypted DuckDB, sealed files) and without it
  (`Vault.without_encryption`, which only benchmarks can reach); the ratio of medians
  (target ≤ 1.25);
- 1,000 identity lookups (`Matcher.match`, warm) in both: p50 and p99;
- wipe: the time until no key slot is left, on the vault's data directory padded with a
  file of the size of a 10 M-person store (20 GB, allocated, not sparse), and the time to
  remove the files after.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bonafide.persons.match import Matcher  # noqa: E402
from bonafide.persons.resolve import resolve_registries  # noqa: E402
from bonafide.registry import RegistryStore, import_registry  # noqa: E402
from bonafide.registry.mapping import load_mapping  # noqa: E402
from bonafide.vault import Passphrase, Vault, wipe  # noqa: E402
from bonafide.verify import Verifier  # noqa: E402
from foundation import BIN, measure  # noqa: E402
from population import SEED, applicants  # noqa: E402
from realtime import applicant_queries  # noqa: E402
from splink_realtime import percentile  # noqa: E402
from vaults import BENCH_PASSPHRASE  # noqa: E402

KINDS = ("identity", "residence", "education", "employment", "watchlist")
BATCH = 500
LOOKUPS = 1_000
PAD_GB = 20
ORDER = ("vault", "plain", "plain", "vault")


def _population(people: int, work: Path) -> Path:
    root = work / f"population-{people}"
    if not (root / "registries" / "identity.parquet").exists():
        measure(
            str(BIN / "bonafide"), "synth", "--people", str(people), "--seed", str(SEED),
            "--applicants", str(applicants(people)), "--out", str(root), "--quiet",
        )  # fmt: skip
    return root


def _open(mode: str, data_dir: Path) -> Vault:
    shutil.rmtree(data_dir, ignore_errors=True)
    if mode == "plain":
        return Vault.without_encryption(data_dir)
    return Vault.create(data_dir, Passphrase(BENCH_PASSPHRASE))


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _one_round(mode: str, root: Path, data_dir: Path) -> dict[str, float]:
    vault = _open(mode, data_dir)
    tempfile.tempdir = str(vault.scratch_dir)  # as a command does
    figures: dict[str, float] = {}
    with RegistryStore.open(vault) as store:

        def import_all() -> None:
            for kind in KINDS:
                mapping = load_mapping(root / "registries" / f"{kind}.mapping.toml")
                import_registry(store, root / "registries" / f"{kind}.parquet", kind, mapping)

        figures["import"] = _timed(import_all)
        figures["resolve"] = _timed(lambda: resolve_registries(store))
    dossiers = [
        json.loads(line)
        for line in (root / "applicants.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    started = time.perf_counter()
    verifier = Verifier.open(vault)
    figures["verify open"] = time.perf_counter() - started

    def verify_all() -> None:
        for start in range(0, len(dossiers), BATCH):
            verifier.verify_many(dossiers[start : start + BATCH])

    figures["verify batches"] = _timed(verify_all)
    verifier.close()
    figures["verify"] = figures["verify open"] + figures["verify batches"]
    figures.update(_lookups(vault, root))
    vault.close()
    tempfile.tempdir = None
    return figures


def _lookups(vault: Vault, root: Path) -> dict[str, float]:
    matcher = Matcher.open(vault)
    latencies = []
    identity = pq.read_table(root / "registries" / "identity.parquet")
    for query in applicant_queries(identity, LOOKUPS):
        fields = {k: v for k, v in query.items() if k != "record_id" and v}
        started = time.perf_counter()
        matcher.match(fields, limit=3)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "lookup p50 ms": statistics.median(latencies),
        "lookup p99 ms": percentile(latencies, 0.99),
    }


def _wipe(data_dir: Path) -> dict[str, float]:
    vault = Vault.create(data_dir / "wiped", Passphrase(BENCH_PASSPHRASE))
    vault.close()
    for path in data_dir.iterdir():  # the run's store, index and cases, moved in
        if path.name != "wiped":
            path.rename(data_dir / "wiped" / path.name)
    pad = data_dir / "wiped" / "padding"
    subprocess.run(["fallocate", "-l", f"{PAD_GB}G", str(pad)], check=True)
    size = sum(p.stat().st_size for p in (data_dir / "wiped").rglob("*") if p.is_file())
    report = wipe(data_dir / "wiped")
    return {
        "store GB": size / 1e9,
        "keys destroyed s": report.seconds_to_keys,
        "files removed s": report.seconds_total,
    }


def main(sizes: list[int], work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    for people in sizes or [200_000]:
        root = _population(people, work)
        runs: dict[str, list[dict[str, float]]] = {"vault": [], "plain": []}
        for number, mode in enumerate(ORDER, start=1):
            figures = _one_round(mode, root, work / f"vault-cost-{people}-{mode}")
            runs[mode].append(figures)
            shown = ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
            print(f"  round {number} ({mode}): {shown}", flush=True)
        print(f"people {people:,}: medians, vault against plain", flush=True)
        print(f"  {'step':<16} {'vault':>10} {'plain':>10} {'ratio':>7}")
        for step in runs["vault"][0]:
            with_vault = statistics.median(r[step] for r in runs["vault"])
            plain = statistics.median(r[step] for r in runs["plain"])
            print(f"  {step:<16} {with_vault:>10.3f} {plain:>10.3f} {with_vault / plain:>7.2f}")
        wiped = _wipe(work / f"vault-cost-{people}-vault")
        print(
            f"  wipe: {wiped['store GB']:.1f} GB data directory; key slots destroyed in "
            f"{wiped['keys destroyed s'] * 1000:.1f} ms; files removed in "
            f"{wiped['files removed s']:.2f} s",
            flush=True,
        )
        shutil.rmtree(work / f"vault-cost-{people}-plain", ignore_errors=True)
        shutil.rmtree(work / f"vault-cost-{people}-vault", ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]], Path("bench-data"))
    os._exit(0)

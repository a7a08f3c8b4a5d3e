"""A batch examined by forked workers gives the reports one process gives, in the same order,
earlier applicants within the batch recognised as before."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bonafide.verify import DossierReport, Verifier
from bonafide.verify.verifier import SHARE_AT_LEAST, shares_of
from tests.vaults import vault_for

from ..conftest import Population


def _without_times(value: Any) -> Any:
    """A report's JSON without the moments earlier applicants were verified (they differ
    between two runs of the same batch)."""
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k != "verified_at"}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def _verified(
    resolved_data_dir: Path, copy: Path, batch: list[object], workers: int
) -> tuple[list[Any], bool]:
    shutil.copytree(resolved_data_dir, copy)  # remembering writes the case store
    verifier = Verifier.open(vault_for(copy), remember=True, workers=workers)
    try:
        results = verifier.verify_many(batch)
        forked = verifier._pool is not None
    finally:
        verifier.close()
    shown = [
        _without_times(r.to_json()) if isinstance(r, DossierReport) else ("error", str(r))
        for r in results
    ]
    return shown, forked


def test_reports_from_workers_are_those_of_one_process(
    population: Population, resolved_data_dir: Path, tmp_path: Path
) -> None:
    batch: list[object] = list(population.dossiers())
    batch.insert(7, {"dossier_id": "broken"})  # a malformed dossier keeps its place
    batch.insert(120, "not a dossier")
    alone, _ = _verified(resolved_data_dir, tmp_path / "one", batch, workers=1)
    shared, forked = _verified(resolved_data_dir, tmp_path / "two", batch, workers=2)
    assert forked
    assert len(shared) == len(batch)
    assert shared[7][0] == "error"
    assert shared[120][0] == "error"
    assert shared == alone
    # repeats in the cohort are recognised in the batch itself, by the parent, in order
    assert any(
        s["code"] in ("repeat_applicant", "earlier_applicant")
        for report in shared
        if isinstance(report, dict)
        for s in report["signals"]
    )


def test_a_small_batch_is_examined_without_forking(
    population: Population, resolved_data_dir: Path, tmp_path: Path
) -> None:
    batch: list[object] = list(population.dossiers())[:3]
    shown, forked = _verified(resolved_data_dir, tmp_path / "small", batch, workers=2)
    assert not forked
    assert len(shown) == 3
    assert all(isinstance(r, dict) for r in shown)


def test_shares_shrink_as_a_batch_goes_and_keep_its_order() -> None:
    batch = list(range(500))
    shares = shares_of(batch, workers=2)
    assert [x for share in shares for x in share] == batch
    sizes = [len(share) for share in shares]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 125  # half of the batch for each of two workers, in halves
    assert all(size >= SHARE_AT_LEAST for size in sizes[:-1])
    assert sizes[-1] <= SHARE_AT_LEAST
    assert shares_of([], workers=2) == []

"""`heap.settle`: the garbage collected, what lives frozen out of the collector's passes;
`heap.ordinary_pages`: NumPy's arrays on ordinary pages once bonafide is imported."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref

import pytest

from bonafide.heap import settle


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_settle_collects_cycles_then_freezes_what_lives() -> None:
    gc.unfreeze()
    dead = _Node()
    dead.other = dead  # a cycle only the collector frees
    gone = weakref.ref(dead)
    del dead
    kept = _Node()
    try:
        settle()
        assert gone() is None
        assert gc.get_freeze_count() > 0
        # the living are out of the collector's generations, still freed by their count
        assert not any(o is kept for o in gc.get_objects())
        lasting = weakref.ref(kept)
        del kept
        assert lasting() is None
    finally:
        gc.unfreeze()


# prints whether NumPy asked for huge pages before the switch was set here (the switch returns
# what it was)
_HUGE_PAGES_ASKED = (
    "import bonafide, numpy as np; print(np._core.multiarray._set_madvise_hugepage(True))"
)


@pytest.mark.parametrize(("environment", "asked"), [(None, "False"), ("1", "True"), ("0", "False")])
def test_importing_bonafide_keeps_arrays_on_ordinary_pages_unless_told(
    environment: str | None, asked: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if environment is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = environment
    result = subprocess.run(
        [sys.executable, "-c", _HUGE_PAGES_ASKED],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == asked

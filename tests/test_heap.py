"""`heap.settle`: the garbage collected, what lives frozen out of the collector's passes;
`heap.collector_paused`: no collection inside, the collector back as it was after;
`heap.ordinary_pages`: NumPy's arrays on ordinary pages once bonafide is imported."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref

import pyarrow as pa
import pytest

from bonafide.heap import collector_paused, settle
from bonafide.linkage.records import PersonRecords


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


def _resident() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _freed_memory_kept() -> bool:
    """Whether the 16 MB an array held stay with this process once it is freed (they may have
    been with it before: a long-lived process's heap holds memory freed earlier)."""
    import numpy as np

    block = np.ones(16 << 20, dtype=np.uint8)  # every page touched
    holding = _resident()
    del block
    return holding - _resident() < 8 << 20


_FREED_KEPT = (
    "import sys; from bonafide.heap import reuse_freed_memory; "
    "from tests.test_heap import _freed_memory_kept; "
    "told = reuse_freed_memory() if sys.argv[1] == 'reuse' else None; "
    "print(told, _freed_memory_kept())"
)


@pytest.mark.parametrize(
    ("how", "tunables", "printed"),
    [
        ("reuse", None, "True True"),
        ("defaults", None, "None False"),
        ("reuse", "glibc.malloc.tcache_count=7", "False False"),  # glibc's own default
    ],
)
def test_a_process_keeps_what_it_frees_when_told_unless_malloc_is_tuned(
    how: str, tunables: str | None, printed: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    if tunables is not None:
        env["GLIBC_TUNABLES"] = tunables
    result = subprocess.run(
        [sys.executable, "-c", _FREED_KEPT, how],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert result.stdout.strip() == printed


def test_resolves_linking_workers_keep_what_they_free(monkeypatch: pytest.MonkeyPatch) -> None:
    from bonafide.forking import can_fork
    from bonafide.persons import resolve

    if not can_fork():
        pytest.skip("no fork here")
    # a "batch" whose linking reports whether the worker kept 16 MB it freed
    monkeypatch.setattr(resolve, "_link_sent", _kept_by_a_linking_worker)
    monkeypatch.setattr(resolve, "table_bytes", lambda _: b"")
    batches = [PersonRecords(pa.table({"record_id": ["a"]})) for _ in range(3)]
    linked = list(resolve._linked_batches(None, batches, 2))  # type: ignore[arg-type]
    assert [kept for _, kept, _, _ in linked] == [True, True, True]


def _kept_by_a_linking_worker(_: bytes) -> tuple[bool, None, None]:
    return _freed_memory_kept(), None, None


def test_collector_paused_inside_and_back_after_overlapping_blocks() -> None:
    gc.unfreeze()
    assert gc.isenabled()
    try:
        outer = collector_paused()
        outer.__enter__()
        assert not gc.isenabled()
        with collector_paused():  # another thread's block, overlapping
            dead = _Node()
            dead.other = dead
            gone = weakref.ref(dead)
            del dead
            assert not gc.isenabled()
        assert gone() is None  # settled at the block's end
        assert not gc.isenabled()  # the outer block still runs
        outer.__exit__(None, None, None)
        assert gc.isenabled()
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
        gc.unfreeze()

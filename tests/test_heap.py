"""`heap.settle`: the garbage collected, what lives frozen out of the collector's passes."""

from __future__ import annotations

import gc
import weakref

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

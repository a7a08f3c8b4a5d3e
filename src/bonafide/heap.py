"""Keeping the garbage collector off the objects a long run keeps, and the kernel's page
compaction off the arrays a batch allocates.

A resolve's workers and a verifier keep hundreds of thousands of small objects for as long as
they run: names parsed, each name's row of keys, the opened histories' rows. Python's collector
walks every tracked object at each full collection, and a batch that allocates millions of
objects sets off many: at 1 M people, linking four batches of 100,000 lookups took 102.5 s, and
72.7 s with what survived each batch frozen out of the collector (docs/benchmarks.md). Objects
frozen are still freed when nothing refers to them; only a reference cycle that dies after it
was frozen is kept, and `settle` collects every cycle before it freezes.

NumPy asks the kernel for transparent huge pages on every array of 4 MB or more. Where the
kernel answers such a request by compacting memory on the spot (`defrag` set to `madvise`,
Debian's default), each first touch of a fresh array may stall for it: a batch of 100,000
lookups allocates and frees hundreds of megabytes of such arrays, and at 10 M people choosing
its candidates took 2.4–4.5 s, half of it in the kernel, against 1.6 s with ordinary pages
(docs/benchmarks.md). `ordinary_pages` turns the request off unless NUMPY_MADVISE_HUGEPAGE says
otherwise; the package does it on import, so every process and its forked workers have it.
"""

from __future__ import annotations

import gc
import os

import numpy as np

__all__ = ["ordinary_pages", "settle"]


def settle() -> None:
    """Collect the garbage, then move every object still alive out of the collector's way:
    for a process between two large pieces of work, whose survivors will mostly live on."""
    gc.collect()
    gc.freeze()


def ordinary_pages() -> None:
    """NumPy's large arrays on the kernel's default pages, unless the environment's
    NUMPY_MADVISE_HUGEPAGE (which NumPy reads on import) asks for huge ones."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    # the switch NumPy itself sets from that variable on import (not in its type stubs)
    np._core.multiarray._set_madvise_hugepage(False)  # type: ignore[attr-defined]

"""Keeping the garbage collector off the objects a long run keeps, and the kernel's page
compaction off the arrays a batch allocates.

A resolve's workers and a verifier keep hundreds of thousands of small objects for as long as
they run: names parsed, each name's row of keys, the opened histories' rows. Python's collector
walks every tracked object at each full collection, and a batch that allocates millions of
objects sets off many: at 1 M people, linking four batches of 100,000 lookups took 102.5 s, and
72.7 s with what survived each batch frozen out of the collector (docs/benchmarks.md). Objects
frozen are still freed when nothing refers to them; only a reference cycle that dies after it
was frozen is kept, and `settle` collects every cycle before it freezes.

Freezing between batches still leaves the collector walking what a batch makes while it
runs, and a batch makes hundreds of thousands of objects that mostly outlive it.
`collector_paused` turns automatic collection off for one batch and settles at its end. In a
verifier's parent, while two workers examined 3,000 dossiers at 10 M people, unpickling their
examinations cost 0.52 s of its 2.26 s of CPU; with the collector paused, 0.31 s of 2.13 s.
In one process linking four batches of lookups at 1 M people, the collector's passes took
0.79 s, and 0.28 s paused (docs/benchmarks.md).

NumPy asks the kernel for transparent huge pages on every array of 4 MB or more. Where the
kernel answers such a request by compacting memory on the spot (`defrag` set to `madvise`,
Debian's default), each first touch of a fresh array may stall for it: a batch of 100,000
lookups allocates and frees hundreds of megabytes of such arrays, and at 10 M people choosing
its candidates took 2.4–4.5 s, half of it in the kernel, against 1.6 s with ordinary pages
(docs/benchmarks.md). `ordinary_pages` turns the request off unless NUMPY_MADVISE_HUGEPAGE says
otherwise; the package does it on import, so every process and its forked workers have it.

glibc's malloc gives back to the kernel what a process frees at the top of its heap, and gives
each large block a mapping of its own, unmapped when freed: a worker linking batch after batch
then has the kernel fault in and zero every page of its next batch's arrays again. Resolve's
linking workers ask malloc to keep what they free instead (`reuse_freed_memory`). In one
process linking batches at 1 M people, a batch spent 0.41–0.51 s of its 3.4–4.0 s in the
kernel, and 0.18–0.29 s of 3.1–3.7 s with the memory kept (docs/benchmarks.md). What is kept
at the heap's top is bounded, and other processes keep glibc's defaults. The store's engine
frees gigabytes, and a worker deduplicating a group of half a million identity records frees
a few; that memory would stay with the process. At 10 M people, workers of every kind keeping
up to a gigabyte each took the resolve's peak to 12.2 GB, against 11.4 GB with nothing kept.
"""

from __future__ import annotations

import ctypes
import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = [
    "collector_paused",
    "ordinary_pages",
    "resident_bytes",
    "reuse_freed_memory",
    "settle",
]

# mallopt's parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
# blocks up to this size come from the heap: glibc's largest threshold on 64-bit systems
_HEAP_BLOCKS_UP_TO = 32 << 20
_KEPT_AT_THE_TOP = 256 << 20  # freed memory at the heap's top kept up to this much
_GROWN_BY_AT_LEAST = 16 << 20


def resident_bytes() -> int:
    """The memory this process holds in RAM now (0 where the system does not say)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def settle() -> None:
    """Collect the garbage, then move every object still alive out of the collector's way:
    for a process between two large pieces of work, whose survivors will mostly live on."""
    gc.collect()
    gc.freeze()


_pauses = 0  # blocks inside `collector_paused` now, in any thread
_pauses_lock = threading.Lock()
_enabled_before = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside the block, then `settle`: for one large piece of work
    whose objects mostly outlive it. The collector's passes, set off by the allocations,
    would walk those objects again and again for the few cycles among them; they are
    collected once, at the end, as `settle` does anyway. Blocks may overlap (threads of a
    service): the collector comes back, as it was, when the last one ends."""
    global _pauses, _enabled_before
    with _pauses_lock:
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()
        settle()


def ordinary_pages() -> None:
    """NumPy's large arrays on the kernel's default pages, unless the environment's
    NUMPY_MADVISE_HUGEPAGE (which NumPy reads on import) asks for huge ones."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    # the switch NumPy itself sets from that variable on import (not in its type stubs)
    np._core.multiarray._set_madvise_hugepage(False)  # type: ignore[attr-defined]


def reuse_freed_memory() -> bool:
    """Have glibc's malloc keep the memory this process frees, for its next allocations,
    instead of returning it to the kernel (for a worker doing one kind of batch again and
    again), unless GLIBC_TUNABLES in the environment tunes malloc itself. Returns whether
    malloc took the settings (False elsewhere than glibc)."""
    if "GLIBC_TUNABLES" in os.environ:
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    settings = (
        (_M_MMAP_THRESHOLD, _HEAP_BLOCKS_UP_TO),
        (_M_TRIM_THRESHOLD, _KEPT_AT_THE_TOP),
        (_M_TOP_PAD, _GROWN_BY_AT_LEAST),
    )
    return all(libc.mallopt(parameter, value) == 1 for parameter, value in settings)

"""Keeping the garbage collector off the objects a long run keeps.

A resolve's workers and a verifier keep hundreds of thousands of small objects for as long as
they run: names parsed, each name's row of keys, the opened histories' rows. Python's collector
walks every tracked object at each full collection, and a batch that allocates millions of
objects sets off many: at 1 M people, linking four batches of 100,000 lookups took 102.5 s, and
72.7 s with what survived each batch frozen out of the collector (docs/benchmarks.md). Objects
frozen are still freed when nothing refers to them; only a reference cycle that dies after it
was frozen is kept, and `settle` collects every cycle before it freezes.
"""

from __future__ import annotations

import gc

__all__ = ["settle"]


def settle() -> None:
    """Collect the garbage, then move every object still alive out of the collector's way:
    for a process between two large pieces of work, whose survivors will mostly live on."""
    gc.collect()
    gc.freeze()

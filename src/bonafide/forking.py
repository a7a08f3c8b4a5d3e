"""Worker processes forked from this one: whether the machine can fork, and a pool whose
workers share this process's memory without copying it."""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections.abc import Callable, Sequence
from multiprocessing.pool import Pool
from typing import Any, TypeVar

__all__ = ["can_fork", "forked_map", "forked_pool"]

Item = TypeVar("Item")
Result = TypeVar("Result")


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def forked_pool(
    workers: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Pool:
    """A pool of `workers` processes forked from this one (copy on write). The objects alive
    at the fork are frozen out of the workers' garbage collector: its passes would touch, and
    so copy, every page holding one."""
    gc.freeze()
    try:
        return mp.get_context("fork").Pool(workers, initializer, initargs)
    finally:
        gc.unfreeze()  # this process collects them as before


def forked_map(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int
) -> list[Result]:
    """`function` of each item, in order: in `workers` forked processes where there are
    several workers, several items and a way to fork; else here, one after another."""
    if workers <= 1 or len(items) <= 1 or not can_fork():
        return [function(item) for item in items]
    with forked_pool(workers) as pool:
        return pool.map(function, items)

"""Worker processes forked from this one: whether the machine can fork, and a pool whose
workers share this process's memory without copying it."""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.pool import Pool
from typing import Any

__all__ = ["can_fork", "forked_pool"]


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

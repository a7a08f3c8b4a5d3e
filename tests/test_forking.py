"""Forked workers: `forked_map` gives each item's result in order, forked or not."""

from __future__ import annotations

import os

import pytest

from bonafide.forking import can_fork, forked_map


def _square_and_process(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_in_the_items_order(workers: int) -> None:
    results = forked_map(_square_and_process, list(range(40)), workers)
    assert [square for square, _ in results] == [n * n for n in range(40)]


@pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")
def test_several_workers_work_elsewhere_and_one_works_here() -> None:
    forked = {pid for _, pid in forked_map(_square_and_process, list(range(40)), 2)}
    assert os.getpid() not in forked
    here = {pid for _, pid in forked_map(_square_and_process, list(range(40)), 1)}
    assert here == {os.getpid()}
    alone = {pid for _, pid in forked_map(_square_and_process, [3], 2)}
    assert alone == {os.getpid()}

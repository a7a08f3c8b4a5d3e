"""Clusters of duplicates: connected components of the pairs judged to be one person."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["component_labels", "connected_components"]


def connected_components(ids: list[str], left: list[str], right: list[str]) -> dict[str, str]:
    """Each id → the smallest id of its component (a record with no pair is its own cluster)."""
    position = {record: i for i, record in enumerate(ids)}
    labels = component_labels(
        len(ids),
        np.array([position[r] for r in left], dtype=np.int64),
        np.array([position[r] for r in right], dtype=np.int64),
    )
    smallest: dict[int, str] = {}
    for record, label in zip(ids, labels.tolist(), strict=True):
        if label not in smallest or record < smallest[label]:
            smallest[label] = record
    return {record: smallest[label] for record, label in zip(ids, labels.tolist(), strict=True)}


def component_labels(
    size: int, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """For records 0..size-1 and pairs of positions, a dense component number per record
    (numbered in order of each component's first record), for millions of records."""
    parent = np.arange(size, dtype=np.int64)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    while True:  # every record straight to its root
        grand = parent[parent]
        if np.array_equal(grand, parent):
            break
        parent = grand
    _, labels = np.unique(parent, return_inverse=True)
    return labels.astype(np.int64)

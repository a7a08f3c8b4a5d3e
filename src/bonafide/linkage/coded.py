"""Dictionary-coded text: an integer per record, the text once per distinct value.

A registry repeats its birth dates, settlements and names many times over; as fixed-width
NumPy text, every record would pay four bytes per character of the longest value. Coded,
memory follows the distinct values, and equality, missing values and grouping are integer
operations; the text is gathered only where a comparison reads it (edit distances, dates).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

__all__ = ["CodeArray", "Coded", "TextArray"]

TextArray = npt.NDArray[np.str_]
CodeArray = npt.NDArray[np.int32]
_FEW = 64


@dataclass(frozen=True, eq=False)
class Coded:
    """Per record a code into `values`: sorted, each value once, "" (the record lacks it)
    first. So equal codes are equal values, code 0 is a missing value, and codes sort as the
    texts do."""

    codes: CodeArray
    values: TextArray

    @classmethod
    def of(cls, texts: Sequence[str], rows: npt.NDArray[np.integer]) -> Coded:
        """From texts (repeats and "" allowed) and each record's position among them."""
        if len(texts) < _FEW:  # a lookup's: NumPy's sorting costs more than the values
            values = sorted({"", *texts})  # code point order, as NumPy sorts
            index = {value: code for code, value in enumerate(values)}
            codes = np.array([index[text] for text in texts], dtype=np.int32)
            return cls(codes[rows], np.array(values, dtype=str))
        dictionary, inverse = np.unique(np.array(["", *texts], dtype=str), return_inverse=True)
        recode = inverse.reshape(-1)[1:].astype(np.int32)
        return cls(recode[rows], dictionary)

    def map(self, convert: Callable[[TextArray], TextArray]) -> Coded:
        """`convert` of every value, computed on the dictionary (convert("") must be "")."""
        dictionary, inverse = np.unique(convert(self.values), return_inverse=True)
        if len(dictionary) and dictionary[0] != "":
            raise ValueError("a coded column's conversion must keep the missing value")
        return Coded(inverse.reshape(-1).astype(np.int32)[self.codes], dictionary)

    @staticmethod
    def common(*columns: Coded) -> list[Coded]:
        """The columns recoded in one dictionary, so that their codes compare (and sort)
        across them as their texts do."""
        dictionary = np.unique(np.concatenate([c.values for c in columns]))
        return [
            Coded(np.searchsorted(dictionary, c.values).astype(np.int32)[c.codes], dictionary)
            for c in columns
        ]

    def __len__(self) -> int:
        return len(self.codes)

    @cached_property
    def lengths(self) -> npt.NDArray[np.int64]:
        """The length of each distinct value."""
        lengths: npt.NDArray[np.int64] = np.char.str_len(self.values).astype(np.int64)
        return lengths

    def text(self, rows: npt.NDArray[np.integer] | None = None) -> TextArray:
        """The text of each record (of `rows`), "" where it lacks the value."""
        codes = self.codes if rows is None else self.codes[rows]
        text: TextArray = self.values[codes]
        return text

"""Dictionary-coded text: codes equal where texts are, code 0 missing, codes sorted as texts."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bonafide.linkage.coded import Coded
from bonafide.linkage.comparisons import _alnum, _alnum_column

ALPHABET = ["a", "b", "é", "я", "Я", "Ё", "z", "0", "ß", "\U0001f600", ""]


def _texts(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 3))) for _ in range(count)]


def test_a_few_values_and_many_are_coded_alike() -> None:
    """A lookup's few values are coded in Python, a registry's by NumPy: the same dictionary,
    sorted by code point, "" first, each value once; each record's text as given."""
    rng = random.Random(1)
    for count in (0, 1, 5, 63, 64, 500):
        texts = _texts(rng, count)
        rows = np.array([rng.randrange(count) for _ in range(50)] if count else [], np.int64)
        coded = Coded.of(texts, rows)
        assert coded.values.tolist() == sorted({"", *texts})
        assert coded.text().tolist() == [texts[r] for r in rows.tolist()]
        assert ((coded.codes == 0) == (coded.text() == "")).all()


def test_derived_and_common_columns_keep_the_codes_meaning() -> None:
    rng = random.Random(2)
    first = Coded.of(_texts(rng, 300), np.arange(300))
    second = Coded.of(_texts(rng, 300), np.arange(300))
    initial = first.map(lambda values: values.astype("<U1"))
    assert initial.text().tolist() == [t[:1] for t in first.text().tolist()]
    assert ((initial.codes == 0) == (initial.text() == "")).all()
    a, b = Coded.common(first, second)
    assert a.text().tolist() == first.text().tolist()
    assert b.text().tolist() == second.text().tolist()
    # one dictionary: codes compare across the columns as the texts do
    assert ((a.codes == b.codes) == (a.text() == b.text())).all()
    assert ((a.codes < b.codes) == (a.text() < b.text())).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), max_size=40))
@example(["ab-12 3", "Straße 5", "ıi", "№ 12", "ﬀ1", "MP1234567", ""])
def test_document_numbers_are_reduced_alike_by_arrow_and_by_python(values: list[str]) -> None:
    """Upper case and only letters A–Z and digits: Arrow for ASCII values, Python for the
    rest (ß becomes SS, ﬀ FF), one result for both."""
    assert _alnum_column(pa.array(values, pa.string())) == [_alnum(v) for v in values]

from __future__ import annotations

import numpy as np

from bonafide.names import NameKeyTable, parse_name
from bonafide.names.batch import part_categories
from bonafide.names.compare import compare_given, compare_patronymic, compare_surname
from tests.names.test_model import dev_rows


def test_every_pair_gets_the_comparators_category_shortcut_or_not() -> None:
    """Batch categories (with the vectorised "surnames clearly differ" shortcut and the cache)
    equal the comparators' for every pair: matching pairs, hard negatives, random strangers."""
    names = sorted({r[side] for r in dev_rows() for side in ("a", "b")})
    names += ["Иванова-Петрова Анна", "Anna Nowak née Kowalska", "", "Сяргей"]
    table = NameKeyTable.build(names)
    rng = np.random.default_rng(5)
    left = np.concatenate([np.arange(len(names)), rng.integers(0, len(names), 20_000)])
    right = np.concatenate([np.arange(len(names))[::-1], rng.integers(0, len(names), 20_000)])
    comparators = {
        "given": compare_given,
        "surname": compare_surname,
        "patronymic": compare_patronymic,
    }
    for round_ in range(2):  # the second round answers from the cache
        found = part_categories(table, left, right)
        for part, (categories, codes) in found.items():
            compare = comparators[part]
            expected = [
                categories.index(str(compare(parse_name(names[a]), parse_name(names[b]))[0]))
                for a, b in zip(left.tolist(), right.tolist(), strict=True)
            ]
            assert codes.tolist() == expected, (part, round_)

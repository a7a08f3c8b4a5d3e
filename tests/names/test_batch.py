from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import bonafide.names.batch as batch_module
from bonafide.names import NameKeyTable, ParsedName, parse_name
from bonafide.names.batch import part_categories, release_name_caches
from bonafide.names.compare import compare_given, compare_patronymic, compare_surname
from bonafide.names.latin import has_cyrillic, reading
from tests.names.test_model import dev_rows


def test_every_pair_gets_the_comparators_category_shortcut_or_not() -> None:
    """Batch categories (with the vectorised "surnames clearly differ" shortcut and the cache)
    equal the comparators' for every pair: matching pairs, hard negatives, random strangers."""
    names = sorted({r[side] for r in dev_rows() for side in ("a", "b")})
    names += ["Иванова-Петрова Анна", "Anna Nowak née Kowalska", "", "Сяргей"]
    rng = np.random.default_rng(5)
    # double and maiden surnames, each against single ones: one of its parts, that part in
    # another spelling, a stranger's
    singles = len(names)
    position = {name: at for at, name in enumerate(names)}
    surnames = sorted({n.split()[0] for n in names if len(n.split()) >= 2})
    akin = []  # (double, the single name one of its parts is spelled in)
    for row in dev_rows()[:300]:
        if len(row["a"].split()) >= 2 and row["b"] in position:
            other = str(rng.choice(surnames))
            first, second = row["a"].split()[0], other
            if len(names) % 3 == 0:
                first, second = second, first
            names.append(f"{first}-{second} Анна" if len(names) % 2 else f"{first} ({second}) Анна")
            akin.append((len(names) - 1, position[row["b"]]))
    doubles = np.arange(singles, len(names))
    table = NameKeyTable.build(names)
    pairs = np.array(akin, dtype=np.int64).reshape(-1, 2)
    left = np.concatenate(
        [
            np.arange(len(names)),
            rng.integers(0, len(names), 20_000),
            np.repeat(doubles, 20),
            pairs[:, 0],
        ]
    )
    right = np.concatenate(
        [
            np.arange(len(names))[::-1],
            rng.integers(0, len(names), 20_000),
            rng.integers(0, singles, 20 * len(doubles)),
            pairs[:, 1],
        ]
    )
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


def test_categories_do_not_depend_on_which_spelling_a_table_met_first() -> None:
    """A table keeps one spelling of each part key and compares it for all: every spelling
    of a key must then compare as the comparators compare it, in whatever order the names
    come. Cyrillic names and the same names typed in Latin letters share their readings."""
    cyrillic = sorted({r[s] for r in dev_rows() for s in ("a", "b") if has_cyrillic(r[s])})
    typed = [" ".join(reading(word) for word in name.split()).title() for name in cyrillic]
    # and a typist's slip: a letter doubled in each longer word
    slipped = [
        " ".join(w[:4] + w[3:] if len(w) > 4 else w for w in name.split()) for name in cyrillic
    ]
    names = sorted(set(cyrillic[:500] + typed[:500] + slipped[:500]))
    # compared within groups of surnames whose readings begin alike: spellings of one name,
    # typos of it and its neighbours
    by_reading: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        parsed = parse_name(name)
        if parsed.surnames:
            by_reading.setdefault(parsed.surnames[0].word.latin[:4], []).append(position)
    groups = [g for g in by_reading.values() if len(g) > 1]
    assert len(groups) > 50
    pairs = np.array([(a, b) for g in groups for a in g for b in g] or [(0, 0)])
    comparators = {
        "given": compare_given,
        "surname": compare_surname,
        "patronymic": compare_patronymic,
    }
    for seed in range(3):
        order = np.random.default_rng(seed).permutation(len(names))
        shuffled = [names[i] for i in order]
        where = np.argsort(order)  # a name's position among the shuffled
        left, right = where[pairs[:, 0]], where[pairs[:, 1]]
        table = NameKeyTable.build(shuffled, cache=False)
        for part, (categories, codes) in part_categories(table, left, right).items():
            expected = [
                categories.index(
                    str(comparators[part](parse_name(shuffled[a]), parse_name(shuffled[b]))[0])
                )
                for a, b in zip(left.tolist(), right.tolist(), strict=True)
            ]
            assert codes.tolist() == expected, (part, seed)


def test_a_later_table_takes_the_comparators_answers_kept_from_an_earlier_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pairs of part keys compared in one table are answered in the next without the
    comparators (a run of batches meets the same surnames again), and alike."""
    names = sorted({r[side] for r in dev_rows() for side in ("a", "b")})[:1_500]
    calls = {"given": 0, "surname": 0, "patronymic": 0}

    def counted(part: str, compare: Callable[..., Any]) -> Callable[..., Any]:
        def counting(a: ParsedName, b: ParsedName) -> Any:
            calls[part] += 1
            return compare(a, b)

        return counting

    monkeypatch.setattr(
        batch_module,
        "_PARTS",
        tuple((part, c, counted(part, compare)) for part, c, compare in batch_module._PARTS),
    )
    release_name_caches()
    rng = np.random.default_rng(8)
    left, right = rng.integers(0, len(names), 30_000), rng.integers(0, len(names), 30_000)
    first = part_categories(NameKeyTable.build(names, cache=False), left, right)
    assert calls["surname"] > 100
    assert calls["given"] > 10
    compared = dict(calls)
    order = rng.permutation(len(names))  # the same names met in another order
    where = np.argsort(order)
    later = NameKeyTable.build([names[i] for i in order], cache=False)
    again = part_categories(later, where[left], where[right])
    assert calls == compared
    for part, (_, codes) in again.items():
        assert codes.tolist() == first[part][1].tolist(), part
    release_name_caches()  # forgotten: the comparators answer again
    part_categories(NameKeyTable.build(names, cache=False), left, right)
    assert calls["surname"] == 2 * compared["surname"]


@pytest.mark.parametrize(
    ("count", "span", "lowest"),
    [(1, 1, 0), (50, 10, -1), (10_000, 6_000, 0), (10_000, 10_000_000, -1), (3, 5_000, 7)],
)
def test_ids_are_coded_in_order_of_first_appearance(count: int, span: int, lowest: int) -> None:
    """Dense ids (a table as long as their span) and sparse ones (sorted) give the codes of
    their first appearance: the first id met is 0, the next new one 1, and so on."""
    ids = np.random.default_rng(count).integers(lowest, lowest + span, count)
    codes, first = batch_module._first_appearance(ids)
    numbered: dict[int, int] = {}
    for position, value in enumerate(ids.tolist()):
        numbered.setdefault(value, position)
    firsts = sorted(numbered.values())
    rank = {position: code for code, position in enumerate(firsts)}
    expected = [rank[numbered[value]] for value in ids.tolist()]
    assert codes.tolist() == expected
    assert first.tolist() == firsts

"""Names parsed column-wise from their words are parsed as `parse_name` parses them, and a
table built on them is the table built one name at a time."""

from __future__ import annotations

import random
from dataclasses import fields

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bonafide.linkage.comparisons import _NAME_FACTS
from bonafide.names import NameKeyTable, ParsedName, parse_name
from bonafide.names import batch as batch_module
from bonafide.names.batch import release_name_caches
from bonafide.names.columns import PARTS, SEX_CODE, NameColumn, parse_column, surname_key
from bonafide.names.parse import swapped_roles
from tests.names.test_model import dev_rows


def _words() -> list[str]:
    """Words of the dev set's names, as written and in the cases registries write them."""
    words = sorted({w for r in dev_rows() for side in ("a", "b") for w in r[side].split()})
    return words + [w.upper() for w in words[::7]] + [w.lower() for w in words[::11]]


WORDS = _words()
# words that are no plain word, and words that are only sometimes read as one
HOSTILE = [
    "А.",
    "A.P.",
    "Yu.V.",
    "И",
    "née",
    "урожд.",
    "(Петрова)",
    "Иванова-Петрова",
    "Ivanov-",
    "-",
    "123",
    "Ольга,",
    "Z",
    "O'Brien",
    "Тихон",
    "Глеб",
    "Назар",
]


def _names(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    names = []
    for _ in range(count):
        size = rng.choice([1, 2, 3, 3, 3, 3, 4])
        words = [rng.choice(WORDS) for _ in range(size)]
        if rng.random() < 0.05:
            words[rng.randrange(size)] = rng.choice(HOSTILE)
        names.append(rng.choice([" ", " ", " ", "  ", "\t", ", "]).join(words))
    # whole names as the dev set writes them, in every order of their words
    for row in rng.sample(dev_rows(), 300):
        words = row["a"].split()
        rng.shuffle(words)
        names.append(" ".join(words))
    return names


def part_of(name: ParsedName, part: str) -> ParsedName:
    """A name holding only one part of `name` (given, surname or patronymic)."""
    if part == "given":
        return ParsedName("", given=name.given, given_match=name.given_match)
    if part == "surname":
        return ParsedName("", surnames=name.surnames)
    return ParsedName("", patronymic=name.patronymic, patronymic_classes=name.patronymic_classes)


def _as_parsed(column: NameColumn, position: int) -> dict[str, object]:
    found: dict[str, object] = {}
    for part in PARTS:
        word = int(getattr(column, part)[position])
        found[part] = (
            column.words[word].as_part(part) if word >= 0 else part_of(parse_name(""), part)
        )
    found["sex"] = int(column.sex[position])
    found["surname_sex"] = int(column.surname_sex[position])
    found["swapped"] = int(column.lone_role[position]) == 3
    return found


def _by_parse(text: str) -> dict[str, object]:
    parsed = parse_name(text)
    found: dict[str, object] = {part: part_of(parsed, part) for part in PARTS}
    found["sex"] = SEX_CODE[parsed.sex]
    found["surname_sex"] = SEX_CODE[parsed.surname.form.sex if parsed.surname else None]
    found["swapped"] = swapped_roles(parsed) is not None
    return found


def _check_column(names: list[str]) -> NameColumn:
    column = parse_column(pa.array(names, pa.string()))
    for position, text in enumerate(names):
        if column.parsed[position]:
            assert _as_parsed(column, position) == _by_parse(text), text
    return column


def test_the_roles_of_the_words_are_those_parse_name_gives() -> None:
    names = _names(1, 6_000)
    column = _check_column(names)
    # the shapes a registry writes are parsed here (the whole names, last); the others, and
    # most random words, are left to parse_name
    assert column.parsed[-300:].mean() > 0.5
    assert 0.05 < column.parsed.mean() < 0.9
    plain = [n for n, p in zip(names, column.parsed.tolist(), strict=True) if not p]
    assert any("." in n or "," in n or "\t" in n or "  " in n for n in plain)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(WORDS + HOSTILE), min_size=1, max_size=4).map(" ".join),
        min_size=1,
        max_size=30,
    )
)
@example(["Иван Тихон", "Тихон Иван", "Ivan Cichan", "Анна Иванова-Петрова Сергеевна"])
@example(["ИВАНОВ Иван Иванович", "Иванович Иван Иванов", "Ivanov-"])
def test_any_words_in_any_order_are_parsed_as_parse_name_parses_them(names: list[str]) -> None:
    _check_column(names)


def _one_at_a_time(names: list[str], monkeypatch: pytest.MonkeyPatch) -> NameKeyTable:
    with monkeypatch.context() as patch:
        patch.setattr(batch_module, "_COLUMN_WISE_AT_LEAST", len(names) + 1)
        return NameKeyTable.build(names, _NAME_FACTS, cache=False)


@pytest.mark.parametrize("seed", [2, 3])
def test_a_table_is_the_table_built_one_name_at_a_time(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _names(seed, 4_000)
    names += names[:500]  # repeated names
    release_name_caches()
    expected = _one_at_a_time(names, monkeypatch)
    for cache in (True, True, False):  # the second from the kept words
        table = NameKeyTable.build(names, _NAME_FACTS, cache=cache)
        for f in fields(NameKeyTable):
            if f.name in ("_cache", "_surname_keys", "_class_keys"):
                continue
            found, wanted = getattr(table, f.name), getattr(expected, f.name)
            if isinstance(found, np.ndarray):
                assert found.tolist() == wanted.tolist(), f.name
            elif f.name == "distinct_names":
                assert found.equals(wanted)
            elif f.name == "_part_keys":  # ids as met differ: each code's key must not
                for part, (met, ids) in found.items():
                    other, other_ids = wanted[part]
                    assert [met[i] for i in ids] == [other[i] for i in other_ids], part
            elif f.name == "_surname_parsed":
                # a table keeps a surname key's parse as the surnames alone, perhaps of another
                # name holding the key: what they are read for is their key
                assert [surname_key(p) for p in found] == [surname_key(p) for p in wanted]
            elif f.name == "facts":
                assert found.keys() == wanted.keys()
                for fact, (values, codes) in found.items():
                    assert values == wanted[fact][0], fact
                    assert codes.tolist() == wanted[fact][1].tolist(), fact
            else:
                assert found == wanted, f.name

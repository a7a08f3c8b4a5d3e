"""Names of the common shapes parsed column-wise, from their words.

Nearly every name a registry holds is two or three plain words: surname, given name and
patronymic in some order. `parse_name` tells their roles apart by what each word is (its
`word_facts`: a given name by the table, a patronymic by its ending) and where it stands. For
names of that shape the same decisions are taken here for many names at once: Arrow splits the
names and codes their words, each distinct word is looked at once (and kept for later calls),
and NumPy assigns the roles over the words' codes. A registry's million distinct names are a few
tens of thousands of distinct words, so the Python work follows the words, not the names.

Any other shape (one word or four, initials, brackets, a maiden name, three words none of which
reads as a patronymic) is marked for `parse_name`. Where this module decides, it decides as
`parse_name` does: the same facts, the same points (`given_points`), the same order of ties; a
property test compares the two on generated and hostile names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.names.compare import surname_as_written
from bonafide.names.given import given_names
from bonafide.names.kept import Kept
from bonafide.names.latin import looks_belarusian
from bonafide.names.parse import (
    ORDER_PENALTY,
    POINTS_BEFORE_PATRONYMIC,
    ParsedName,
    given_points,
    sex_of_patronymic,
    stands_alone,
    surname_alternatives,
    word_facts,
)

__all__ = [
    "PARTS",
    "SEX_CODE",
    "NameColumn",
    "WordRoles",
    "forget_words",
    "given_key",
    "parse_column",
    "patronymic_key",
    "surname_key",
]

SEX_CODE = {None: 0, "m": 1, "f": 2}
PARTS = ("given", "surname", "patronymic")


def given_key(name: ParsedName) -> str | None:
    """What decides a given name's comparisons: its reading, else its written initial."""
    if name.given is not None:
        return name.given.latin
    return f"{name.initials[0]}." if name.initials else None


def surname_key(name: ParsedName) -> tuple[tuple[object, ...], ...]:
    """All the surname comparison reads: the first spelling of a key met stands for all."""
    return tuple(
        (s.word.latin, looks_belarusian(s.word.text), *surname_as_written(s.word))
        for s in name.surnames
    )


def patronymic_key(name: ParsedName) -> str | None:
    if name.patronymic is not None:
        return name.patronymic.latin
    if name.given is None and len(name.initials) > 1:
        return f"{name.initials[1]}."
    return None


IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# two or three words between single spaces; what each word is, the words themselves decide
_PLAIN_SHAPE = r"^[^ ]+(?: [^ ]+){1,2}$"


@dataclass(frozen=True)
class WordRoles:
    """One word, and the part of a name it makes in each role it can take: a name holding only
    that part, as `parse_name` would hold it in a name of which the word takes that role."""

    text: str  # the word as written
    plain: bool  # a word of its own wherever it stands (`stands_alone`), with letters
    patronymic_like: bool
    has_patronymic_classes: bool
    known_given: bool  # the given-name table knows it as it is written
    given_points: float  # `given_points`: how likely the given name, by what it is
    as_given: ParsedName
    as_surname: ParsedName
    as_patronymic: ParsedName
    given_sex: int  # `SEX_CODE`: the sex its given-name classes have
    surname_sex: int  # the sex its surname ending marks
    patronymic_sex: int
    man_given: bool  # read as a given name, a man's
    man_given_as_surname: bool  # a man's given name that can stand for a surname (`swapped_roles`)
    keys: tuple[object, object, object]  # its part key in each role, in the order of `PARTS`

    def as_part(self, part: str) -> ParsedName:
        return {"given": self.as_given, "surname": self.as_surname}.get(part, self.as_patronymic)


def _roles(token: str) -> WordRoles:
    facts = word_facts(token) if stands_alone(token) else None
    surnames = surname_alternatives((token,)) if facts is not None else ()
    if facts is None or not surnames:
        nothing = ParsedName("")
        return WordRoles(
            token,
            False,
            False,
            False,
            False,
            0.0,
            *(nothing,) * 3,
            0,
            0,
            0,
            False,
            False,
            (None,) * 3,
        )
    table = given_names()
    points, match = given_points(facts)
    given_sex = table.sex_of(match) if match else None
    known = facts.given
    # a surname standing for a given name is read by its one spelling's facts
    standing = word_facts(surnames[0].word.text) if len(surnames) == 1 else None
    stands_for = standing.given if standing is not None else None
    as_given = ParsedName("", given=facts.word, given_match=match)
    as_surname = ParsedName("", surnames=surnames)
    as_patronymic = ParsedName(
        "", patronymic=facts.word, patronymic_classes=facts.patronymic_classes
    )
    return WordRoles(
        text=token,
        plain=True,
        patronymic_like=facts.patronymic_like,
        has_patronymic_classes=bool(facts.patronymic_classes),
        known_given=known is not None,
        given_points=points,
        as_given=as_given,
        as_surname=as_surname,
        as_patronymic=as_patronymic,
        given_sex=SEX_CODE[given_sex],
        surname_sex=SEX_CODE[surnames[0].form.sex],
        patronymic_sex=SEX_CODE[sex_of_patronymic(facts.word.latin)],
        man_given=given_sex == "m",
        man_given_as_surname=(
            standing is not None
            and stands_for is not None
            and stands_for.exact
            and not standing.gendered
            and table.sex_of(stands_for) == "m"
        ),
        keys=(given_key(as_given), surname_key(as_surname), patronymic_key(as_patronymic)),
    )


# words looked at, kept across calls
_words: Kept[str, WordRoles] = Kept(300_000)


def forget_words() -> None:
    _words.clear()


@dataclass
class NameColumn:
    """Per name of a column: whether it was parsed here and, if so, the word (an index into
    `words`) in each role, -1 for none; its sex, the sex its surname's ending marks, and
    whether it reads both ways round (as `batch._lone_role` codes it)."""

    parsed: BoolArray
    given: IntArray
    surname: IntArray
    patronymic: IntArray
    sex: npt.NDArray[np.int8]
    surname_sex: npt.NDArray[np.int8]
    lone_role: npt.NDArray[np.int8]
    words: list[WordRoles]


def parse_column(names: pa.StringArray) -> NameColumn:
    """The roles of the words of every name of two or three plain words; names of other shapes
    are left unparsed (`parsed` False) for `parse_name`."""
    count = len(names)
    shaped = pc.fill_null(pc.match_substring_regex(names, _PLAIN_SHAPE), False)
    where = np.flatnonzero(shaped.to_numpy(zero_copy_only=False))
    split = pc.split_pattern(names.take(pa.array(where)), " ")
    coded = pc.dictionary_encode(pc.list_flatten(split))
    words = [_words.get(t, _roles) for t in coded.dictionary.to_pylist()]
    flat = coded.indices.to_numpy().astype(np.int64)
    starts = split.offsets.to_numpy()[:-1].astype(np.int64)
    sizes = pc.list_value_length(split).to_numpy().astype(np.int64)
    three = sizes == 3
    w0, w1 = flat[starts], flat[starts + 1]
    w2 = np.where(three, flat[np.minimum(starts + 2, len(flat) - 1)], 0)

    def of(field: str, dtype: type = np.bool_) -> npt.NDArray[Any]:
        return np.array([getattr(w, field) for w in words], dtype=dtype)

    plain, patronymic_like = of("plain"), of("patronymic_like")
    with_classes, known_given = of("has_patronymic_classes"), of("known_given")
    points = of("given_points", np.float64)
    ok = plain[w0] & plain[w1] & (plain[w2] | ~three)

    # the patronymic, of three words only and never the first: among the words ending like
    # one, those with classes if any; among those, one after a known given name if any; the last
    candidate1, candidate2 = three & patronymic_like[w1], three & patronymic_like[w2]
    class1, class2 = candidate1 & with_classes[w1], candidate2 & with_classes[w2]
    any_class = class1 | class2
    pool1, pool2 = np.where(any_class, class1, candidate1), np.where(any_class, class2, candidate2)
    after1, after2 = pool1 & known_given[w0], pool2 & known_given[w1]
    any_after = after1 | after2
    chosen1 = np.where(any_after, after1, pool1)
    chosen2 = np.where(any_after, after2, pool2)
    patronymic_at = np.where(chosen2, 2, np.where(chosen1, 1, -1))
    # three words without a patronymic leave a surname of two words: `parse_name` reads it
    ok &= ~three | (patronymic_at > 0)

    # the given name: the first of the two other words by points, as `_choose_given` counts them
    second = np.where(patronymic_at == 1, w2, w1)
    first_points = points[w0]
    first_points = np.where(
        patronymic_at == 1, first_points + POINTS_BEFORE_PATRONYMIC, first_points
    )
    second_points = points[second]
    second_points = np.where(
        patronymic_at == 2, second_points + POINTS_BEFORE_PATRONYMIC, second_points
    )
    second_points = second_points - ORDER_PENALTY  # one word further on; the first loses nothing
    second_given = second_points > first_points
    given = np.where(second_given, second, w0)
    surname = np.where(second_given, w0, second)
    patronymic = np.where(patronymic_at == 2, w2, np.where(patronymic_at == 1, w1, -1))

    given_sex, surname_sex = of("given_sex", np.int8), of("surname_sex", np.int8)
    sex = given_sex[given]
    has_patronymic = patronymic >= 0
    sex = np.where(
        (sex == 0) & has_patronymic, of("patronymic_sex", np.int8)[np.maximum(patronymic, 0)], sex
    )
    sex = np.where(sex == 0, surname_sex[surname], sex)
    swapped = ~has_patronymic & of("man_given")[given] & of("man_given_as_surname")[surname]

    def spread(values: npt.NDArray[Any], dtype: type, fill: int) -> npt.NDArray[Any]:
        result: npt.NDArray[Any] = np.full(count, fill, dtype=dtype)
        result[where[ok]] = values[ok]
        return result

    parsed = np.zeros(count, dtype=bool)
    parsed[where[ok]] = True
    return NameColumn(
        parsed,
        spread(given, np.int64, -1),
        spread(surname, np.int64, -1),
        spread(patronymic, np.int64, -1),
        spread(sex, np.int8, 0),
        spread(surname_sex[surname], np.int8, 0),
        spread(np.where(swapped, 3, 0), np.int8, 0),
        words,
    )

"""Issue 12's families, one behaviour each: the examples are written here from the description of
each family (none is a pair of the labelled set)."""

from __future__ import annotations

import numpy as np
import pytest

from bonafide.names import NameKeyTable, compare_names, reading, score_pairs, vowel_frame
from bonafide.names.given import given_names
from bonafide.names.model import weights


def _score(a: str, b: str) -> float:
    return compare_names(a, b).score


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Марчанка Ганна", "Anna Marcenko"),  # č typed as c, Belarusian э → а after ч
        ("Цярэшчанка Павел", "Pavel Tereshchenko"),  # ц for т, шч typed sc
        ("Cyhir Ihar", "Чигирь Игорь"),  # č typed c, ы for и, г as h
        ("Kascicyn Andrej", "Андрей Костицын"),
        ("Chalimonaŭ Jan", "Ян Халимонов"),  # łacinka ch for х
        ("Zacharava Alena", "Елена Захарова"),
        ("Цапкала Вераніка", "Вероника Цепкало"),  # akanne with no і or ў to show it
        ("Kuznyatsow Uladzimir", "Владимир Кузнецов"),  # BGN's w for ў, beside ts
        ("Kusnezow Wladimir", "Владимир Кузнецов"),  # German z for ц
        ("Navumienka Ihar", "Игорь Науменко"),  # epenthetic в, ie for е
        ("Sauchenka Siarhiej", "Шевченко Сергей"),  # ш typed s, ў typed u, э kept
        ("Muraska Platon", "Мурашко Платон"),  # -шка typed -ska, not a woman's -ska
        ("Cichan Ivan", "Иван Тихон"),  # łacinka ch for х in a given name
        ("Valkovic Mikalaj", "Николай Волкович"),  # в kept before unstressed а
        ("Liavonau Piotr", "Пётр Леонов"),  # я for е and в between vowels
        ("Vozerski Pavel", "Павел Озерский"),  # prothetic в
    ],
)
def test_belarusian_and_plain_latin_forms_meet_the_russian_form(a: str, b: str) -> None:
    match = compare_names(a, b)
    assert match.score > 0.9, match.text()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Андрей Санников", "Андрей Сенников"),  # two Russian forms: no vowel reduction
        ("Natalia Kochanova", "Natalia Kochneva"),
        ("Sergei Lavrov", "Sergei Lavrenov"),
    ],
)
def test_close_russian_surnames_stay_apart(a: str, b: str) -> None:
    assert _score(a, b) < 0.95


def test_iotated_vowels_keep_their_i() -> None:
    assert vowel_frame(reading("Витя")) != vowel_frame(reading("Вита"))
    assert vowel_frame(reading("Яна")) != vowel_frame(reading("Анна"))
    assert vowel_frame(reading("Iana")) == vowel_frame(reading("Яна"))
    assert _score("Яна", "Ганна") < 0.5


def test_a_diacritic_free_given_name_is_found_in_the_table() -> None:
    table = given_names()
    for typed, english in (("Sciapan", "Stepan"), ("Cimafiej", "Timofei")):
        match = table.lookup(reading(typed))
        assert match is not None, typed
        assert english in {table.english[row] for row in match.classes}
    assert _score("Cimafiej", "Тимофей") > 0.9


def test_patronymics_are_told_apart_by_sound_not_consonants() -> None:
    table = given_names()
    classes = table.patronymic_classes(reading("Андреевич"))
    assert {table.english[row] for row in classes} == {"Andrei"}
    assert _score("Zyuganov G.N.", "Геннадий Андреевич Зюганов") < 0.05


def test_lone_words_are_compared_in_one_role() -> None:
    # a known given name against a word the table does not know: compared as surnames
    assert _score("Tsikhan", "Cimafiejeu") < 0.05
    # a given name against a given name, whichever was read as what
    assert _score("Хведар", "Фёдор") > 0.9


def test_names_sharing_no_part_are_not_a_match() -> None:
    match = compare_names("Иванов", "А.П.")
    assert match.score < 0.001
    assert any(p.part == "names" for p in match.parts)


def test_a_typing_slip_is_seen_on_the_word_as_typed() -> None:
    match = compare_names("Кравченко Андрей", "Andrei Kravhcenko")
    assert "surname:typo" in match.key
    assert match.score > 0.8


def test_scores_order_lone_partial_and_full_names() -> None:
    full = _score("Сяргей Іванавіч Навумчык", "Сергей Иванович Наумчик")
    partial = _score("Сяргей Навумчык", "Сергей Наумчик")
    initials = _score("Навумчык С.І.", "Сергей Иванович Наумчик")
    lone = _score("Навумчык", "Наумчик")
    assert full > partial > initials
    assert partial > lone


def test_agreement_weights_are_never_below_nothing_nor_above_the_stronger() -> None:
    w = weights().weights
    for name in ("given.same", "given.initial", "surname.same", "surname.transliteration"):
        assert w[name] >= 0
    assert w["surname.same"] >= w["surname.transliteration"] >= w["surname.typo"]
    assert w["given.same"] >= w["given.initial"] + w["patronymic.initial"] + 0.5 - 1e-6
    assert w["given.same"] > w["given.diminutive"]


def test_the_batch_path_scores_the_new_rules_as_the_single_path() -> None:
    pairs = [
        ("Марчанка Ганна", "Anna Marcenko"),
        ("Shevchenko Vasily", "Shevhcenko Vasily"),
        ("Tsikhan", "Cimafiejeu"),
        ("Хведар", "Фёдор"),
        ("Иванов", "А.П."),
        ("Ivan Cichan", "Иван Тихон"),
    ]
    table = NameKeyTable.build([a for a, _ in pairs] + [b for _, b in pairs])
    batch = score_pairs(table, range(len(pairs)), range(len(pairs), 2 * len(pairs)))
    single = np.array([_score(a, b) for a, b in pairs])
    assert np.allclose(batch, single, atol=1e-12)

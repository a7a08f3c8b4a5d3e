"""Comparing what an applicant wrote with what a registry holds, across scripts and languages."""

from __future__ import annotations

import pytest

from bonafide.verify.texts import (
    Agreement,
    compare_house,
    compare_organisation,
    compare_settlement,
    compare_street,
    street_now_called,
)

SAME, ALIKE, DIFFERENT = Agreement.SAME, Agreement.ALIKE, Agreement.DIFFERENT


@pytest.mark.parametrize(
    ("claimed", "recorded", "agreement"),
    [
        ("Гомель", "Гомель", SAME),
        ("Гомель", "Homiel", SAME),  # Russian and the national Latin transliteration
        ("Мінск", "Minsk", SAME),
        ("Mogilev", "Магілёў", SAME),  # Russian-based Latin against Belarusian Cyrillic
        ("Брэст", "Brest", SAME),
        ("Маладзечна", "Молодечно", SAME),  # Belarusian against Russian
        ("г. Минск", "Minsk", SAME),  # "г." says only that it is a town
        ("Минск", "Минсл", ALIKE),  # a typo
        ("Минск", "Брест", DIFFERENT),
        ("Минск", "", DIFFERENT),
        ("г.", "Минск", DIFFERENT),  # nothing left to compare
    ],
)
def test_settlements(claimed: str, recorded: str, agreement: Agreement) -> None:
    assert compare_settlement(claimed, recorded) is agreement
    assert compare_settlement(recorded, claimed) is agreement


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("улица Садовая", "улица Садовая"),
        ("ул. Садовая", "улица Садовая"),  # the kind of street, shortened
        ("улица Садовая", "вуліца Садовая"),
        ("vulica Lienina", "улица Ленина"),
        ("ulitsa Lugovaya", "вуліца Лугавая"),
        ("улица Чыгуначная", "улица Железнодорожная"),  # a Belarusian word for the Russian one
        ("вуліца Чыгуначная", "улица Железнодорожная"),
        ("улица Победы", "вуліца Перамогі"),
        ("улица Мар’іна", "улица Марьина"),  # an apostrophe inside a Belarusian word
    ],
)
def test_streets_across_scripts_and_languages(claimed: str, recorded: str) -> None:
    agreement, renamed = compare_street(claimed, recorded)
    assert agreement is SAME
    assert not renamed


def test_a_typo_in_a_street_is_alike() -> None:
    assert compare_street("улица Гагарина", "улица Гагарима") == (ALIKE, False)


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("улица Садовая", "улица Лесная"),
        ("улица Ленина", "улица Пушкина"),
        ("улица Советская", "улица Советской Армии"),
    ],
)
def test_different_streets(claimed: str, recorded: str) -> None:
    assert compare_street(claimed, recorded) == (DIFFERENT, False)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("улица Жданова", "улица Садовая"),  # 1989
        ("вуліца Жданава", "улица Садовая"),  # the old name in Belarusian
        ("улица Жданова", "вуліца Садовая"),
        ("улица Кагановича", "улица Первомайская"),  # 1957
        ("улица Андропова", "улица Лесная"),  # 1988
        ("улица Ленинского Комсомола", "улица Молодёжная"),  # 1992
        ("улица Ягеллонская", "улица Советской Армии"),  # 1940
        ("улица Сталина", "улица Советская"),  # 1961, in any town
        ("улица Дворянская", "вуліца Леніна"),  # 1919
    ],
)  # fmt: skip
def test_an_old_street_name_counts_as_the_new_one(old: str, new: str) -> None:
    assert compare_street(old, new) == (SAME, True)


def test_renamings_follow_chains() -> None:
    # Ленинский проспект (until 1991) → проспект Франциска Скорины (until 2005) → Независимости
    assert street_now_called("Ленинский проспект") == ("nezavisimosti",)
    assert compare_street("праспект Францыска Скарыны", "проспект Независимости") == (SAME, True)


def test_a_minsk_renaming_does_not_rename_every_towns_lenin_street() -> None:
    # every town has its улица Ленина; only Minsk's площадь Ленина became Независимости
    assert compare_street("улица Ленина", "улица Независимости") == (DIFFERENT, False)
    assert compare_street("площадь Ленина", "площадь Независимости", "Минск") == (SAME, True)
    assert compare_street("площадь Ленина", "площадь Независимости", "Гомель") == (
        DIFFERENT,
        False,
    )


def test_a_street_never_renamed_is_itself() -> None:
    assert street_now_called("улица Лесная") == ("lesnaya",)


@pytest.mark.parametrize(
    ("claimed", "recorded", "agreement"),
    [
        ("12А", "12a", SAME),  # Cyrillic and Latin letter
        ("12 а", "12А", SAME),
        ("12-А", "12а", SAME),
        ("2 к2", "2к2", SAME),  # корпус
        ("12", "12А", DIFFERENT),
        ("5", "6", DIFFERENT),
        ("", "", DIFFERENT),  # nothing to compare
        ("-", "-", DIFFERENT),
    ],
)
def test_houses(claimed: str, recorded: str, agreement: Agreement) -> None:
    assert compare_house(claimed, recorded) is agreement


@pytest.mark.parametrize(
    ("claimed", "recorded", "agreement"),
    [
        ("Средняя школа № 71, г. Минск", "Сярэдняя школа № 71, г. Мінск", SAME),
        ("Белорусский государственный университет", "Беларускі дзяржаўны ўніверсітэт", SAME),
        ("Гомельский государственный колледж", "Гомельскі дзяржаўны каледж", SAME),
        ("ООО «Лидер»", "Лидер", SAME),  # the legal form says nothing of which company
        ("ООО «Лидер»", "ОАО «Лидер»", SAME),
        ("университет Белорусский", "Белорусский университет", ALIKE),  # words reordered
        ("ОАО «Беларуськалий»", "ОАО «Интеграл»", DIFFERENT),
        ("БГУ", "Белорусский государственный университет", DIFFERENT),  # no abbreviations
    ],
)  # fmt: skip
def test_organisations(claimed: str, recorded: str, agreement: Agreement) -> None:
    assert compare_organisation(claimed, recorded) is agreement


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("Средняя школа № 7, г. Минск", "Средняя школа № 71, г. Минск"),
        ("Средняя школа № 12, г. Гомель", "Сярэдняя школа № 21, г. Гомель"),
        ("Средняя школа, г. Минск", "Средняя школа № 1, г. Минск"),
        ("Гимназия № 1", "Гимназия № 1 имени 50-летия"),
    ],
)
def test_numbers_in_school_names_must_agree(claimed: str, recorded: str) -> None:
    assert compare_organisation(claimed, recorded) is DIFFERENT
    assert compare_organisation(recorded, claimed) is DIFFERENT

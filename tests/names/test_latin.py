from __future__ import annotations

import pytest

from bonafide.names import looks_belarusian, reading, skeleton, vowel_frame

SAME_SKELETON = [
    ("Аляксандр", "Александр", "Aliaksandr", "Aleksandr", "Alexander", "Alaksandar"),
    ("Лукашэнка", "Лукашенко", "Lukashenka", "Łukašenka", "Łukaszenka", "Lukaschenko"),
    (
        "Ціханоўская",
        "Тихановская",
        "Tsikhanouskaya",
        "Tikhanovskaya",
        "Cichanoŭskaja",
        "Cichanouska",
        "Tichanowskaja",
    ),
    ("Кавалёў", "Ковалёв", "Kavaliou", "Kovalyov", "Kovalev"),
    ("Уладзімір", "Владимир", "Uladzimir", "Vladimir", "Wladimir"),
    ("Дзмітрый", "Дмитрий", "Dzmitry", "Dmitry"),
    ("Сяргей", "Сергей", "Siarhei", "Sergei", "Sergey", "Siarhiej"),
]

DIFFERENT = [
    ("Лукашэнка", "Лукашевич"),
    ("Makei", "Makeev"),
    ("Aleksandr", "Aleksei"),
    ("Sergei", "Semyon"),
]


@pytest.mark.parametrize("spellings", SAME_SKELETON)
def test_one_name_in_every_script_and_scheme_has_one_skeleton(spellings: tuple[str, ...]) -> None:
    skeletons = {skeleton(reading(s)) for s in spellings}
    assert len(skeletons) == 1, skeletons


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_look_alikes_keep_apart(a: str, b: str) -> None:
    assert (skeleton(reading(a)), vowel_frame(reading(a))) != (
        skeleton(reading(b)),
        vowel_frame(reading(b)),
    )


@pytest.mark.parametrize(
    ("word", "latin"),
    [
        ("Аляксандр", "aliaksandr"),
        ("Ёлкин", "yolkin"),
        ("Cichanoŭskaja", "tsikhanovskaya"),
        ("Łukaszenka", "lukashenka"),
        ("Sergej", "sergey"),
        ("Дар’я", "darya"),
    ],
)
def test_reading(word: str, latin: str) -> None:
    assert reading(word) == latin


@pytest.mark.parametrize(
    ("word", "belarusian"),
    [
        ("Ціханоўская", True),
        ("Лукашэнка", True),
        ("Дзмітрый", True),
        ("Тихановская", False),
        ("Kavaliou", True),
        ("Siarhei", True),
        ("Sergei", False),
    ],
)
def test_belarusian_forms_are_recognised(word: str, belarusian: bool) -> None:
    assert looks_belarusian(word) is belarusian

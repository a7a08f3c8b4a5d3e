"""The generator's own Latin spelling habits (synth/spelling.py), and its independence from the
matcher's transliteration."""

from __future__ import annotations

import ast
import random
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest

import bonafide
from bonafide.synth.spelling import (
    ENGLISH,
    PASSPORT,
    SLIPS,
    Habit,
    Slip,
    clerk_slip,
    clerk_typo,
    habit_for,
    romanise_plain,
    spell,
    spell_all,
)
from bonafide.synth.tables import load_tables
from bonafide.synth.vocabulary import TYPO_VARIANTS, build_vocabulary

SRC = Path(bonafide.__file__).parent

# (Russian form, Belarusian form, habit, Latin)
EXAMPLES = [
    (
        "Александр Лукашенко",
        "Аляксандр Лукашэнка",
        Habit.BELARUSIAN_PASSPORT,
        "Aliaksandr Lukashenka",
    ),
    ("Сергей", "Сяргей", Habit.BELARUSIAN_PASSPORT, "Siarhei"),
    ("Тихановская", "Ціханоўская", Habit.BELARUSIAN_PASSPORT, "Tsikhanouskaya"),
    ("Громова", "Грамава", Habit.BELARUSIAN_PASSPORT, "Hramava"),
    ("Соколов", "Сакалоў", Habit.BELARUSIAN_PASSPORT, "Sakalou"),
    ("Мария Колесникова", "Марыя Калеснікава", Habit.BELARUSIAN_PASSPORT, "Maryia Kalesnikava"),
    ("Юлия", "Юлія", Habit.BELARUSIAN_PASSPORT, "Yuliya"),
    ("Евгений", "Яўген", Habit.BELARUSIAN_PASSPORT, "Yauhen"),
    ("Пётр", "Пётр", Habit.BELARUSIAN_PASSPORT, "Piotr"),
    ("Дмитрий", "Дзмітрый", Habit.BELARUSIAN_PASSPORT, "Dzmitryi"),
    ("Наталья", "Наталля", Habit.BELARUSIAN_PASSPORT, "Natallia"),
    ("Марьяна", "Мар'яна", Habit.BELARUSIAN_PASSPORT, "Maryana"),
    ("Шевченко", "Шаўчэнка", Habit.BELARUSIAN_PASSPORT, "Shauchenka"),
    ("Евгений Журавлёв", "Яўген Жураўлёў", Habit.RUSSIAN_PASSPORT_2014, "Evgenii Zhuravlev"),
    ("Александр", "Аляксандр", Habit.RUSSIAN_PASSPORT_2014, "Aleksandr"),
    ("Юлия", "Юлія", Habit.RUSSIAN_PASSPORT_2014, "Iuliia"),
    ("Щербаков", "Шчарбакоў", Habit.RUSSIAN_PASSPORT_2014, "Shcherbakov"),
    ("Подъячев", "Пад'ячаў", Habit.RUSSIAN_PASSPORT_2014, "Podieiachev"),
    ("Цыганков", "Цыганкоў", Habit.RUSSIAN_PASSPORT_2014, "Tsygankov"),
    ("Евгений Журавлёв", "Яўген Жураўлёў", Habit.RUSSIAN_PASSPORT_OLD, "Yevgeniy Zhuravlyov"),
    ("Сергей", "Сяргей", Habit.RUSSIAN_PASSPORT_OLD, "Sergey"),
    ("Юлия", "Юлія", Habit.RUSSIAN_PASSPORT_OLD, "Yuliya"),
    ("Андреевич", "Андрэевіч", Habit.RUSSIAN_PASSPORT_OLD, "Andreyevich"),
    ("Высоцкий", "Высоцкі", Habit.RUSSIAN_PASSPORT_OLD, "Vysotskiy"),
    ("Евгений Журавлёв", "Яўген Жураўлёў", Habit.ENGLISH_PRESS, "Yevgeny Zhuravlyov"),
    ("Высоцкий", "Высоцкі", Habit.ENGLISH_PRESS, "Vysotsky"),
    ("Дмитрий", "Дзмітрый", Habit.ENGLISH_PRESS, "Dmitry"),
    ("Сергей", "Сяргей", Habit.ENGLISH_PRESS, "Sergei"),
    ("Юлия", "Юлія", Habit.ENGLISH_PRESS, "Yulia"),
    ("Юрьевич", "Юр'евіч", Habit.ENGLISH_PRESS, "Yuryevich"),
    ("Горбачёв", "Гарбачоў", Habit.ENGLISH_PRESS, "Gorbachev"),
    ("Алексеевич", "Аляксеевіч", Habit.ENGLISH_PRESS, "Alexeyevich"),
    ("Лукашенко", "Лукашэнка", Habit.LACINKA_PLAIN, "Lukasenka"),
    ("Тихановская", "Ціханоўская", Habit.LACINKA_PLAIN, "Cichanouskaja"),
    ("Сергей", "Сяргей", Habit.LACINKA_PLAIN, "Siarhiej"),
    ("Евгений", "Яўген", Habit.LACINKA_PLAIN, "Jauhien"),
]


@pytest.mark.parametrize(("ru", "be", "habit", "latin"), EXAMPLES)
def test_known_spellings(ru: str, be: str, habit: Habit, latin: str) -> None:
    assert spell(habit, ru=ru, be=be) == latin


def test_every_habit_has_examples() -> None:
    assert {habit for *_, habit, _ in EXAMPLES} == set(Habit)


def test_upper_case_and_hyphens_are_kept() -> None:
    assert spell(Habit.BELARUSIAN_PASSPORT, ru="", be="ЖУРАЎЛЁЎ") == "ZHURAULIOU"
    assert spell(Habit.RUSSIAN_PASSPORT_2014, ru="ЩЕРБАКОВ-ЦОЙ", be="") == "SHCHERBAKOV-TSOI"
    assert spell(Habit.ENGLISH_PRESS, ru="Чехов", be="") == "Chekhov"
    assert spell(Habit.BELARUSIAN_PASSPORT, ru="", be="Х") == "Kh"


def test_latin_is_plain_ascii() -> None:
    tables = load_tables()
    ru = tables.surnames.text("ru_m") + tables.surnames.text("ru_f")
    be = tables.surnames.text("be_m") + tables.surnames.text("be_f")
    for habit in Habit:
        for r, b in zip(ru, be, strict=True):
            latin = spell(habit, ru=r, be=b)
            assert latin.isascii(), latin
            assert latin.replace("-", "").replace(" ", "").isalpha(), latin


def test_lacinka_is_the_plain_romanisation_of_places() -> None:
    assert romanise_plain("вуліца Сонечная") == "vulica Soniecnaja"
    assert romanise_plain("Магілёў") == "Mahiliou"
    assert romanise_plain("Ельск") == "Jelsk"


def test_habits_are_deterministic_by_seed_and_index() -> None:
    ru, be = ["Журавлёв"] * 200, ["Жураўлёў"] * 200
    first = spell_all(ru, be, ENGLISH, seed=5)
    assert first == spell_all(ru, be, ENGLISH, seed=5)
    assert first != spell_all(ru, be, ENGLISH, seed=6)
    assert habit_for(5, 17, ENGLISH) == habit_for(5, 17, ENGLISH)
    assert len(set(first)) >= 4  # a mix of habits, not one


@pytest.mark.parametrize("mix", [PASSPORT, ENGLISH], ids=["passport", "english"])
def test_the_mix_of_habits_is_the_documented_one(mix: Mapping[Habit, float]) -> None:
    assert sum(mix.values()) == pytest.approx(1.0)
    n = 40_000
    counts = Counter(habit_for(3, i, mix) for i in range(n))
    assert set(counts) == set(mix)
    for habit, share in mix.items():
        assert counts[habit] / n == pytest.approx(share, abs=0.01), habit


def test_clerk_slips() -> None:
    rnd = random.Random(1)
    for _ in range(50):
        assert clerk_typo("Zhuravlyov", rnd) != "Zhuravlyov"
    dropped_h = {clerk_slip("Shevchenko", rnd) for _ in range(300)}
    assert (Slip.DROPPED_H, "Sevchenko") in dropped_h
    assert (Slip.DROPPED_H, "Shevcenko") in dropped_h
    assert (Slip.DROPPED_H, "Zuravlyov") in {clerk_slip("Zhuravlyov", rnd) for _ in range(300)}
    for slip, typo in {clerk_slip("Lukashenka", rnd) for _ in range(300)}:
        assert typo[0] == "L"
        if slip is Slip.DROPPED_LETTER:
            assert len(typo) == 9
        elif slip is Slip.DOUBLED_LETTER:
            assert len(typo) == 11
        elif slip is Slip.SWAPPED_LETTERS:
            assert sorted(typo) == sorted("Lukashenka")
    # A short name is not long enough to lose or double a letter unnoticed.
    assert {clerk_slip("Ivan", rnd)[0] for _ in range(100)} == {Slip.SWAPPED_LETTERS}
    assert clerk_typo("Li", rnd) == "Lii"


def test_the_mix_of_slips_is_the_documented_one() -> None:
    assert sum(SLIPS.values()) == pytest.approx(1.0)
    rnd = random.Random(2)
    n = 20_000
    counts = Counter(clerk_slip("Shauchenka", rnd)[0] for _ in range(n))
    for slip, share in SLIPS.items():
        assert counts[slip] / n == pytest.approx(share, abs=0.015), slip


def test_latin_pools_keep_the_layout_and_mix_the_habits() -> None:
    vocab = build_vocabulary(load_tables())
    tables = load_tables()
    pool = vocab.surname_passport
    n = len(tables.surnames) * 2
    assert pool.size == n
    assert len(pool.strings) == n * (1 + TYPO_VARIANTS)
    latin = pool.strings.to_pylist()
    assert latin[0] in ("Ivanou", "Ivanov")  # Іваноў / Иванов: the first surname, male
    spellings = {latin[i] for i in range(n)}
    assert {"Ivanou", "Kavaliou"} & spellings
    assert {"Ivanov", "Kovalev", "Kovalyov", "Ivanova"} & spellings
    # The typo variants of each value follow the originals, typos of that value.
    for i in range(0, n, 97):
        for j in range(TYPO_VARIANTS):
            typo = latin[n + i * TYPO_VARIANTS + j]
            assert typo != latin[i]
            assert typo[0] == latin[i][0]
    en = vocab.given_en.strings.to_pylist()
    assert en[0] == "Alexander"


def _imports_of_names(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [f"{module}.{a.name}" for a in node.names]
            if any(m == "bonafide.names" or m.startswith("bonafide.names.") for m in names):
                found.append(f"{name}:{node.lineno} imports from {module}")
        elif isinstance(node, ast.Import):
            found += [
                f"{name}:{node.lineno} imports {a.name}"
                for a in node.names
                if a.name == "bonafide.names" or a.name.startswith("bonafide.names.")
            ]
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in ("__import__", "import_module")
                )
            )
            and any(
                isinstance(arg, ast.Constant) and str(arg.value).startswith("bonafide.names")
                for arg in node.args
            )
        ):
            found.append(f"{name}:{node.lineno} imports a bonafide.names module")
    return found


def test_the_generator_never_imports_the_name_matcher() -> None:
    """Reading the shared name tables (CSV files) is allowed; importing the matcher is not."""
    files = list((SRC / "synth").rglob("*.py"))
    assert len(files) > 20
    found = [
        f for path in files for f in _imports_of_names(path.read_text(encoding="utf-8"), path.name)
    ]
    assert found == []


def test_the_import_check_sees_every_form() -> None:
    for source in (
        "from bonafide.names.transliterate import transliterate",
        "from bonafide.names import transliterate",
        "from bonafide import names",
        "import bonafide.names.latin",
        "importlib.import_module('bonafide.names.latin')",
    ):
        assert _imports_of_names(source, "probe.py"), source
    tables = SRC / "synth" / "tables.py"  # reads the shared CSVs, imports no matcher code
    assert "bonafide.names" in tables.read_text(encoding="utf-8")
    assert not _imports_of_names(tables.read_text(encoding="utf-8"), "tables.py")

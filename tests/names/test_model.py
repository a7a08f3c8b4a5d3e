from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonafide.names import NameKeyTable, compare_names, reading, score_pairs
from bonafide.names.given import given_names

DEV_SET = Path(__file__).resolve().parent.parent / "data" / "name_pairs.tsv"


def dev_rows() -> list[dict[str, str]]:
    """The pairs of the dev split (a row without a split is dev): the frozen test split is
    only scored by the benchmark, never used to fit or check a setting."""
    with DEV_SET.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if (r.get("split") or "dev") == "dev"]


def test_dev_set_is_large_and_covers_every_script_pair_with_hard_negatives() -> None:
    rows = dev_rows()
    assert len(rows) >= 600
    for pair in ("be-ru", "cyr-lat", "lat-lat"):
        subset = [r for r in rows if r["script_pair"] == pair]
        negatives = [r for r in subset if r["same"] == "0"]
        assert len(subset) >= 150
        assert len(negatives) / len(subset) >= 0.3


def test_batch_and_single_paths_give_the_same_scores() -> None:
    rows = random.Random(3).sample(dev_rows(), 300)
    table = NameKeyTable.build([r["a"] for r in rows] + [r["b"] for r in rows])
    batch = score_pairs(table, range(len(rows)), range(len(rows), 2 * len(rows)))
    single = np.array([compare_names(r["a"], r["b"]).score for r in rows])
    assert np.allclose(batch, single, atol=1e-12)


def test_scores_are_calibrated_on_the_dev_set() -> None:
    rows = dev_rows()
    scores = np.array([compare_names(r["a"], r["b"]).score for r in rows])
    labels = np.array([int(r["same"]) for r in rows])
    # A logistic fit matches the mean (up to its regularisation); each half of the score
    # range is roughly right too.
    assert abs(scores.mean() - labels.mean()) < 0.03
    high = scores >= 0.5
    assert labels[high].mean() > 0.85
    assert labels[~high].mean() < 0.15


def test_recall_at_high_precision_does_not_regress() -> None:
    rows = dev_rows()
    scores = np.array([compare_names(r["a"], r["b"]).score for r in rows])
    labels = np.array([int(r["same"]) for r in rows])
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(labels[order])
    precise = hits / np.arange(1, len(order) + 1) >= 0.99
    recall = hits[precise].max() / labels.sum()
    # 0.788 on the dev split of 3,553 pairs (issue 12's families: lone names, initials, Latin
    # typos, Belarusian surname forms); the target, 0.98 per family on the frozen test split,
    # is measured by bench/names.py (docs/benchmarks.md)
    assert recall >= 0.75


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Лукашэнка Аляксандр Рыгоравіч", "Alexander Lukashenko", True),
        ("Святлана Ціханоўская", "Svetlana Tikhanovskaya", True),
        ("Siarhei Ivanou", "Сергей Иванов", True),
        ("Uladzimir Makei", "Владимир Макей", True),
        ("Alexander Lukashenko", "Alexander Lukashevich", False),
        ("Aleksandr Ivanov", "Aleksei Ivanov", False),
        ("Ivanov Ivan", "Ivanova Anna", False),
        ("Иванов Сергей Николаевич", "Иванов Сергей Петрович", False),
    ],
)
def test_clear_cases(a: str, b: str, same: bool) -> None:
    assert (compare_names(a, b).score > 0.5) is same


def test_explanation_names_every_part() -> None:
    match = compare_names("Сашa Лукашэнка", "Aleksandr Lukashenko")
    text = match.text()
    for part in ("prior", "given", "surname", "patronymic"):
        assert part in text
    assert match.as_dict()["parts"][0]["part"] == "given"


names = st.text(
    alphabet=st.sampled_from(
        "абвгдеёжзійклмнопрстуўфхцчшщъыьэюя’ABCDEFGHIJKLMNOPQRSTUVWXYZ -.()łŭčšž"
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(names, names)
def test_any_text_scores_between_zero_and_one_and_both_ways_alike(a: str, b: str) -> None:
    match = compare_names(a, b)
    assert 0.0 <= match.score <= 1.0
    assert compare_names(b, a).score == pytest.approx(match.score, abs=1e-9)


@pytest.mark.parametrize(
    ("a", "b", "given", "patronymic"),
    [
        ("Гусеў А.П.", "Гусев Антон Петрович", "initial", "initial"),
        ("A. Lukashenka", "Аляксандр Лукашэнка", "initial", "missing"),
        ("Ю.В. Андропов", "Андропов Юрий Владимирович", "initial", "initial"),
        ("Иванов И.И.", "Ivanov I.I.", "initial", "initial"),
        ("Гусеў А.П.", "Гусев Павел Антонович", "different", "different"),
    ],
)
def test_initials_agree_with_the_names_they_abbreviate(
    a: str, b: str, given: str, patronymic: str
) -> None:
    parts = {p.part: p.category for p in compare_names(a, b).parts}
    assert (parts["given"], parts["patronymic"]) == (given, patronymic)


def test_names_of_different_sexes_are_a_hard_disagreement() -> None:
    for a, b in [
        ("Sakalou", "Sakalova"),
        ("Ivanova Anna", "Ivanov Anna"),
        ("Колесников Александр", "Колесникова Александра"),
    ]:
        assert compare_names(a, b).score < 0.01, (a, b)


def test_a_missing_part_adds_nothing() -> None:
    full = compare_names("Лукашэнка Аляксандр Рыгоравіч", "Лукашенко Александр Григорьевич")
    short = compare_names("Лукашэнка Аляксандр Рыгоравіч", "Лукашенко Александр")
    missing = [p for p in short.parts if p.category == "missing"]
    assert missing
    assert all(p.weight == 0 for p in missing)
    assert full.score >= short.score


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Jauhienija", "Евгения", True),
        ("Вольга", "Ольга", True),
        ("Volha", "Olga", True),
        ("Марина", "Marina", True),
        ("Alena", "Alina", False),
        ("Jauhien", "Jauhienija", False),
    ],
)
def test_a_lone_given_name_compares_as_a_given_name(a: str, b: str, same: bool) -> None:
    match = compare_names(a, b)
    given = next(p for p in match.parts if p.part == "given")
    assert given.category != "missing"
    assert (match.score > 0.5) is same


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Навуменка Андрэй", "Науменко Андрей"),  # epenthetic в
        ("Ярмоленка Пётр", "Ермоленко Пётр"),  # я / е, а / о
        ("Sakalaŭ Pavel", "Sokolov Pavel"),  # -aŭ / -ov
        ("Вуласаў Іван", "Уласов Иван"),  # prothetic в
        ("Цімошка Іван", "Тимошко Иван"),  # ц / т
    ],
)
def test_belarusian_surname_forms_meet_their_russian_ones(a: str, b: str) -> None:
    assert compare_names(a, b).score > 0.9


@pytest.mark.parametrize(
    ("a", "b"),
    [("Грамовіч Іван", "Громов Иван"), ("Соколов Иван", "Соколовский Иван")],
)
def test_surnames_on_one_root_stay_different(a: str, b: str) -> None:
    match = compare_names(a, b)
    assert next(p for p in match.parts if p.part == "surname").category == "different"
    assert match.score < 0.2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zuravlev Ivan", "Журавлёв Иван"),
        ("Chernyshov Oleg", "Cernysov Oleg"),
        ("Kovalchuk Ivan", "Kovalcuk Ivan"),
        ("Shevchenko Ivan", "Sevcenko Ivan"),
    ],
)
def test_latin_typed_without_diacritics_or_digraphs_is_the_same_surname(a: str, b: str) -> None:
    assert compare_names(a, b).score > 0.9


@pytest.mark.parametrize(
    ("typed", "meant", "not_meant"),
    [
        # a lost н joins two т: the skeleton (k-n-s-t-n) lands one edit from Констанция's
        ("констатин", "Константин", "Констанция"),
        ("Vladimr", "Vladimir", None),  # a lost vowel
        ("Алекснадр", "Александр", "Алексей"),  # two letters swapped
    ],
)
def test_an_unknown_given_name_one_letter_off_a_known_one_is_its_typo(
    typed: str, meant: str, not_meant: str | None
) -> None:
    table = given_names()
    typed_match = table.lookup(reading(typed)) or table.near(reading(typed))
    meant_match = table.lookup(reading(meant))
    assert typed_match is not None
    assert meant_match is not None
    assert not typed_match.exact
    assert typed_match.classes & meant_match.classes
    if not_meant is not None:
        other = table.lookup(reading(not_meant))
        assert other is not None
        assert not typed_match.classes & other.classes


@pytest.mark.parametrize(
    ("typed", "father"),
    [
        ("Николаефич", "Николай"),  # a letter replaced
        ("Игореич", "Игорь"),  # a letter lost
        ("Сягреевіч", "Сяргей"),  # two letters swapped, in Belarusian
    ],
)
def test_a_patronymic_one_letter_off_is_made_from_the_same_name(typed: str, father: str) -> None:
    table = given_names()
    fathers = table.lookup(reading(father))
    assert fathers is not None
    assert table.patronymic_classes(reading(typed)) & fathers.classes

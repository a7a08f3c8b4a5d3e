"""The reference dictionary, and that verification reads it rather than the generator's data."""

from __future__ import annotations

import subprocess
import sys

from bonafide.names import reading, skeleton
from bonafide.reference.words import entries
from bonafide.verify.equivalents import canonical_word


def test_the_dictionary_holds_several_hundred_concepts_of_every_kind() -> None:
    found = entries()
    assert len(found) >= 400
    assert {e.kind for e in found} == {"word", "form", "filler"}
    assert all(e.russian and e.belarusian for e in found)


def test_each_language_keeps_to_its_letters() -> None:
    for entry in entries():
        if entry.kind == "filler":
            continue
        for form in entry.belarusian:
            assert not set(form.lower()) & set("ищъ"), form
        for form in entry.russian:
            assert not set(form.lower()) & set("іў’"), form


def test_canonical_word_maps_a_belarusian_skeleton_to_the_russian_one() -> None:
    for belarusian, russian in [
        ("дзяржаўны", "государственный"),
        ("установа", "учреждение"),
        ("адукацыі", "образования"),
        ("сярэдняя", "средняя"),
        ("агульнаадукацыйная", "общеобразовательная"),
        ("упраўленне", "управление"),
        ("унутраных", "внутренних"),
        ("спраў", "дел"),
        ("будаўнічы", "строительный"),
        ("чыгуначная", "железнодорожная"),
    ]:
        assert canonical_word(skeleton(reading(belarusian))) == skeleton(reading(russian))


def test_a_word_that_is_not_belarusian_stays_itself() -> None:
    assert canonical_word("mnsk") == "mnsk"
    assert canonical_word("") == ""


def test_verification_does_not_read_the_generators_vocabulary() -> None:
    code = (
        "import sys\n"
        "from bonafide.verify.texts import compare_organisation, compare_street\n"
        "compare_organisation('Беларускі дзяржаўны ўніверсітэт', 'БГУ')\n"
        "compare_street('вуліца Чыгуначная', 'улица Железнодорожная')\n"
        "assert not [m for m in sys.modules if m.startswith('bonafide.synth')], 'synth read'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

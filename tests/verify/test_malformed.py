"""Malformed and extreme dossiers: a report with a valid verdict, or an InputError naming the
field — never any other exception.

Cases the engine gets wrong today are marked `xfail(strict=True)` with the reason (see
KNOWN_BUGS); they start passing, and must be unmarked, when the engine is fixed.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonafide.errors import InputError
from bonafide.hidden_characters import hidden_character
from bonafide.verify import DossierReport, Verifier
from tests.vaults import vault_for

GOLDEN = Path(__file__).parent / "golden"
VERDICTS = {"consistent", "inconsistent", "insufficient_evidence"}
CLAIM_VERDICTS = {"confirmed", "contradicted", "unverifiable"}
HISTORY = ("residences", "education", "employment")
TEXT_FIELDS = (
    ("identity", "surname"),
    ("identity", "given_name"),
    ("identity", "patronymic"),
    ("identity", "birth_place"),
    ("residences", 0, "settlement"),
    ("residences", 0, "street"),
    ("education", 0, "institution"),
    ("education", 0, "programme"),
    ("employment", 0, "employer"),
    ("employment", 0, "position"),
)
KNOWN_BUGS = {
    "no_candidates": (
        "Matcher.score raises (numpy reduction/bitwise_and on empty arrays in "
        "linkage.comparisons) when no index row is a candidate: every malformed dossier "
        "(verify_many looks up an empty batch) and every identity without a candidate crashes"
    ),
    "submitted": (
        "dossier_problems returned [] when the fast check rejected a bad 'submitted' date but "
        "jsonschema (no format checker) finds nothing; then date.fromisoformat raises ValueError "
        "(and, once refused, the dossier meets the no_candidates crash)"
    ),
    "overflow": (
        "verdict.overall: math.exp(-score) overflows (OverflowError) when ~710 or more claims "
        "are confirmed"
    ),
    "blank_name": (
        "a whitespace-only surname/given_name passes the schema; the matcher's InputError says "
        "'query, record 1: no name' — it does not name identity/surname"
    ),
}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bug(name: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name])


@pytest.fixture(scope="module")
def verifier(resolved_data_dir: Path) -> Iterator[Verifier]:
    opened = Verifier.open(vault_for(resolved_data_dir), remember=False)
    yield opened
    opened.close()


def _genuine() -> dict[str, Any]:
    dossier: dict[str, Any] = json.loads(
        (GOLDEN / "genuine_exact.json").read_text(encoding="utf-8")
    )
    return dossier


def _outcome(verifier: Verifier, dossier: object) -> DossierReport | InputError:
    """The report or the InputError; any other exception fails the test."""
    try:
        report = verifier.verify(dossier)
    except InputError as error:
        return error
    assert report.verdict in VERDICTS
    assert {c.verdict.value for c in report.claims} <= CLAIM_VERDICTS
    if report.verdict == "inconsistent":
        assert report.questions
    json.dumps(report.to_json(), ensure_ascii=False)  # the report can be sent as it is
    return report


def _names_a_path(error: InputError) -> bool:
    """The schema's message: 'dossier: N problem(s): <path>: <what>; …'."""
    return re.search(r"problem\(s\): [^:;]+: ", error.message) is not None


def _report(verifier: Verifier, dossier: object) -> DossierReport:
    outcome = _outcome(verifier, dossier)
    assert isinstance(outcome, DossierReport), f"expected a report, got {outcome}"
    return outcome


def _error(verifier: Verifier, dossier: object, path: str) -> InputError:
    outcome = _outcome(verifier, dossier)
    assert isinstance(outcome, InputError), f"expected an InputError naming {path}"
    assert outcome.message
    assert path in outcome.message, f"{outcome.message!r} does not name {path}"
    assert len(str(outcome)) < 5_000  # the error does not echo a huge value
    return outcome


def _set(dossier: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    target: Any = dossier
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


# --- random and wrongly typed objects -------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "dossier_id",
        "submitted",
        "identity",
        "residences",
        "education",
        "employment",
        "notes",
        "surname",
        "given_name",
        "full_name",
        "birth_date",
        "settlement",
        "institution",
        "employer",
        "from",
        "to",
    ]
)
dossier_like = st.dictionaries(field_names, json_values | st.dictionaries(field_names, json_values))


@SETTINGS
@given(value=json_values | dossier_like)
def test_any_json_value_gives_a_report_or_an_error_naming_the_path(
    verifier: Verifier, value: object
) -> None:
    outcome = _outcome(verifier, value)
    if isinstance(outcome, InputError):
        assert _names_a_path(outcome), outcome.message


wrong_for_text = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.lists(st.text(max_size=5), max_size=2),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.just(""),
)
wrong_for_when = st.one_of(
    st.booleans(),
    st.floats(allow_nan=False).filter(lambda f: not f.is_integer()),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["yesterday", "2015/06/01", "15.6.2015", "about", "2015-6", "20150601"]),
)


@SETTINGS
@given(
    path=st.sampled_from(TEXT_FIELDS),
    value=wrong_for_text,
)
def test_a_wrongly_typed_text_field_is_named(
    verifier: Verifier, path: tuple[str | int, ...], value: object
) -> None:
    dossier = _genuine()
    _set(dossier, path, value)
    _error(verifier, dossier, "/".join(str(p) for p in path))


@SETTINGS
@given(
    path=st.sampled_from(
        [
            ("identity", "birth_date"),
            ("residences", 1, "from"),
            ("education", 0, "to"),
            ("employment", 2, "from"),
        ]
    ),
    value=wrong_for_when,
)
def test_a_malformed_date_is_named(
    verifier: Verifier, path: tuple[str | int, ...], value: object
) -> None:
    dossier = _genuine()
    _set(dossier, path, value)
    _error(verifier, dossier, "/".join(str(p) for p in path))


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("identity"), "identity"),
        (lambda d: d.pop("dossier_id"), "dossier_id"),
        (lambda d: d.update(dossier_id="no spaces allowed"), "dossier_id"),
        (lambda d: d.update(identity={"surname": "Аксенова"}), "identity"),
        (lambda d: d["identity"].update(sex="x"), "identity/sex"),
        (lambda d: d["education"][0].update(level="kindergarten"), "education/0/level"),
        (lambda d: d["residences"][0].pop("settlement"), "residences/0"),
        (lambda d: d["residences"][0].update(planet="Mars"), "residences/0"),
        (lambda d: d.update(residences={"settlement": "Минск"}), "residences"),
        (lambda d: d["identity"].update(former_surnames=["a"] * 11), "identity/former_surnames"),
        (lambda d: d["identity"].update(passport_number="M" * 21), "identity/passport_number"),
    ],
)
def test_a_missing_or_unknown_field_is_named(verifier: Verifier, change: Any, path: str) -> None:
    dossier = _genuine()
    change(dossier)
    _error(verifier, dossier, path)


@pytest.mark.parametrize("value", [None, [], "dossier", 17, [{"dossier_id": "x"}]])
def test_something_other_than_an_object_is_refused(verifier: Verifier, value: object) -> None:
    _error(verifier, value, "(top level)")


# --- sizes --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", TEXT_FIELDS)
def test_a_megabyte_string_is_refused_naming_the_field(
    verifier: Verifier, path: tuple[str | int, ...]
) -> None:
    dossier = _genuine()
    _set(dossier, path, "Мінск " * 200_000)
    _error(verifier, dossier, "/".join(str(p) for p in path))


def test_500_characters_are_allowed(verifier: Verifier) -> None:
    dossier = _genuine()
    _set(dossier, ("residences", 0, "street"), "улица " + "Лесная" * 82)
    _set(dossier, ("employment", 0, "employer"), "ООО «" + "Энергосервис" * 41 + "»")
    report = _report(verifier, dossier)
    assert report.claims[0].verdict.value != "confirmed"


def _many(dossier: dict[str, Any], key: str, count: int) -> dict[str, Any]:
    entries = dossier[key]
    dossier[key] = [copy.deepcopy(entries[n % len(entries)]) for n in range(count)]
    return dossier


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("genuine_exact"),  # 5,000 confirmed claims
        "borrowed_identity",  # 5,000 contradicted claims
        "fabricated_identity",  # 5,000 claims of an identity not found
    ],
)
def test_5000_claims_finish_in_time(verifier: Verifier, name: str) -> None:
    dossier = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    _many(dossier, "residences", 5_000)
    started = time.perf_counter()
    report = _report(verifier, dossier)
    elapsed = time.perf_counter() - started
    assert len([c for c in report.claims if c.kind.value == "residence"]) == 5_000
    assert elapsed < 60, f"5,000 claims took {elapsed:.1f} s"


def test_5001_claims_are_refused(verifier: Verifier) -> None:
    _error(verifier, _many(_genuine(), "employment", 5_001), "employment")


# --- dates ---------------------------------------------------------------------------------


def test_empty_history_gives_a_report_without_claims(verifier: Verifier) -> None:
    dossier = _genuine()
    for key in HISTORY:
        dossier[key] = []
    report = _report(verifier, dossier)
    assert report.claims == []
    assert report.identity.status.value == "found"
    assert report.verdict != "consistent"  # an identity alone proves nothing of a story
    del dossier["residences"], dossier["education"], dossier["employment"]
    assert _report(verifier, dossier).claims == []


years_ahead = st.integers(min_value=2028, max_value=9999)  # "about 2027" may mean 2026


@SETTINGS
@given(year=years_ahead, month=st.integers(1, 12), form=st.sampled_from(["y", "ym", "about"]))
def test_dates_in_the_future_are_never_confirmed(
    verifier: Verifier, year: int, month: int, form: str
) -> None:
    when = {"y": f"{year}", "ym": f"{year}-{month:02d}", "about": f"about {year}"}[form]
    dossier = _genuine()
    dossier["residences"][2]["from"] = when
    dossier["employment"][0]["to"] = when
    outcome = _outcome(verifier, dossier)
    if isinstance(outcome, InputError):  # an open stay that begins after the dossier's day
        assert "residences/2/from" in outcome.message
    else:
        assert outcome.claims[2].verdict.value != "confirmed"


def test_a_birth_date_in_the_future_is_named(verifier: Verifier) -> None:
    dossier = _genuine()
    dossier["identity"]["birth_date"] = "2999-01-01"
    _error(verifier, dossier, "identity/birth_date")


impossible_days = st.one_of(
    st.builds(lambda y, d: f"{y}-02-{d}", st.integers(1901, 2025), st.sampled_from([30, 31])),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1901, 2025), st.integers(13, 99)),
    st.builds(lambda y, m: f"{y}-{m:02d}-15", st.integers(1901, 2025), st.sampled_from([0, 13])),
    st.builds(lambda y, d: f"{d}.04.{y}", st.integers(1901, 2025), st.integers(31, 99)),
    st.sampled_from(["0000", "about 0000", "about 9999", "0001-00-01"]),
)


@SETTINGS
@given(when=impossible_days)
def test_impossible_dates_are_input_errors_naming_the_field(verifier: Verifier, when: str) -> None:
    dossier = _genuine()
    dossier["residences"][1]["from"] = when
    _error(verifier, dossier, "residences/1/from")
    dossier = _genuine()
    dossier["identity"]["birth_date"] = when
    _error(verifier, dossier, "identity/birth_date")


@pytest.mark.parametrize(
    ("start", "end"),
    [("2016–2012", None), ("2016-2012", "2020"), ("2016", "2012"), ("2016-05-02", "2016-05-01")],
)
def test_a_range_ending_before_it_starts_is_an_input_error_naming_the_field(
    verifier: Verifier, start: str, end: str | None
) -> None:
    dossier = _genuine()
    dossier["residences"][1].update({"from": start, "to": end})
    error = _error(verifier, dossier, "residences/1")
    assert "before it starts" in str(error)


@pytest.mark.parametrize("submitted", ["2026-02-30", "yesterday", "2026/11/01"])
def test_a_bad_submission_date_is_named(verifier: Verifier, submitted: str) -> None:
    dossier = _genuine()
    dossier["submitted"] = submitted
    _error(verifier, dossier, "submitted")


def test_a_submission_date_in_the_future_is_accepted(verifier: Verifier) -> None:
    dossier = _genuine()
    dossier["submitted"] = "2999-01-01"
    assert _report(verifier, dossier).verdict in VERDICTS


# --- scripts, emoji, control characters ----------------------------------------------------

letters = st.characters(categories=("Lu", "Ll", "Lo"))
mixed = st.text(
    st.one_of(
        letters,
        st.sampled_from("ЁёЎўІіʼ’-' "),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
        st.characters(categories=("Mn", "Cf")),  # combining marks, zero-width joiners
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() and any(c.isalpha() for c in s))


@SETTINGS
@given(surname=mixed, given_name=mixed, settlement=mixed)
def test_mixed_scripts_and_emoji_in_names_of_a_real_person(
    verifier: Verifier, surname: str, given_name: str, settlement: str
) -> None:
    """A real person's documents and birth date keep candidates in play whatever the name."""
    dossier = _genuine()
    dossier["identity"].update(surname=surname, given_name=given_name, birth_place=settlement)
    dossier["residences"][0]["settlement"] = settlement
    dossier["employment"][1]["employer"] = f"ООО «{given_name}»"
    _report(verifier, dossier)


@SETTINGS
@given(surname=mixed, given_name=mixed, patronymic=mixed)
def test_mixed_scripts_and_emoji_in_an_invented_identity(
    verifier: Verifier, surname: str, given_name: str, patronymic: str
) -> None:
    dossier = {
        "dossier_id": "H1",
        "identity": {"surname": surname, "given_name": given_name, "patronymic": patronymic},
        "residences": [{"settlement": surname, "street": given_name, "from": "2001"}],
    }
    report = _report(verifier, dossier)
    assert report.identity.status.value in ("found", "not_found", "ambiguous")


controls = st.text(
    st.one_of(
        st.characters(categories=("Cc",)),
        st.sampled_from("\u2028\u2029\ufeff\u200b\u200e\u202e\ufffd"),
        st.sampled_from("Аксенова"),
    ),
    min_size=1,
    max_size=30,
)


@SETTINGS
@given(junk=controls)
def test_control_characters_anywhere(verifier: Verifier, junk: str) -> None:
    """Characters that are not text (bonafide.hidden_characters) refuse the dossier naming the
    first field holding one; the rest (line separators, zero-width spaces, BOM) are read."""
    dossier = _genuine()
    dossier["identity"]["patronymic"] = junk
    dossier["identity"]["passport_number"] = junk[:20]
    dossier["identity"]["personal_number"] = junk[:20]
    dossier["residences"][0].update(street=junk, house=junk[:20], flat=junk[:20])
    dossier["education"][0]["institution"] = junk
    dossier["employment"][0]["position"] = junk
    dossier["notes"] = junk
    if hidden_character(junk) is None:
        _report(verifier, dossier)
    else:
        error = _error(verifier, dossier, "identity/patronymic")
        assert f"identity/patronymic: holds {hidden_character(junk)}" in error.message


@pytest.mark.parametrize("blank", [" ", "\t\n", "\u3000"])
def test_a_blank_name_is_refused_naming_it(verifier: Verifier, blank: str) -> None:
    dossier = _genuine()
    dossier["identity"].update(surname=blank, given_name=blank)
    _error(verifier, dossier, "identity")

"""Dossiers: what an applicant states at the desk, written from stories.

A genuine applicant tells their own story with honest mistakes; a planted one tells a story
that is not theirs (see `applicants.py` for who is who). The format is docs/formats.md's.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any

from bonafide.synth.noise import typo
from bonafide.synth.stories import Identity, Story
from bonafide.synth.variants import belarusian_form, romanise_plain

__all__ = ["NONE", "YOUNGEST", "HonestMistakes", "write_dossier"]

Json = dict[str, Any]


@dataclass(frozen=True)
class HonestMistakes:
    """How often a genuine applicant misremembers or words a fact differently."""

    year_off: float = 0.12  # a date one year off
    vague_date: float = 0.15  # "about 2015" instead of a month
    old_street_name: float = 0.7  # the street's old name, when it was renamed since
    forgotten_job: float = 0.2  # one job left out, when there were several
    name_typo: float = 0.03
    forgotten_flat: float = 0.3
    # Ways of writing, not errors (a dossier writes all its claims one way):
    plain_romanisation: float = 0.3  # of Latin dossiers: places, streets, institutions typed in
    # the Belarusian national romanisation without diacritics ("vulica Soniecnaja")
    english_institution: float = 0.3  # of Latin dossiers: "Belarusian State University"
    belarusian_company_form: float = 0.3  # of Belarusian dossiers: ТАА instead of ООО


# The youngest age, in years after the year of birth, at which a claim of each kind can begin.
YOUNGEST = {"school": 6, "vocational": 15, "college": 15, "university": 16, "job": 16}

# A planted applicant recites a prepared story: no mistakes, but written as anyone writes.
NONE = HonestMistakes(
    year_off=0, vague_date=0, old_street_name=0, forgotten_job=0, name_typo=0, forgotten_flat=0
)


@dataclass(frozen=True)
class _Writing:
    """How one dossier writes names of places and organisations."""

    script: str  # latin, be or ru
    romanised: bool = False
    english: bool = False
    belarusian_forms: bool = False

    @classmethod
    def draw(cls, rnd: random.Random, m: HonestMistakes) -> _Writing:
        draw = rnd.random()
        script = "latin" if draw < 0.35 else "be" if draw < 0.55 else "ru"
        romanised, english, forms = (rnd.random() < rate for rate in _rates(m))
        return cls(
            script,
            romanised=script == "latin" and romanised,
            english=script == "latin" and english,
            belarusian_forms=script == "be" and forms,
        )

    @property
    def lang(self) -> str:
        return "be" if self.script == "be" else "ru"

    def place(self, names: Any) -> Any:
        if self.romanised and isinstance(names, dict) and names.get("be"):
            return romanise_plain(names["be"])
        return _text(names, self.script)

    def street(self, names: Any) -> Any:
        if self.romanised and isinstance(names, dict) and names.get("be"):
            return romanise_plain(names["be"])
        return _text(names, self.lang)

    def institution(self, names: Any) -> Any:
        if self.english and isinstance(names, dict) and names.get("en"):
            return names["en"]
        return self.street(names)

    def employer(self, name: str) -> str:
        return belarusian_form(name) if self.belarusian_forms else name


def _rates(m: HonestMistakes) -> tuple[float, float, float]:
    return m.plain_romanisation, m.english_institution, m.belarusian_company_form


def _year(remembered: str) -> int:
    return int(re.findall(r"\d{4}", remembered)[0])


def _year_month(remembered: str) -> tuple[int, int]:
    """(year, month) of a remembered date; a year alone is taken as its January."""
    found = re.search(r"(\d{4})(?:-(\d{2}))?", remembered)
    assert found is not None
    return int(found[1]), int(found[2] or 1)


def _stay(start: str | None, end: str | None) -> dict[str, str | None]:
    """A remembered stay: a year off at one end may not put its end before its start (the desk
    would not take that down)."""
    if start and end and _year_month(end) < _year_month(start):
        end = start
    return {"from": start, "to": end}


def _off(year: int, rnd: random.Random, mistakes: HonestMistakes, earliest: int) -> int:
    """A year as remembered: sometimes a year off, but never earlier than `earliest`, the
    first year it could have been (people know when they were born and went to school)."""
    if rnd.random() >= mistakes.year_off:
        return year
    step = rnd.choice((-1, 1))
    return year + 1 if year + step < earliest else year + step


def _when(
    day: object, rnd: random.Random, mistakes: HonestMistakes, earliest: int = 0
) -> str | None:
    """A remembered date: a year, or a year and month, sometimes vague or a year off."""
    if not isinstance(day, int | dt.date):
        return None
    if isinstance(day, int):
        year = _off(day, rnd, mistakes, earliest)
        return f"about {year}" if rnd.random() < mistakes.vague_date else str(year)
    year = _off(day.year, rnd, mistakes, earliest)
    draw = rnd.random()
    if draw < mistakes.vague_date:
        return f"about {year}"
    if draw < 0.55:
        return f"{year}-{day.month:02d}"
    return str(year)


def _identity(
    identity: Identity, script: str, rnd: random.Random, mistakes: HonestMistakes
) -> Json:
    surname, given, patronymic = identity.names[script]
    if rnd.random() < mistakes.name_typo:
        surname = typo(surname, rnd)
    result: Json = {
        "surname": surname,
        "given_name": given,
        "birth_date": identity.birth_date.isoformat(),
        "birth_place": identity.birth_place[script],
        "sex": identity.sex,
        "personal_number": identity.personal_number,
    }
    if patronymic:
        result["patronymic"] = patronymic
    if identity.passport_number:
        result["passport_number"] = identity.passport_number
    return result


def _text(value: Any, script: str) -> Any:
    if isinstance(value, dict):
        return value.get(script) or value.get("ru")
    return value


def _residences(story: Story, w: _Writing, rnd: random.Random, m: HonestMistakes) -> list[Json]:
    born = story.identity.birth_date.year
    claims = []
    for res in story.residences:
        street = res["street"]
        old = res["old_street"]
        ended = res["to"]
        if (
            isinstance(old, dict)
            and isinstance(ended, dt.date)
            and ended.year < int(old["renamed"])
            and rnd.random() < m.old_street_name
        ):
            street = old
        claim: Json = {
            "settlement": w.place(res["settlement"]),
            "street": w.street(street),
            "house": res["house"],
            **_stay(_when(res["from"], rnd, m, born), _when(res["to"], rnd, m)),
        }
        if res["flat"] and rnd.random() >= m.forgotten_flat:
            claim["flat"] = res["flat"]
        claims.append(claim)
    return claims


def _education(story: Story, w: _Writing, rnd: random.Random, m: HonestMistakes) -> list[Json]:
    lang = w.lang
    born = story.identity.birth_date.year
    claims = []
    for course in story.education:
        earliest = born + YOUNGEST[str(course["level"])]
        claim: Json = {
            "institution": w.institution(course["institution"]),
            "settlement": w.place(course["settlement"]),
            "level": course["level"],
            **_stay(_when(course["from"], rnd, m, earliest), _when(course["to"], rnd, m)),
        }
        if course["programme"]:
            claim["programme"] = _text(course["programme"], lang)
        claims.append(claim)
    return claims


def _employment(story: Story, w: _Writing, rnd: random.Random, m: HonestMistakes) -> list[Json]:
    jobs = list(story.employment)
    if len(jobs) > 1 and rnd.random() < m.forgotten_job:
        jobs.pop(rnd.randrange(len(jobs) - 1))  # the current job is never forgotten
    earliest = story.identity.birth_date.year + YOUNGEST["job"]
    return [
        {
            "employer": w.employer(str(job["employer"])),
            "settlement": w.place(job["settlement"]),
            "position": _text(job["position"], w.lang),
            **_stay(_when(job["from"], rnd, m, earliest), _when(job["to"], rnd, m)),
        }
        for job in jobs
    ]


def write_dossier(
    dossier_id: str,
    identity: Identity,
    history: Story,
    rnd: random.Random,
    mistakes: HonestMistakes,
    submitted: dt.date,
) -> Json:
    """The dossier of someone claiming `identity` and telling `history`."""
    writing = _Writing.draw(rnd, mistakes)
    lists = {
        "residences": _residences(history, writing, rnd, mistakes),
        "education": _education(history, writing, rnd, mistakes),
        "employment": _employment(history, writing, rnd, mistakes),
    }
    for entries in lists.values():
        for entry in entries:
            # a year off never puts a start after the day the applicant speaks
            if entry.get("from") and _year(entry["from"]) > submitted.year:
                entry["from"] = str(submitted.year)
    return {
        "dossier_id": dossier_id,
        "submitted": submitted.isoformat(),
        "identity": _identity(identity, writing.script, rnd, mistakes),
        **lists,
    }

"""A person's life as they would tell it: identity and history in plain values.

Stories are taken out of a chunk for the few people who become applicants, so that dossiers
can be written after the chunk itself is gone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from bonafide.synth.chunk import Chunk, World
from bonafide.synth.education import NOT_FINISHED, Level
from bonafide.synth.employment import SMALL_FIRM
from bonafide.synth.sources.common import SourceContext
from bonafide.synth.sources.education import school_names
from bonafide.synth.sources.employment import employer_names
from bonafide.synth.sources.residence import house_text
from bonafide.synth.vocabulary import Pool, Vocabulary
from bonafide.synth.world import EPOCH, NO_DAY

__all__ = ["Identity", "Story", "take_stories"]

LEVEL_NAMES = {
    Level.SCHOOL: "school",
    Level.VOCATIONAL: "vocational",
    Level.COLLEGE: "college",
    Level.UNIVERSITY: "university",
}


def _date(day: int) -> dt.date | None:
    return None if day >= NO_DAY else EPOCH + dt.timedelta(days=int(day))


@dataclass
class Identity:
    person_id: int
    sex: str
    birth_date: dt.date
    names: dict[str, tuple[str, str, str]]  # script → (surname, given name, patronymic)
    birth_place: dict[str, str]  # script → settlement name
    personal_number: str
    passport_number: str | None
    emigrated: dt.date | None = None  # the truth, never written into a dossier
    died: dt.date | None = None


@dataclass
class Story:
    identity: Identity
    residences: list[dict[str, object]] = field(default_factory=list)
    education: list[dict[str, object]] = field(default_factory=list)
    employment: list[dict[str, object]] = field(default_factory=list)

    def copy(self) -> Story:
        """A copy whose claims can be changed without changing this story."""
        return Story(
            self.identity,
            [dict(r) for r in self.residences],
            [dict(c) for c in self.education],
            [dict(j) for j in self.employment],
        )


def _names(
    vocab: Vocabulary, surname: int, given: int, father: int, sex: int
) -> dict[str, tuple[str, str, str]]:
    s, g, p = surname * 2 + sex, given + sex * vocab.n_male, father * 2 + sex

    def at(pool: Pool, i: int) -> str:
        return str(pool.strings[i].as_py())

    return {
        "ru": (at(vocab.surname_ru, s), at(vocab.given_ru, g), at(vocab.patronymic_ru, p)),
        "be": (at(vocab.surname_be, s), at(vocab.given_be, g), at(vocab.patronymic_be, p)),
        "latin": (at(vocab.surname_passport, s), at(vocab.given_passport, g), ""),
    }


def take_stories(
    chunk: Chunk,
    world: World,
    vocab: Vocabulary,
    ctx: SourceContext,
    who: np.typing.NDArray[np.int64],
) -> list[Story]:
    """The stories of chunk rows `who`."""
    people = chunk.people
    stories = []
    docs = chunk.documents
    current_doc = docs.current_of(len(people))
    for i in who.tolist():
        place = int(people.birth_settlement[i])
        surname = int(people.surname_on(np.array([NO_DAY - 1], dtype=np.int32), np.array([i]))[0])
        doc = int(current_doc[i])
        identity = Identity(
            person_id=int(people.person_id[i]),
            sex="m" if people.sex[i] == 0 else "f",
            birth_date=_date(int(people.birth[i])) or EPOCH,
            names=_names(
                vocab, surname, int(people.given[i]), int(people.father[i]), int(people.sex[i])
            ),
            birth_place=_place(vocab, place),
            personal_number=str(chunk.personal_number[i].as_py()),
            passport_number=None if doc < 0 else str(docs.number[doc].as_py()),
            emigrated=_date(int(people.emigration[i])),
            died=_date(int(people.death[i])),
        )
        stories.append(Story(identity))
    index = {p: n for n, p in enumerate(who.tolist())}
    _add_residences(chunk, world, vocab, stories, index)
    _add_education(chunk, vocab, ctx, stories, index)
    _add_jobs(chunk, vocab, ctx, stories, index)
    return stories


def _place(vocab: Vocabulary, settlement: int) -> dict[str, str]:
    return {
        "ru": str(vocab.settlement_ru[settlement].as_py()),
        "be": str(vocab.settlement_be[settlement].as_py()),
        "latin": str(vocab.settlement_latin[settlement].as_py()),
    }


def _rows_of(person: np.typing.NDArray[np.int64], index: dict[int, int]) -> list[int]:
    wanted = np.isin(person, np.fromiter(index, dtype=np.int64))
    return np.flatnonzero(wanted).tolist()


def _add_residences(
    chunk: Chunk, world: World, vocab: Vocabulary, stories: list[Story], index: dict[int, int]
) -> None:
    res = chunk.residences
    rows = _rows_of(res.person, index)
    if not rows:
        return
    r = np.array(rows)
    houses = house_text(res.house[r], res.house_suffix[r]).to_pylist()
    renaming = world.places.renaming(res.settlement[r], res.street[r])
    for k, row in enumerate(rows):
        street = int(res.street[row])
        old = int(renaming[k])
        stories[index[int(res.person[row])]].residences.append(
            {
                "settlement": _place(vocab, int(res.settlement[row])),
                "street": {
                    "ru": str(vocab.street_ru[street].as_py()),
                    "be": str(vocab.street_be[street].as_py()),
                },
                "old_street": None
                if old < 0
                else {
                    "ru": str(vocab.old_street_ru[old].as_py()),
                    "be": str(vocab.old_street_be[old].as_py()),
                    "renamed": int(world.tables.renamings.text("year")[old]),
                },
                "house": houses[k],
                "flat": str(res.flat[row]) if res.flat[row] > 0 else None,
                "from": _date(int(res.start[row])),
                "to": _date(int(res.stop[row])),
            }
        )


def _add_education(
    chunk: Chunk, vocab: Vocabulary, ctx: SourceContext, stories: list[Story], index: dict[int, int]
) -> None:
    edu = chunk.education
    rows = _rows_of(edu.person, index)
    if not rows:
        return
    r = np.array(rows)
    school_ru, school_be = school_names(ctx, edu.institution[r], edu.settlement[r])
    for k, row in enumerate(rows):
        level = Level(int(edu.level[row]))
        inst = int(edu.institution[row])
        if level is Level.SCHOOL:
            place = vocab.settlement_latin[int(edu.settlement[row])].as_py()
            names = {
                "ru": school_ru[k].as_py(),
                "be": school_be[k].as_py(),
                "en": f"Secondary School No. {inst}, {place}",
            }
        elif level is Level.UNIVERSITY:
            names = {
                "ru": vocab.university_ru[inst].as_py(),
                "be": vocab.university_be[inst].as_py(),
                "en": vocab.university_en[inst].as_py(),
            }
        else:
            names = {
                "ru": vocab.college_ru[inst].as_py(),
                "be": vocab.college_be[inst].as_py(),
                "en": vocab.college_en[inst].as_py(),
            }
        programme = int(edu.programme[row])
        graduated = int(edu.graduation_year[row])
        stories[index[int(edu.person[row])]].education.append(
            {
                "institution": names,
                "settlement": _place(vocab, int(edu.settlement[row])),
                "level": LEVEL_NAMES[level],
                "programme": None
                if programme < 0
                else {
                    "ru": vocab.programme_ru[programme].as_py(),
                    "be": vocab.programme_be[programme].as_py(),
                },
                "from": int(edu.start_year[row]),
                "to": None if graduated == NOT_FINISHED else graduated,
            }
        )


def _add_jobs(
    chunk: Chunk, vocab: Vocabulary, ctx: SourceContext, stories: list[Story], index: dict[int, int]
) -> None:
    jobs = chunk.jobs
    rows = _rows_of(jobs.person, index)
    if not rows:
        return
    r = np.array(rows)
    names = employer_names(
        ctx, jobs.employer[r], jobs.settlement[r], jobs.firm[r], jobs.start[r]
    ).to_pylist()
    employer = jobs.employer[r]
    security = (employer >= 0) & ctx.security_employer[np.maximum(employer, 0)]
    for k, row in enumerate(rows):
        position = int(jobs.position[row])
        stories[index[int(jobs.person[row])]].employment.append(
            {
                "employer": names[k],
                "large": bool(jobs.employer[row] != SMALL_FIRM),
                "security": bool(security[k]),
                "settlement": _place(vocab, int(jobs.settlement[row])),
                "position": {
                    "ru": vocab.position_ru[position].as_py(),
                    "be": vocab.position_be[position].as_py(),
                },
                "from": _date(int(jobs.start[row])),
                "to": _date(int(jobs.stop[row])),
            }
        )

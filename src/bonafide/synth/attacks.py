"""Planted stories: how a competent adversary turns a life into a cover story.

Every function returns a new story and leaves its argument alone. Jobs and homes that a story
gains come from a `Bank` of invented people's lives (people in no registry), re-dated to fit:
nothing is claimed before the identity could have done it (see `applicants.py` for the kinds).
"""

from __future__ import annotations

import datetime as dt
import random

from bonafide.synth.stories import Story
from bonafide.synth.world import YEAR

__all__ = [
    "Bank",
    "continued",
    "invented_career",
    "retold",
    "shifted",
    "stretched_cover",
    "without_service",
]

Claim = dict[str, object]
_MIN_JOB_DAYS = 150


def _days(n: float) -> dt.timedelta:
    return dt.timedelta(days=int(n))


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


class Bank:
    """Civil jobs and homes of invented people, handed out at random, re-dated by the caller."""

    def __init__(self, stories: list[Story], rnd: random.Random) -> None:
        self.jobs = [j for s in stories for j in s.employment if not j.get("security")]
        self.homes = [r for s in stories for r in s.residences]
        rnd.shuffle(self.jobs)
        rnd.shuffle(self.homes)

    def job(self, rnd: random.Random, near: set[str]) -> Claim | None:
        """A civil job, most often in one of the settlements `near` (by Russian name)."""
        if not self.jobs:
            return None
        local = [j for j in self.jobs if _settlement(j) in near]
        pool = local if local and rnd.random() < 0.7 else self.jobs
        return dict(rnd.choice(pool))

    def home(self, rnd: random.Random) -> Claim | None:
        return dict(rnd.choice(self.homes)) if self.homes else None


def _settlement(claim: Claim) -> str:
    names = claim.get("settlement")
    return str(names.get("ru")) if isinstance(names, dict) else ""


def _near(story: Story) -> set[str]:
    return {_settlement(r) for r in story.residences}


def _new_jobs(
    first: dt.date, today: dt.date, count: int, bank: Bank, rnd: random.Random, near: set[str]
) -> list[Claim]:
    """Up to `count` consecutive jobs from `first` until now, the last one still held."""
    span = (today - first).days
    if span < 60:
        return []
    count = max(1, min(count, span // _MIN_JOB_DAYS))
    length = span / count
    cuts = [first] + [
        first + _days(i * length + rnd.uniform(-0.25, 0.25) * length) for i in range(1, count)
    ]
    jobs: list[Claim] = []
    for i in range(count):
        job = bank.job(rnd, near)
        if job is None:
            break
        job["from"] = cuts[i] + _days(rnd.randint(0, 45) if i else 0)
        job["to"] = cuts[i + 1] if i + 1 < count else None
        job["security"] = False
        jobs.append(job)
    return jobs


def shifted(story: Story, born: dt.date, today: dt.date) -> Story:
    """`story` moved in time as if its teller were born on `born`; nothing after `today`."""
    moved = story.copy()
    delta = born - story.identity.birth_date
    years = round(delta.days / YEAR)

    def dated(claims: list[Claim]) -> list[Claim]:
        kept = []
        for claim in claims:
            start, stop = _date(claim["from"]), _date(claim["to"])
            if start is None or start + delta >= today:
                continue
            claim["from"] = start + delta
            claim["to"] = None if stop is None or stop + delta >= today else stop + delta
            kept.append(claim)
        return kept

    moved.residences = dated(moved.residences)
    moved.employment = dated(moved.employment)
    courses = []
    for course in moved.education:
        start, stop = course["from"], course["to"]
        if not isinstance(start, int) or start + years > today.year:
            continue
        course["from"] = start + years
        course["to"] = (
            None if not isinstance(stop, int) or stop + years > today.year else stop + years
        )
        courses.append(course)
    moved.education = courses
    return moved


def continued(story: Story, end: dt.date, bank: Bank, rnd: random.Random, today: dt.date) -> Story:
    """The true story up to `end` (emigration or death), then a life in the country until now:
    at the last address or a new one, in the same job or new ones."""
    told = story.copy()
    told.residences = [r for r in told.residences if (_date(r["from"]) or today) < end]
    if told.residences:
        last = told.residences[-1]
        room = (today - end).days
        home = bank.home(rnd) if room > 200 and rnd.random() < 0.5 else None
        if home is None:
            last["to"] = None
        else:
            moved = end + _days(rnd.randint(30, min(700, room - 60)))
            last["to"] = moved
            home["from"], home["to"] = moved, None
            told.residences.append(home)
    jobs = [j for j in told.employment if (_date(j["from"]) or today) < end]
    last_job = jobs[-1] if jobs else None
    stopped = _date(last_job["to"]) if last_job else None
    if last_job is not None and stopped is not None and (end - stopped).days < 90:
        keeps_job = rnd.random() < 0.6
    else:
        keeps_job = False
    if last_job is not None and keeps_job:
        last_job["to"] = None
    else:
        begin = max(end, stopped or end) + _days(rnd.randint(20, 240))
        if (today - begin).days < 90:
            begin = end + _days(10)
        jobs += _new_jobs(begin, today, rnd.randint(1, 2), bank, rnd, _near(told))
    told.employment = jobs
    return told


def without_service(story: Story) -> Story:
    """The true story with every job at a security service left out."""
    told = story.copy()
    told.employment = [j for j in told.employment if not j.get("security")]
    return told


def _later(a: object, b: object) -> dt.date | None:
    first, second = _date(a), _date(b)
    if first is None or second is None:
        return None
    return max(first, second)


def stretched_cover(story: Story, bank: Bank, rnd: random.Random) -> Story:
    """The true story with the service years covered: the civil job before the service stretched
    to its end, the one after it stretched back to its start, or (15 %, or when there is no such
    job) a civil job invented for exactly those years."""
    told = story.copy()
    civil = [j for j in told.employment if not j.get("security")]
    service = [j for j in told.employment if j.get("security")]
    near = _near(told)
    for svc in service:
        start = _date(svc["from"])
        if start is None:
            continue
        before = [j for j in civil if (_date(j["from"]) or start) < start]
        after = [j for j in civil if (_date(j["from"]) or start) >= start]
        options = (["before"] if before else []) + (["after"] if after else [])
        if options and rnd.random() < 0.85:
            if rnd.choice(options) == "before":
                before[-1]["to"] = _later(before[-1]["to"], svc["to"])
            else:
                after[0]["from"] = start
            continue
        cover = bank.job(rnd, near)
        if cover is None:
            continue
        cover["from"], cover["to"], cover["security"] = start, svc["to"], False
        civil.append(cover)
        civil.sort(key=lambda j: _date(j["from"]) or start)
    told.employment = civil
    return told


def invented_career(story: Story, bank: Bank, rnd: random.Random, today: dt.date) -> Story:
    """The true homes and schools, with three to five invented jobs since the end of education
    (or 18), the last one still held."""
    told = story.copy()
    born = told.identity.birth_date
    first = born + _days(18 * YEAR)
    finished = [c["to"] for c in told.education if isinstance(c["to"], int)]
    if finished:
        graduated = dt.date(max(finished), 7, 1) + _days(rnd.randint(20, 120))
        first = max(first, graduated)
    if (today - first).days < 3 * _MIN_JOB_DAYS:
        first = max(born + _days(16.5 * YEAR), today - _days(3 * _MIN_JOB_DAYS))
    told.employment = _new_jobs(first, today, rnd.randint(3, 5), bank, rnd, _near(told))
    return told


def retold(story: Story, rnd: random.Random) -> Story:
    """The same story told again, a little differently: a job or a home may be left out."""
    told = story.copy()
    if len(told.employment) > 1 and rnd.random() < 0.4:
        told.employment.pop(rnd.randrange(len(told.employment) - 1))
    if len(told.residences) > 2 and rnd.random() < 0.3:
        told.residences.pop(rnd.randrange(1, len(told.residences) - 1))
    return told

"""Employment histories: jobs with gaps and overlaps, at large employers or small firms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bonafide.synth.education import NOT_FINISHED, Education
from bonafide.synth.enterprises import MARKET_ECONOMY, SovietEnterprises
from bonafide.synth.people import FEMALE, People
from bonafide.synth.places import Places
from bonafide.synth.positions import Positions
from bonafide.synth.residence import Residences, residence_at
from bonafide.synth.sampling import FloatArray, GroupedChoice, IntArray, stable_uniform
from bonafide.synth.tables import Tables
from bonafide.synth.world import NO_DAY, YEAR, day_of_year, year_of

__all__ = ["Employers", "Jobs", "generate_jobs"]

SMALL_FIRM = -1
LARGE_EMPLOYER_SHARE = 0.45  # of jobs; the rest are at small firms
SECURITY_JOB_SHARE = 0.025  # of all jobs: police, KGB, army, prosecutors, border guards …


class Employers:
    """Large named employers by region and sector, small firms per settlement, positions."""

    def __init__(self, tables: Tables, places: Places) -> None:
        ids = {sid: i for i, sid in enumerate(places.ids)}
        employers = tables.employers
        self.settlement = np.array(
            [ids[s] for s in employers.text("settlement_id")], dtype=np.int64
        )
        sectors = sorted(set(employers.text("sector")) | {"any"})
        self.sectors = sectors
        self.sector = np.array([sectors.index(s) for s in employers.text("sector")], np.int64)
        self.is_security = (
            self.sector == sectors.index("security")
            if "security" in sectors
            else (np.zeros(len(self.sector), dtype=bool))
        )
        weight = self._calibrated(employers.numbers("weight"))
        self.region_of_settlement = places.region
        region = places.region[self.settlement]
        n_regions = int(places.region.max()) + 1
        self._by_region = GroupedChoice(region, weight, n_regions)
        self._cdf = np.cumsum(weight) / weight.sum()
        self.firm_count = np.clip(places.population / 70, 2, 20_000).astype(np.int64)
        # Who an organisation employs: its staff profile (a sector, or for a security service
        # what kind of service it is: the KGB employs no patrol police).
        staff = employers.text("staff")
        profiles = sorted(set(staff) | set(sectors) - {"security"})
        self.staff = np.array([profiles.index(p) for p in staff], dtype=np.int64)
        security = {
            p
            for p, sector in zip(staff, employers.text("sector"), strict=True)
            if sector == "security"
        }
        civil = [p for p in profiles if p not in security]
        self._modern_profiles = np.array([profiles.index(s) for s in civil if s in sectors])
        self.positions = Positions(tables, profiles, civil)
        self.founded = employers.numbers("founded")
        self.soviet = SovietEnterprises(tables, places)
        self._soviet_profiles = np.array([profiles.index(s) for s in self.soviet.sector])

    def _calibrated(self, weight: FloatArray) -> FloatArray:
        """Headcounts rescaled so that security services hold SECURITY_JOB_SHARE of all jobs.

        The table lists every security body but only some of the large civil employers; small
        firms take the rest of the civil jobs, so raw headcounts would overstate security jobs.
        """
        security = weight[self.is_security].sum()
        if security == 0:
            return weight
        civil = weight.sum() - security
        target = SECURITY_JOB_SHARE / LARGE_EMPLOYER_SHARE
        scaled = weight.copy()
        scaled[self.is_security] *= target * civil / ((1 - target) * security)
        return scaled

    def large(self, region: IntArray, local: FloatArray, uniform: FloatArray) -> IntArray:
        regional = self._by_region.choose(region, uniform)
        national = np.minimum(np.searchsorted(self._cdf, uniform, side="right"), len(self._cdf) - 1)
        return np.where(local < 0.7, regional, national)

    def small_profile(self, settlement: IntArray, firm: IntArray, start: IntArray) -> IntArray:
        """The staff profile of local employers: a Soviet enterprise's sector before 1991,
        afterwards a firm's own sector (the same for the same firm)."""
        soviet = self._soviet_profiles[self.soviet.enterprise(settlement, firm)]
        pick = stable_uniform(settlement, firm, 5) * len(self._modern_profiles)
        modern = self._modern_profiles[pick.astype(np.int64)]
        return np.where(start < MARKET_ECONOMY, soviet, modern)


@dataclass
class Jobs:
    """One row per job; small firms are (settlement, firm number) with `employer` = -1."""

    person: IntArray
    employer: IntArray
    settlement: IntArray
    firm: IntArray
    position: IntArray
    start: IntArray
    stop: IntArray  # NO_DAY: still employed there

    def __len__(self) -> int:
        return len(self.person)


def _career_start(people: People, education: Education) -> IntArray:
    start = people.birth.astype(np.int64) + int(18.5 * YEAR)
    finished = education.graduation_year != NOT_FINISHED
    ends = np.full(len(people), -1, dtype=np.int64)
    np.maximum.at(ends, education.person[finished], education.graduation_year[finished])
    from_education = np.array([day_of_year(1970)]) + ((ends - 1970) * YEAR + 200).astype(np.int64)
    return np.where(ends > 0, np.maximum(from_education, start), start)


def generate_jobs(
    rng: np.random.Generator,
    people: People,
    residences: Residences,
    education: Education,
    employers: Employers,
    today: int,
) -> Jobs:
    begin = _career_start(people, education)
    retire = people.birth + np.where(people.sex == FEMALE, 58, 63) * YEAR
    finish = np.minimum(np.minimum(people.end, today), retire.astype(np.int64))
    years = (finish - begin) / YEAR
    works = (years > 0.5) & (rng.random(len(people)) > 0.07)
    count = np.where(works, 1 + np.minimum(rng.poisson(np.maximum(years, 0) / 9), 5), 0)
    person = np.repeat(np.arange(len(people), dtype=np.int64), count)
    n = len(person)
    lo, hi = begin[person], finish[person]
    cut = lo + (rng.random(n) * np.maximum(hi - lo, 1)).astype(np.int64)
    first = np.concatenate(([0], np.cumsum(count)[:-1]))[count > 0]
    cut[first] = lo[first]
    order = np.lexsort((cut, person))
    start = cut[order]
    stop = np.append(start[1:], 0)
    last = np.append(first[1:] - 1, n - 1) if n else first
    stop[last] = hi[last]
    gap = np.where(rng.random(n) < 0.6, 0, (rng.random(n) * 300).astype(np.int64))
    start = np.where(np.isin(np.arange(n), first), start, start + gap)
    overlap = rng.random(n) < 0.04
    stop = np.where(overlap, stop + 30 + (rng.random(n) * 170).astype(np.int64), stop)
    still_there = (people.end[person] > today) & (finish[person] >= today) & (rng.random(n) < 0.9)
    is_last = np.zeros(n, dtype=bool)
    is_last[last] = True
    stop = np.where(is_last & still_there, NO_DAY, np.minimum(stop, hi))
    keep = (stop > start + 20) & (start < hi)

    where = residence_at(residences, person, start.astype(np.int32))
    home = residences.settlement[where]
    region = employers.region_of_settlement[home]
    large = employers.large(region, rng.random(n), rng.random(n))
    # an employer founded later (a bank of 1994, the Investigative Committee of 2012) leaves
    # the job to a local one
    is_large = (rng.random(n) < LARGE_EMPLOYER_SHARE) & (employers.founded[large] <= year_of(start))
    employer = np.where(is_large, large, SMALL_FIRM)
    settlement = np.where(is_large, employers.settlement[large], home)
    local = np.floor(rng.random(n) * employers.firm_count[home]).astype(np.int64)
    firm = np.where(is_large, 0, local)
    profile = np.where(
        is_large, employers.staff[large], employers.small_profile(home, local, start)
    )
    age = (start - people.birth[person]) / YEAR
    position = employers.positions.draw(profile, start, age, rng.random(n))
    return Jobs(
        person=person[keep],
        employer=employer[keep].astype(np.int64),
        settlement=settlement[keep].astype(np.int64),
        firm=firm[keep].astype(np.int64),
        position=position[keep],
        start=start[keep],
        stop=stop[keep],
    )

"""Watchlist screening (issue 11): every listed person found, few others hit, a screen's cost.

    .venv/bin/python bench/run.py watchlist 200000

On a population prepared by population.py (seed 2027; every registry imported and resolved),
from the synthetic population's truth alone (no applicant cohort needed):
- recall: every watchlisted person's identity written as an applicant would write it — their
  true name in each of four scripts (Russian, Belarusian, passport Latin, English), their true
  birth date, sex, and their maiden surname among former surnames — screened against the whole
  watchlist; found when a hit is one of their own entries. By kind of entry: full date,
  year-only, no date, Latin-only; and once more without former surnames;
- false hits: for a sample of living adults not on the watchlist, each in one script, the share
  with any hit (target ≤ 0.2 %);
- the time of one `WatchlistScreen.screen` call (p50 / p99; target ≤ 1–2 ms) and of opening.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bonafide.persons.files import PersonFiles  # noqa: E402
from bonafide.persons.watchlist import WATCHLIST_FILE  # noqa: E402
from bonafide.synth.vocabulary import Pool, vocabulary  # noqa: E402
from bonafide.verify.verifier import DECISIVE_STRENGTH  # noqa: E402
from bonafide.verify.watchlist import WatchlistScreen  # noqa: E402
from foundation import BIN, measure  # noqa: E402
from population import prepare  # noqa: E402
from vaults import bench_vault  # noqa: E402

SCRIPTS = ("ru", "be", "passport", "en")
SAMPLE = 200_000  # at most this many persons not on the watchlist screened for false hits
AS_OF = dt.date(2026, 11, 1)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _forms(ru: Pool, *others: Pool) -> dict[str, tuple[str, ...]]:
    """Russian form → the same name in each other pool (original strings only, no typos)."""
    columns = [p.strings.slice(0, p.size).to_pylist() for p in (ru, *others)]
    return {row[0]: tuple(row[1:]) for row in zip(*columns, strict=True)}


class Writer:
    """A person's true name as an applicant writes it in one of SCRIPTS."""

    def __init__(self) -> None:
        v = vocabulary()
        # each: Russian → (Belarusian, passport Latin, English)
        self.surname = _forms(v.surname_ru, v.surname_be, v.surname_passport, v.surname_en)
        self.given = _forms(v.given_ru, v.given_be, v.given_passport, v.given_en)
        self.patronymic = _forms(v.patronymic_ru, v.patronymic_be, v.patronymic_en, v.patronymic_en)

    def _in(self, table: dict[str, tuple[str, ...]], ru: str | None, script: str) -> str | None:
        if not ru or script == "ru":
            return ru
        forms = table.get(ru)
        return forms[SCRIPTS.index(script) - 1] if forms else ru

    def identity(self, person: dict[str, Any], script: str, former: bool = True) -> dict[str, Any]:
        identity: dict[str, Any] = {
            "surname": self._in(self.surname, person["surname"], script),
            "given_name": self._in(self.given, person["given_name"], script),
            "patronymic": self._in(self.patronymic, person["patronymic"], script),
            "birth_date": person["birth_date"].isoformat(),
            "sex": person["sex"],
        }
        if former and person["birth_surname"] and person["birth_surname"] != person["surname"]:
            identity["former_surnames"] = [self._in(self.surname, person["birth_surname"], script)]
        return {k: v for k, v in identity.items() if v is not None}


def _kind_of(name: str, dob: str | None) -> list[str]:
    kinds = ["full date" if dob and len(dob) == 10 else "year-only" if dob else "no date"]
    if not _CYRILLIC.search(name):
        kinds.append("Latin-only")
    return kinds


def _screen_open(store: Path) -> tuple[WatchlistScreen, float]:
    files = PersonFiles(bench_vault(store))
    generation = files.current()
    assert generation is not None
    if not generation.exists(WATCHLIST_FILE):
        print("  the store was resolved before watchlist.arrow: resolving again", flush=True)
        measure(str(BIN / "bonafide"), "registry", "resolve", "--data-dir", str(store))
        generation = files.current()
        assert generation is not None
    start = time.perf_counter()
    screen = WatchlistScreen.open(generation)
    return screen, time.perf_counter() - start


def run(people: int, work: Path) -> dict[str, Any]:
    root, store, _ = prepare(people, work)
    screen, opened = _screen_open(store)
    print(f"  watchlist: {len(screen):,} entries, opened in {opened * 1000:.0f} ms", flush=True)
    listed = pq.read_table(root / "truth" / "watchlist.parquet").to_pylist()
    source = pq.read_table(root / "registries" / "watchlist.parquet").to_pylist()
    raw = {row["wl_id"]: row for row in source}
    entries_of: dict[int, list[str]] = defaultdict(list)
    kinds_of: dict[int, set[str]] = defaultdict(set)
    for row in listed:
        entries_of[row["person_id"]].append(row["record_id"])
        entry = raw[row["record_id"]]
        kinds_of[row["person_id"]].update(_kind_of(entry["name"], entry["dob"]))
    people_table = pq.read_table(root / "truth" / "people.parquet")
    persons = {p["person_id"]: p for p in people_table.to_pylist()}
    writer = Writer()
    times: list[float] = []

    def screen_one(identity: dict[str, Any]) -> list[str | None]:
        start = time.perf_counter()
        hits = screen.screen(identity)
        times.append(time.perf_counter() - start)
        return [h.entry.record_id for h in hits]

    for person in list(persons.values())[:200]:  # warm the name caches
        screen_one(writer.identity(person, "ru"))
    times.clear()

    found: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    missed: list[tuple[str, dict[str, Any], list[str]]] = []
    for former in (True, False):
        for person_id, records in entries_of.items():
            person = persons[person_id]
            for script in SCRIPTS:
                identity = writer.identity(person, script, former)
                hit = bool(set(screen_one(identity)) & set(records))
                label = "with former surnames" if former else "without former surnames"
                for kind in ("all", *sorted(kinds_of[person_id]), f"script {script}"):
                    total[(label, kind)] += 1
                    found[(label, kind)] += hit
                if not hit and former:
                    missed.append((script, identity, [raw[r]["name"] for r in records]))

    born_before = AS_OF.replace(year=AS_OF.year - 18)
    others = people_table.filter(
        pc.and_(
            pc.invert(pc.is_in(people_table.column("person_id"), value_set=_ids(entries_of))),
            pc.and_(
                pc.is_null(people_table.column("died_on")),
                pc.less_equal(people_table.column("birth_date"), born_before),
            ),
        )
    )
    rng = np.random.default_rng(11)
    chosen = rng.choice(others.num_rows, size=min(SAMPLE, others.num_rows), replace=False)
    false_hits: Counter[str] = Counter()
    examples: list[tuple[dict[str, Any], list[str]]] = []
    sample = others.take(np.sort(chosen)).to_pylist()
    for n, person in enumerate(sample):
        identity = writer.identity(person, SCRIPTS[n % len(SCRIPTS)])
        hits = screen.screen(identity)
        if hits:
            false_hits["any"] += 1
            if hits[0].strength >= DECISIVE_STRENGTH:
                false_hits["decisive"] += 1
            top = hits[0]
            false_hits[f"{top.name.value} name, birth {top.birth.value}, {top.strength}"] += 1
            if len(examples) < 8:
                examples.append((identity, [h.detail for h in hits]))

    print(f"  {'recall':<26} {'kind':<20} {'found':>7} {'of':>7} {'share':>7}")
    for (label, kind), n in sorted(total.items()):
        print(f"  {label:<26} {kind:<20} {found[(label, kind)]:>7} {n:>7} "
              f"{found[(label, kind)] / n:>7.4f}")  # fmt: skip
    for script, identity, names in missed[:10]:
        print(f"    missed ({script}): {identity} — listed as {names}")
    share = false_hits["any"] / len(sample)
    print(
        f"  false hits: {false_hits['any']} of {len(sample):,} not listed = {share:.4%} "
        f"(at 10 M people, the watchlist 50× longer: ≈ {share * 10_000_000 / people:.2%})"
    )
    decisive = false_hits["decisive"] / len(sample)
    print(
        f"  of them decisive (the whole name and the birth date as far as the entry gives it: "
        f"they flag; the rest are questions): {false_hits['decisive']} = {decisive:.4%} "
        f"(at 10 M: ≈ {decisive * 10_000_000 / people:.2%})"
    )
    for what, n in sorted(false_hits.items()):
        if what not in ("any", "decisive"):
            print(f"    {what}: {n}")
    for identity, details in examples:
        print(f"    e.g. {identity}: {details}")
    ms = np.array(times) * 1000
    p50, p99, worst = np.percentile(ms, 50), np.percentile(ms, 99), ms.max()
    print(f"  one screen: p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {worst:.2f} ms "
          f"({len(ms):,} screens)", flush=True)  # fmt: skip
    return {
        "people": people,
        "entries": len(screen),
        "recall": found[("with former surnames", "all")]
        / max(total[("with former surnames", "all")], 1),
        "false_hit_share": share,
        "decisive_false_hit_share": decisive,
        "p50_ms": float(p50),
        "p99_ms": float(p99),
        "open_s": opened,
    }


def _ids(entries_of: dict[int, list[str]]) -> pa.Array:
    return pa.array(sorted(entries_of), pa.int64())


def main(sizes: list[int], work: Path) -> list[dict[str, Any]]:
    return [run(size, work) for size in sizes]


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200_000], Path("bench-data"))

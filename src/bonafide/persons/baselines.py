"""Base rates computed from the registries themselves, so each signal says how unusual it is.

- coverage: per registry kind and birth year, the share of resolved persons with at least one
  record of that kind ("the education registry covers 92 % of people born in 1985");
- history size: per five-year birth cohort, quantiles of the records a person has in the
  residence, education and employment registries together ("fewer than 99 % of people this age");
- recent identities: per cohort, the share of persons whose earliest identity record was created
  within RECENT_YEARS of the registry's date (a planted identity is new; a real adult's is not).

Written by `bonafide registry resolve` as `baselines.json` in the person index's generation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from bonafide.persons.files import Generation
from bonafide.registry.store import RegistryStore

__all__ = ["HISTORY_QUANTILES", "RECENT_YEARS", "Baselines", "compute_baselines"]

RECENT_YEARS = 3
HISTORY_QUANTILES = (0.01, 0.02, 0.05, 0.1, 0.25, 0.5)
_KINDS = ("residence", "education", "employment")
_FILE = "baselines.json"


def cohort_of(birth_year: int) -> int:
    return birth_year // 5 * 5


@dataclass
class Baselines:
    registry_date: str  # the latest identity record's creation: "today" for the registries
    coverage: dict[str, dict[str, float]]  # kind → birth year → share with a record
    history_quantiles: dict[str, list[float]]  # cohort → record-count quantiles
    recent_identity_share: dict[str, float]  # cohort → share with a recent first record
    persons: dict[str, int]  # cohort → persons

    def coverage_of(self, kind: str, birth_year: int | None) -> float | None:
        by_year = self.coverage.get(kind, {})
        if birth_year is not None and str(birth_year) in by_year:
            return by_year[str(birth_year)]
        if not by_year:
            return None
        return sum(by_year.values()) / len(by_year)

    def history_quantile(self, birth_year: int, count: int) -> float:
        """The share of persons of the cohort known to have no more records than `count`
        (an upper bound read off the stored quantiles)."""
        quantiles = self.history_quantiles.get(str(cohort_of(birth_year)))
        if not quantiles:
            return 1.0
        for share, value in zip(HISTORY_QUANTILES, quantiles, strict=True):
            if count < value:
                return share
        return 1.0

    def recent_share(self, birth_year: int) -> float:
        return self.recent_identity_share.get(str(cohort_of(birth_year)), 0.0)

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.registry_date)

    def save(self, generation: Generation) -> None:
        generation.write_json(_FILE, asdict(self))

    @classmethod
    def load(cls, generation: Generation) -> Baselines:
        data: dict[str, Any] = generation.read_json(_FILE)  # type: ignore[assignment]
        return cls(**data)


def compute_baselines(store: RegistryStore) -> Baselines:
    today = store.scalar(
        "registry date", "SELECT coalesce(max(record_created), current_date) FROM registry_identity"
    )
    store.execute(
        "baseline persons",
        """
        CREATE OR REPLACE TEMP TABLE baseline_persons AS
        SELECT l.person_id, year(min(r.birth_date)) AS birth_year,
               min(r.record_created) AS first_created
        FROM person_links l JOIN registry_identity r ON r.record_key = l.record_key
        WHERE l.kind = 'identity' AND r.birth_date IS NOT NULL
        GROUP BY l.person_id
        """,
    )
    store.execute(
        "baseline counts",
        f"""
        CREATE OR REPLACE TEMP TABLE kind_counts AS
        SELECT person_id, kind, count(*) AS n FROM person_links
        WHERE kind IN ({", ".join(f"'{k}'" for k in _KINDS)}) GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE person_counts AS
        SELECT p.person_id, p.birth_year, p.first_created, coalesce(sum(k.n), 0) AS records
        FROM baseline_persons p LEFT JOIN kind_counts k ON k.person_id = p.person_id
        GROUP BY ALL
        """,
    )
    coverage: dict[str, dict[str, float]] = {}
    for kind in _KINDS:
        rows = store.execute(
            f"coverage of {kind}",
            f"""
            SELECT p.birth_year, avg(CASE WHEN k.n IS NULL THEN 0 ELSE 1 END)
            FROM baseline_persons p
            LEFT JOIN kind_counts k ON k.person_id = p.person_id AND k.kind = '{kind}'
            GROUP BY 1 HAVING count(*) >= 20
            """,
        )
        coverage[kind] = {str(year): float(share) for year, share in rows}
    quantiles = ", ".join(str(q) for q in HISTORY_QUANTILES)
    rows = store.execute(
        "history quantiles",
        f"""
        SELECT birth_year // 5 * 5 AS cohort, quantile_disc(records, [{quantiles}]), count(*),
               avg(CASE WHEN first_created > ?::DATE - INTERVAL {RECENT_YEARS} YEAR
                   THEN 1 ELSE 0 END)
        FROM person_counts GROUP BY 1
        """,
        [today],
    )
    return Baselines(
        registry_date=str(today),
        coverage=coverage,
        history_quantiles={str(c): [float(v) for v in q] for c, q, _, _ in rows},
        recent_identity_share={str(c): float(share) for c, _, _, share in rows},
        persons={str(c): int(n) for c, _, n, _ in rows},
    )

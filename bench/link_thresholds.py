"""What a stricter link would buy: a resolved population's links at higher probabilities,
checked against the truth, and how well the probabilities say how often a link is right.

    .venv/bin/python bench/link_thresholds.py bench-data/population-1000000

For each registry linked to persons, reads the links resolve wrote (each with its probability)
and prints, for links at or above each probability in `--at` (default
0.5,0.6,0.7,0.8,0.85,0.9,0.95,0.99), the precision, the recall and the wrong links left; then,
per band of a twentieth, the links in the band and the share of them that are right (a
probability that says 0.9 should be right nine times in ten). Resolve links at 0.5; nothing
is written to the store. Counted in the store, the truth read from the population's Parquet
files, as `resolve_quality.py` counts them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resolve_quality import person_of_true
from vaults import bench_vault

KINDS = ("residence", "education", "employment", "watchlist")


def _links(truth: str, kind: str) -> str:
    """SQL: each link of `kind` with its probability and whether its person is the right one."""
    return f"""WITH {person_of_true(truth)},
        kind_truth AS (SELECT * FROM read_parquet('{truth}/{kind}.parquet')),
        linkable AS (
            SELECT count(*) AS records FROM kind_truth t
            SEMI JOIN person_of_true p ON p.true_person = t.person_id
        ),
        links AS (
            SELECT l.probability, l.person_id IS NOT DISTINCT FROM p.person_id AS right_person
            FROM person_links l JOIN registry_{kind} r ON r.record_key = l.record_key
            JOIN kind_truth t ON t.record_id = r.record_id
            LEFT JOIN person_of_true p ON p.true_person = t.person_id
            WHERE l.kind = '{kind}'
        )"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--at", default="0.5,0.6,0.7,0.8,0.85,0.9,0.95,0.99")
    args = parser.parse_args()
    thresholds = [float(t) for t in args.at.split(",")]
    truth = str(args.population / "truth").replace("'", "''")
    with RegistryStore.open(bench_vault(args.population / "store"), read_only=True) as store:
        for kind in KINDS:
            listed = ", ".join(str(t) for t in thresholds)
            rows = store.execute(
                "bench links by threshold",
                f"""{_links(truth, kind)}
                SELECT threshold, count(*) FILTER (WHERE probability >= threshold),
                    count(*) FILTER (WHERE probability >= threshold AND right_person),
                    (SELECT records FROM linkable)
                FROM links, (SELECT unnest([{listed}]) AS threshold)
                GROUP BY threshold ORDER BY threshold""",
            )
            print(kind, flush=True)
            for at, links, right, linkable in rows:
                print(
                    f"  at {at:.2f}: precision {right / max(links, 1):.4f}"
                    f"  recall {right / max(linkable, 1):.4f}  wrong {links - right:,}",
                    flush=True,
                )
            bands = store.execute(
                "bench links by band",
                f"""{_links(truth, kind)}
                SELECT floor(probability * 20) / 20 AS band, count(*),
                    avg(CASE WHEN right_person THEN 1.0 ELSE 0.0 END)
                FROM links GROUP BY band ORDER BY band""",
            )
            print(
                "  by band (from, links, right): "
                + "; ".join(f"{b:.2f} {n:,} {r:.4f}" for b, n, r in bands),
                flush=True,
            )


if __name__ == "__main__":
    main()

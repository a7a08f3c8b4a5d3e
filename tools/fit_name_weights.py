"""Fit the name-match weights on the labelled dev set and write names/data/name_weights.json.

    .venv/bin/python tools/fit_name_weights.py

Logistic regression (scikit-learn, a dev dependency) over one-hot comparator categories, so the
fitted score is calibrated on the dev set: 0.5 means even odds there. Prints the weights and the
cross-validated recall at precision ≥ 0.99 per script pair, to watch for over-fitting. Only the
rows of the `dev` split are read: the frozen `test` split (tests/data/name_pairs.md) is where
figures are reported, and nothing is fitted or tuned on it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bonafide.names.model import FEATURES, compare_names

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "data" / "name_pairs.tsv"
OUT = ROOT / "src" / "bonafide" / "names" / "data" / "name_weights.json"


def load_pairs(split: str | None = "dev") -> list[dict[str, str]]:
    """The labelled pairs of one split (`None`: all); a row without a split is `dev`."""
    with DEV_SET.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if split is None or (r.get("split") or "dev") == split]


def features(a: str, b: str) -> list[float]:
    match = compare_names(a, b)
    active = {f"{p.part}.{p.category}" for p in match.parts}
    return [1.0 if f in active else 0.0 for f in FEATURES]


def recall_at_precision(scores: np.ndarray, labels: np.ndarray, precision: float) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(labels[order])
    ranks = np.arange(1, len(order) + 1)
    ok = hits / ranks >= precision
    return float(hits[ok].max() / labels.sum()) if ok.any() else 0.0


def held_out_scores(
    rows: list[dict[str, str]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LogisticRegression]:
    """Features, labels, 5-fold held-out scores, and the model fitted on every row."""
    x = np.array([features(r["a"], r["b"]) for r in rows])
    y = np.array([int(r["same"]) for r in rows])
    model = LogisticRegression(C=3.0, max_iter=2000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    held_out = np.zeros(len(y))
    for train, test in folds.split(x, y):
        held_out[test] = model.fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    model.fit(x, y)
    return x, y, held_out, model


def decided_by_sex(a: str, b: str) -> bool:
    """Pairs whose names are of different sexes: the hard rule decides them, so they say
    nothing of the other weights (fitting on them would push those down)."""
    return any(p.part == "sex" for p in compare_names(a, b).parts)


def main() -> None:
    rows = [r for r in load_pairs("dev") if not decided_by_sex(r["a"], r["b"])]
    _, y, held_out, model = held_out_scores(rows)
    pairs = np.array([r["script_pair"] for r in rows])
    for pair in ("be-ru", "cyr-lat", "lat-lat"):
        mask = pairs == pair
        print(
            f"{pair}: cross-validated recall at precision 0.99: "
            f"{recall_at_precision(held_out[mask], y[mask], 0.99):.3f}"
        )
    fitted = {f: round(float(w), 4) for f, w in zip(FEATURES, model.coef_[0], strict=True)}
    OUT.write_text(
        json.dumps(
            {
                "fitted_on": f"{DEV_SET.relative_to(ROOT)} (split dev)",
                "pairs": len(rows),
                "intercept": round(float(model.intercept_[0]), 4),
                "weights": fitted,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    for feature, weight in fitted.items():
        print(f"{feature:<28} {weight:+.2f}")


if __name__ == "__main__":
    main()

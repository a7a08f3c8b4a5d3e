"""Fit the name-match weights on the labelled dev set and write names/data/name_weights.json.

    .venv/bin/python tools/fit_name_weights.py

Logistic regression over one-hot comparator categories, so the fitted score is calibrated on the
dev set (0.5 means even odds there), under the constraints that make scores order names
sensibly whatever the mix of the set: an agreement never weighs less than nothing (a full name
that agrees outranks a lone surname that agrees), a disagreement never more, and a stronger
agreement of a part never less than a weaker one (the same surname ≥ a transliteration ≥ a
typo). Fitted with SciPy's SLSQP (a dev dependency through scikit-learn). Prints the weights and the
cross-validated recall at precision ≥ 0.99 per script pair, to watch for over-fitting. Only the
rows of the `dev` split are read: the frozen `test` split (tests/data/name_pairs.md) is where
figures are reported, and nothing is fitted or tuned on it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
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


# Signs: agreements weigh at least nothing, disagreements at most nothing; the weak agreements
# (loose, typo, drop, swap, alike) are free: as often as not they are another name.
AT_LEAST_NOTHING = (
    "given.same",
    "given.diminutive",
    "given.typo",
    "given.initial",
    "surname.same",
    "surname.transliteration",
    "surname.part",
    "patronymic.same",
    "patronymic.initial",
)
AT_MOST_NOTHING = ("given.different", "surname.different", "patronymic.different")
# (stronger, weaker): the stronger agreement of a part weighs at least as much
ORDER = (
    ("given.same", "given.typo"),
    ("given.same", "given.diminutive"),
    ("given.same", "given.alike"),
    ("given.same", "given.initial"),
    ("given.typo", "given.alike"),
    ("surname.same", "surname.transliteration"),
    ("surname.transliteration", "surname.part"),
    ("surname.transliteration", "surname.loose"),
    ("surname.transliteration", "surname.typo"),
    ("surname.transliteration", "surname.drop"),
    ("surname.transliteration", "surname.swap"),
    ("patronymic.same", "patronymic.typo"),
    ("patronymic.same", "patronymic.initial"),
)
# (stronger, weaker parts, margin): a name weighs more than what abbreviates or shortens it —
# the initials of a given name and patronymic less than the given name itself, a diminutive
# less than the full name (weaker evidence, not none)
WEAKER_BY = (
    ("given.same", ("given.initial", "patronymic.initial"), 0.5),
    ("given.same", ("given.diminutive",), 0.5),
)
PENALTY = 1 / 6  # L2 on the weights (not the intercept), as scikit-learn's C = 3


class ConstrainedLogistic:
    """Logistic regression with the sign and order constraints above."""

    def __init__(self) -> None:
        self.intercept = 0.0
        self.coef = np.zeros(len(FEATURES))

    def fit(self, x: np.ndarray, y: np.ndarray) -> ConstrainedLogistic:
        index = {f: i + 1 for i, f in enumerate(FEATURES)}  # 0 is the intercept

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            z = theta[0] + x @ theta[1:]
            p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic, without overflow
            value = np.sum(np.logaddexp(0.0, z) - y * z) + PENALTY * theta[1:] @ theta[1:]
            grad = np.concatenate([[np.sum(p - y)], x.T @ (p - y) + 2 * PENALTY * theta[1:]])
            return float(value), grad

        constraints = []
        for stronger, weaker in ORDER:
            row = np.zeros(len(FEATURES) + 1)
            row[index[stronger]], row[index[weaker]] = 1.0, -1.0
            constraints.append(
                {"type": "ineq", "fun": lambda t, r=row: r @ t, "jac": lambda t, r=row: r}
            )
        for stronger, weaker_parts, margin in WEAKER_BY:
            row = np.zeros(len(FEATURES) + 1)
            row[index[stronger]] = 1.0
            for weaker in weaker_parts:
                row[index[weaker]] -= 1.0
            constraints.append(
                {
                    "type": "ineq",
                    "fun": lambda t, r=row, m=margin: r @ t - m,
                    "jac": lambda t, r=row: r,
                }
            )
        bounds = [(None, None)] + [
            (0.0, None)
            if f in AT_LEAST_NOTHING
            else (None, 0.0)
            if f in AT_MOST_NOTHING
            else (None, None)
            for f in FEATURES
        ]
        start = np.zeros(len(FEATURES) + 1)
        result = minimize(
            loss,
            start,
            jac=True,
            method="SLSQP",
            bounds=bounds,
            constraints=constraints,
            options={"maxiter": 1000, "ftol": 1e-10},
        )
        self.intercept, self.coef = float(result.x[0]), result.x[1:]
        return self

    def predict(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.intercept + x @ self.coef)))


def held_out_scores(
    rows: list[dict[str, str]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, ConstrainedLogistic]:
    """Features, labels, 5-fold held-out scores, and the model fitted on every row."""
    x = np.array([features(r["a"], r["b"]) for r in rows])
    y = np.array([int(r["same"]) for r in rows])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    held_out = np.zeros(len(y))
    for train, test in folds.split(x, y):
        held_out[test] = ConstrainedLogistic().fit(x[train], y[train]).predict(x[test])
    return x, y, held_out, ConstrainedLogistic().fit(x, y)


def decided_by_rule(a: str, b: str) -> bool:
    """Pairs the hard rules decide (names of different sexes, names sharing no part): they
    say nothing of the other weights (fitting on them would push those down)."""
    return any(p.part in ("sex", "names") for p in compare_names(a, b).parts)


def main() -> None:
    rows = [r for r in load_pairs("dev") if not decided_by_rule(r["a"], r["b"])]
    _, y, held_out, model = held_out_scores(rows)
    pairs = np.array([r["script_pair"] for r in rows])
    for pair in ("be-ru", "cyr-lat", "lat-lat"):
        mask = pairs == pair
        print(
            f"{pair}: cross-validated recall at precision 0.99: "
            f"{recall_at_precision(held_out[mask], y[mask], 0.99):.3f}"
        )
    fitted = {f: round(float(w), 4) for f, w in zip(FEATURES, model.coef, strict=True)}
    OUT.write_text(
        json.dumps(
            {
                "fitted_on": f"{DEV_SET.relative_to(ROOT)} (split dev)",
                "pairs": len(rows),
                "intercept": round(model.intercept, 4),
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

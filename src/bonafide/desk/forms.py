"""The intake form ↔ a dossier: rows added and removed as the applicant talks, and each problem
of the dossier placed next to its field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IDENTITY_FIELDS", "ROWS", "DossierForm"]

IDENTITY_FIELDS = (
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "birth_place",
    "sex",
    "personal_number",
    "passport_number",
)
# form prefix → (dossier key, the row's fields as the form names them)
ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "residence": ("residences", ("settlement", "street", "from", "to")),
    "education": ("education", ("institution", "programme", "from", "to")),
    "employment": ("employment", ("employer", "position", "from", "to")),
}
_ROW_FIELD = re.compile(r"^(residence|education|employment)-(\d{1,4})-(\w+)$")
_PROBLEM = re.compile(r"^(identity|residences|education|employment)(?:/(\d+))?(?:/(\w+))?: (.*)$")
_PREFIX = {key: prefix for prefix, (key, _) in ROWS.items()}
MAX_ROWS = 200


@dataclass
class DossierForm:
    identity: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {prefix: [] for prefix in ROWS}
    )

    @classmethod
    def from_form(cls, form: Mapping[str, Any]) -> DossierForm:
        made = cls({f: str(form.get(f, "")).strip() for f in IDENTITY_FIELDS})
        found: dict[str, dict[int, dict[str, str]]] = {prefix: {} for prefix in ROWS}
        for key, value in form.items():
            match = _ROW_FIELD.match(str(key))
            if match and match.group(3) in ROWS[match.group(1)][1]:
                prefix, index, name = match.group(1), int(match.group(2)), match.group(3)
                found[prefix].setdefault(index, {})[name] = str(value).strip()
        for prefix, rows in found.items():
            made.rows[prefix] = [rows[i] for i in sorted(rows)][:MAX_ROWS]
        return made

    @classmethod
    def from_dossier(cls, dossier: Mapping[str, Any]) -> DossierForm:
        identity = dossier.get("identity") or {}
        made = cls({f: str(identity.get(f) or "") for f in IDENTITY_FIELDS})
        for prefix, (key, names) in ROWS.items():
            made.rows[prefix] = [
                {n: str(row.get(n) or "") for n in names} for row in dossier.get(key) or []
            ]
        return made

    def act(self, action: str) -> None:
        """A row button: `add-<prefix>` or `remove-<prefix>-<n>`."""
        for prefix in ROWS:
            if action == f"add-{prefix}" and len(self.rows[prefix]) < MAX_ROWS:
                self.rows[prefix].append(dict.fromkeys(ROWS[prefix][1], ""))
            removing = re.fullmatch(rf"remove-{prefix}-(\d+)", action)
            if removing and int(removing.group(1)) < len(self.rows[prefix]):
                del self.rows[prefix][int(removing.group(1))]

    def shown_rows(self) -> dict[str, list[dict[str, str]]]:
        """The rows to show: at least one empty row of each kind, to type into."""
        return {
            prefix: rows or [dict.fromkeys(ROWS[prefix][1], "")]
            for prefix, rows in self.rows.items()
        }

    def to_dossier(self) -> dict[str, Any]:
        """The dossier the form holds: empty fields and empty rows left out."""
        dossier: dict[str, Any] = {
            "identity": {k: v for k, v in self.identity.items() if v},
        }
        for prefix, (key, _) in ROWS.items():
            rows = [{k: v for k, v in row.items() if v} for row in self.rows[prefix]]
            dossier[key] = [row for row in rows if row]
        return dossier

    @staticmethod
    def place(problems: list[str]) -> dict[str, list[str]]:
        """Each problem under the form field it is about (`""`: the whole dossier)."""
        placed: dict[str, list[str]] = {}
        for problem in problems:
            match = _PROBLEM.match(problem)
            if match is None:
                placed.setdefault("", []).append(problem)
                continue
            part, index, name, text = match.groups()
            if part == "identity":
                where = name or "surname"
            else:
                where = f"{_PREFIX[part]}-{index}" + (f"-{name}" if name else "")
            placed.setdefault(where, []).append(text)
        return placed

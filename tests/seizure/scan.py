"""What a seized disk would give away: the personal values of a population, searched for in
every byte of every file of a data directory (with grep's multi-pattern search)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq

from tests.conftest import Population

# values that are no clue to a person: words every address or organisation shares
_GENERIC = {
    "улица", "вуліца", "переулок", "завулак", "проспект", "праспект", "бульвар", "площадь",
    "плошча", "тупик", "тупік", "микрорайон", "мікрараён", "шоссе", "шаша",
}  # fmt: skip
_MIN_LENGTH = 6
_PER_COLUMN = 4000  # sampled values of each registry column


def _words(value: object) -> set[str]:
    if not isinstance(value, str):
        return set()
    found = set()
    for word in value.replace(",", " ").split():
        if len(word) >= _MIN_LENGTH and word.lower() not in _GENERIC:
            found |= {word, word.lower(), word.upper()}
    return found


def personal_values(population: Population) -> set[str]:
    """Names, document numbers, streets, employers of the registries and the applicants."""
    values: set[str] = set()
    for dossier in population.dossiers():
        identity = dossier["identity"]
        for field in ("surname", "given_name", "patronymic", "passport_number", "personal_number"):
            values |= _words(identity.get(field))
        for entry in dossier.get("residences") or []:
            values |= _words(entry.get("street"))
        for entry in dossier.get("employment") or []:
            values |= _words(entry.get("employer"))
    for path in sorted(population.registries.glob("*.parquet")):
        table = pq.read_table(path)
        for column in table.column_names:
            if any(k in column.lower() for k in ("date", "data", "дата", "год", "dob", "hired")):
                continue
            for value in table.column(column).to_pylist()[:_PER_COLUMN]:
                values |= _words(value)
    return {v for v in values if not v.isdigit() or len(v) >= 7}


def found_in(directory: Path, values: set[str]) -> dict[str, list[str]]:
    """{file: the values found in its bytes} for every file under `directory`."""
    patterns = directory.parent / f".{directory.name}-needles"
    patterns.write_text("\n".join(sorted(values)) + "\n", encoding="utf-8")
    try:
        result = subprocess.run(
            ["grep", "-r", "-a", "-o", "-F", "-f", str(patterns), str(directory)],
            capture_output=True,
            check=False,
        )
    finally:
        patterns.unlink()
    assert result.returncode in (0, 1), result.stderr
    hits: dict[str, list[str]] = {}
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        file, _, value = line.partition(":")
        hits.setdefault(file, []).append(value)
    return hits


def dump_json(hits: dict[str, list[str]]) -> str:
    return json.dumps({f: sorted(set(v))[:5] for f, v in hits.items()}, ensure_ascii=False)

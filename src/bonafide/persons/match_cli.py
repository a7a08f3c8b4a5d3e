"""`bonafide match RECORD.json`: one person record against the resolved person index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from bonafide.errors import InputError
from bonafide.output import OutputFormat, OutputFormatOption
from bonafide.persons.match import QUERY_FIELDS, MatchCandidate, Matcher
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, say_plain_text, unlocked
from bonafide.vault.audit import AuditAction, record_action

__all__ = ["match_command", "read_record"]


def read_record(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(
            f"{path}: cannot read: {error.strerror}", hint="give a JSON file"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(
            f"{path}: not valid JSON: {error}", hint="give one JSON object of person fields"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: the JSON is a {type(data).__name__}, not an object",
            hint=f"give one object with fields among: {', '.join(QUERY_FIELDS)}",
        )
    return data


def _as_date(compact: str | None) -> str:
    """A date as the person index keeps it (19980505, 199805, 1998) as a person reads it."""
    if not compact:
        return "?"
    parts = (compact[:4], compact[4:6], compact[6:8])
    return "-".join(part for part in parts if part)


def _render(candidates: list[MatchCandidate], console: Console) -> None:
    if not candidates:
        console.print("No candidate: nobody in the index shares a blocking key with this record.")
        return
    for rank, candidate in enumerate(candidates, start=1):
        record = candidate.record
        name = " ".join(record.get(f) or "" for f in ("surname", "given_name", "patronymic"))
        console.print(
            f"[bold]{rank}. person {candidate.person_id}[/]  probability "
            f"{candidate.probability:.4f}  weight {candidate.match_weight:+.2f}  "
            f"{candidate.match_key}",
            highlight=False,
        )
        console.print(
            f"   {name}, born {_as_date(record.get('birth_date'))}, record {candidate.record_id}",
            markup=False,
            highlight=False,
        )
        table = Table("part", "level", "bucket", "weight", "tf adj.", box=None, padding=(0, 2))
        for step in candidate.explanation["steps"]:
            table.add_row(
                step["part"],
                step.get("level", ""),
                step.get("bucket", ""),
                f"{step['weight']:+.2f}",
                f"{step['term_frequency_adjustment']:+.2f}" if step.get("level") else "",
            )
        console.print(table)


def match_command(
    record: Annotated[Path, typer.Argument(help="JSON object of person fields.")],
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Data directory (default: $BONAFIDE_DATA, ./.bonafide)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Candidate persons to show.", min=1)] = 5,
    output: OutputFormatOption = OutputFormat.TEXT,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """The persons most likely to be the one a record describes, each score explained.

    Example: bonafide match record.json --data-dir demo-data/store --limit 3
    """
    query = read_record(record)
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        candidates = Matcher.open(vault).match(query, limit)
        record_action(vault, AuditAction.PERSONS_LOOKED_UP, None, {"candidates": len(candidates)})
    say_plain_text("the candidates' registry records")
    if output is OutputFormat.JSON:
        typer.echo(json.dumps([c.to_json() for c in candidates], ensure_ascii=False, indent=2))
    else:
        _render(candidates, Console())

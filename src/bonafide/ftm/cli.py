"""`bonafide export ftm`: the registries and the resolved persons as FtM JSON Lines.

(`bonafide registry import FILE --format ftm` is the other way; see `registry/cli.py`.)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from bonafide.datadir import DataDirOption
from bonafide.errors import StoreError
from bonafide.ftm.export import ExportCounts, export_ftm
from bonafide.ftm.ids import EntityIds
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, say_plain_text, unlocked
from bonafide.vault.audit import AuditAction, record_action
from bonafide.vault.sealed import partial_path, remove_stale_partials

__all__ = ["export_app"]

export_app = typer.Typer(
    name="export",
    help="Export what the vault holds in an exchange format (plain text, audited).",
    no_args_is_help=True,
)


@contextmanager
def _exported(target: Path) -> Iterator[TextIO]:
    """A plain-text file readable by its owner only, renamed over `target` once complete."""
    remove_stale_partials(target)
    partial = partial_path(target)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            yield file
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


@export_app.command("ftm")
def ftm_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the entities here (mode 600) instead of to standard output.",
            show_default=False,
        ),
    ] = None,
    kinds: Annotated[
        list[Kind] | None,
        typer.Option(
            "--kind",
            help="Export only this registry kind's records (repeatable; default: all).",
            show_default=False,
        ),
    ] = None,
    persons: Annotated[
        bool,
        typer.Option(
            "--persons/--no-persons",
            help="Also write the resolved persons, each merging its identity records.",
        ),
    ] = True,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Write the registry records and the resolved persons as FollowTheMoney entities, one
    JSON object a line (Person, Address, UnknownLink, Employment, Membership, Organization;
    docs/formats.md), for nomenklatura, yente or Aleph. The output is personal data in plain
    text.

    Example: bonafide export ftm --kind identity --out identity.ftm.jsonl --data-dir demo-data/store
    """
    chosen = list(dict.fromkeys(kinds)) if kinds else list(Kind)
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        if not RegistryStore.exists(vault.data_dir):
            raise StoreError(
                f"there is no registry store in {vault.data_dir}",
                hint="import registries first: bonafide registry import FILE --kind KIND",
            )
        ids = EntityIds.for_vault(vault)
        with RegistryStore.open(vault, read_only=True) as store:
            if out is None:
                say_plain_text("every exported record, as FtM entities,")
                counts = export_ftm(store, ids, sys.stdout, chosen, persons)
                sys.stdout.flush()
            else:
                with _exported(out) as file:
                    counts = export_ftm(store, ids, file, chosen, persons)
        record_action(
            vault,
            AuditAction.RESULTS_EXPORTED,
            None,
            {
                "format": "ftm",
                "entities": counts.entities,
                "persons": counts.persons,
                **counts.records,
            },
        )
    _summary(counts, out)


def _summary(counts: ExportCounts, out: Path | None) -> None:
    console = Console(stderr=True)
    records = ", ".join(f"{kind} {n:,}" for kind, n in counts.records.items())
    console.print(
        f"{counts.entities:,} entities written: records {records}; persons {counts.persons:,}",
        highlight=False,
        markup=False,
    )
    if out is not None:
        console.print(
            f"note: {out} holds them in plain text, outside the vault (the audit log records "
            "this export); send it only where plain text may go",
            style="yellow",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )

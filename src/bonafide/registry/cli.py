"""`bonafide registry ...`: import registry files, list them, show statistics, resolve persons.

Thin commands: parse options, call the library, print with Rich. Library errors
(`BonafideError`) propagate to the entry point, which prints them with their hint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bonafide.datadir import DataDirOption
from bonafide.errors import InputError, StoreError
from bonafide.interruption import interruptible
from bonafide.registry.display import (
    ImportProgressView,
    import_summary_line,
    render_import_report,
    render_registries,
    render_stats,
)
from bonafide.registry.importer import import_registry, read_reject_file
from bonafide.registry.mapping import SourceFormat, SourceOptions, check_delimiter, load_mapping
from bonafide.registry.schema import Kind
from bonafide.registry.stats import list_registries, registry_stats
from bonafide.registry.store import RegistryStore
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, say_plain_text, unlocked
from bonafide.vault.audit import AuditAction, record_action

__all__ = ["registry_app"]

registry_app = typer.Typer(
    name="registry",
    help="Reference registries: import files into the store, list them, show statistics, "
    "print an import's rejects, resolve them into persons.",
    no_args_is_help=True,
)


@registry_app.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(help="Registry file: .csv, .parquet, .jsonl, or FtM with --format.")
    ],
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            help="Which registry the file holds (required, except for --format ftm: every "
            "kind the file holds, unless one is named).",
            show_default=False,
        ),
    ] = None,
    source_format: Annotated[
        SourceFormat | None,
        typer.Option(
            "--format",
            help="The file's format (default: from its extension); ftm: FollowTheMoney "
            "entities, one JSON object a line (docs/formats.md).",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="TOML column mapping (see docs/registry-import.md). Without it, columns "
            "named like canonical fields map automatically.",
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Text encoding of a CSV or JSONL file (default: UTF-8, else Windows-1251).",
            show_default=False,
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="CSV delimiter, e.g. ';' or 'tab' (default: sniffed).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar; print one summary line.")
    ] = False,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Import a registry file into the store (all rows or none).

    Example: bonafide registry import people.csv --kind identity --mapping people.toml
    """
    _check_source(file)
    if source_format is SourceFormat.FTM:
        if mapping or encoding or delimiter:
            raise InputError(
                "--mapping, --encoding and --delimiter do not apply to --format ftm",
                hint="an FtM file is UTF-8 JSON whose properties map to fields by themselves",
            )
        _import_ftm(file, kind, quiet, data_dir, passphrase_file, key_file)
        return
    if kind is None:
        raise InputError(
            "--kind is required", hint="name the registry the file holds: --kind identity"
        )
    column_mapping = load_mapping(mapping) if mapping else None
    options = SourceOptions(
        format=source_format,
        encoding=encoding,
        delimiter=check_delimiter(delimiter, "--delimiter") if delimiter else None,
    )
    console = Console()
    with interruptible(), unlocked(data_dir, passphrase_file, key_file) as vault:
        with RegistryStore.open(vault) as store:
            if quiet:
                report = import_registry(store, file, kind, column_mapping, source=options)
            else:
                with ImportProgressView(Console(stderr=True)) as view:
                    report = import_registry(
                        store, file, kind, column_mapping, source=options, progress=view
                    )
        record_action(
            vault,
            AuditAction.REGISTRY_IMPORTED,
            None,
            {
                "kind": kind.value,
                "import": report.import_id,
                "added": report.rows_added,
                "rejected": report.rows_rejected,
            },
        )
    if quiet:
        console.print(import_summary_line(report), highlight=False, soft_wrap=True)
    else:
        console.print(render_import_report(report))


def _check_source(file: Path) -> None:
    """Before the vault is opened and a store made: a file that is not there creates nothing."""
    if not file.exists():
        raise InputError(f"{file}: no such file", hint="check the path of the registry file")
    if not file.is_file():
        raise InputError(f"{file}: not a file", hint="give a .csv, .parquet or .jsonl file")


def _import_ftm(
    file: Path,
    kind: Kind | None,
    quiet: bool,
    data_dir: Path | None,
    passphrase_file: Path | None,
    key_file: Path | None,
) -> None:
    """Import an FtM file: one import per kind; exit 2 if any row was rejected."""
    from bonafide.ftm.load import import_ftm

    console = Console()
    with interruptible(), unlocked(data_dir, passphrase_file, key_file) as vault:
        with RegistryStore.open(vault) as store:
            if quiet:
                result = import_ftm(store, file, kind)
            else:
                with ImportProgressView(Console(stderr=True)) as view:
                    result = import_ftm(store, file, kind, progress=view)
        for report in result.reports:
            record_action(
                vault,
                AuditAction.REGISTRY_IMPORTED,
                None,
                {
                    "kind": report.kind.value,
                    "import": report.import_id,
                    "added": report.rows_added,
                    "rejected": report.rows_rejected,
                    "format": "ftm",
                },
            )
    for report in result.reports:
        if quiet:
            console.print(import_summary_line(report), highlight=False, soft_wrap=True)
        else:
            console.print(render_import_report(report))
    if result.rejected:
        Console(stderr=True).print(
            f"{result.rejected:,} row(s) of {file.name} rejected; each is in its import's "
            "rejects (bonafide registry rejects N)",
            style="yellow",
            highlight=False,
            markup=False,
        )
        raise typer.Exit(InputError.exit_code)


@registry_app.command("list")
def list_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """One row per registry kind in the store: rows, imports, last import, rejects.

    Example: bonafide registry list --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        if not RegistryStore.exists(vault.data_dir):
            Console().print(f"No registries imported yet (no store in {vault.data_dir}).")
            return
        with RegistryStore.open(vault, read_only=True) as store:
            summaries = list_registries(store)
    Console().print(render_registries(summaries))


@registry_app.command("rejects")
def rejects_command(
    import_id: Annotated[int, typer.Argument(help="The import's number (bonafide registry list).")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Print an import's rejected rows and warnings, with the raw rows, as CSV (decrypted from
    the vault; the read is audited).

    Example: bonafide registry rejects 1 --data-dir demo-data/store > rejects-1.csv
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        with RegistryStore.open(vault, read_only=True) as store:
            text = read_reject_file(store, import_id)
        record_action(vault, AuditAction.REJECTS_READ, None, {"import": import_id})
    say_plain_text("the import's rejected rows")
    typer.echo(text.decode("utf-8"), nl=False)


@registry_app.command("stats")
def stats_command(
    kind: Annotated[Kind, typer.Argument(help="The registry kind.")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Rows, field coverage, name scripts and import history of one registry kind.

    Example: bonafide registry stats identity --data-dir demo-data/store
    """
    with (
        unlocked(data_dir, passphrase_file, key_file) as vault,
        RegistryStore.open(vault, read_only=True) as store,
    ):
        stats = registry_stats(store, kind)
    Console().print(render_stats(stats))


@registry_app.command("resolve")
def resolve_command(
    data_dir: DataDirOption = None,
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="Resolve everything again, retraining the model."),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help=(
                "Processes deduplicating identity records and linking records to persons "
                "(default: one per core)."
            ),
        ),
    ] = None,
    spark: Annotated[
        bool,
        typer.Option(
            "--spark",
            help="Link records to persons on a local Spark (local[*]; needs pyspark and Java 17).",
        ),
    ] = False,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Link the registries into resolved persons: the person index real-time matching uses.

    Incremental: only imports not yet resolved are linked, unless --rebuild.

    Example: bonafide registry resolve --data-dir demo-data/store
    """
    # these load the name tables: only here
    from bonafide.persons.engines import resolve_linker
    from bonafide.persons.resolve import resolve_registries

    console = Console(stderr=True)
    left = "nothing changed: the store and the person index are as they were"
    with interruptible(left), unlocked(data_dir, passphrase_file, key_file) as vault:
        if not RegistryStore.exists(vault.data_dir):
            raise StoreError(
                f"there is no registry store in {vault.data_dir}",
                hint="import registries first: bonafide registry import FILE --kind KIND",
            )
        with (
            resolve_linker(spark) as linker,
            RegistryStore.open(vault) as store,
            console.status("resolving") as status,
        ):
            report = resolve_registries(
                store, rebuild, lambda text: status.update(text), workers=workers, linker=linker
            )
        record_action(
            vault,
            AuditAction.REGISTRIES_RESOLVED,
            None,
            {"persons": report.persons, "rebuilt": report.rebuilt, **report.linked},
        )
    table = Table("registry", "records linked now", "records without a person")
    for kind, linked in report.linked.items():
        table.add_row(kind, f"{linked:,}", f"{report.unlinked.get(kind, 0):,}")
    Console().print(table)
    how = "rebuilt" if report.rebuilt else "updated"
    Console().print(
        f"Person index {how}: {report.persons:,} persons from "
        f"{report.identity_records:,} identity records "
        f"({report.new_identity_records:,} new).",
        markup=False,
    )

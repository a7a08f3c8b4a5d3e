"""Rich renderings of import reports, registry lists and statistics for the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from types import TracebackType

from rich.console import Console, Group, RenderableType
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from bonafide.registry.importer import ImportProgress, ImportReport
from bonafide.registry.stats import RegistryStats, RegistrySummary

__all__ = [
    "ImportProgressView",
    "import_summary_line",
    "render_import_report",
    "render_registries",
    "render_stats",
]


class ImportProgressView:
    """A progress bar (bytes, rows, rate) fed by the importer's progress callback."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[rows]:>12,} rows"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID | None = None

    def __call__(self, update: ImportProgress) -> None:
        if self._task is None:
            self._task = self._progress.add_task(
                update.phase.value, total=update.bytes_total, rows=0
            )
        self._progress.update(
            self._task,
            description=update.phase.value,
            completed=update.bytes_done,
            total=update.bytes_total,
            rows=update.rows_read,
        )

    def __enter__(self) -> ImportProgressView:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()


def import_summary_line(report: ImportReport) -> str:
    line = (
        f"import {report.import_id} ({report.kind.value}, {report.file.name}): "
        f"read {report.rows_read:,}, added {report.rows_added:,}, "
        f"duplicate in file {report.rows_duplicate_in_file:,}, "
        f"already present {report.rows_already_present:,}, rejected {report.rows_rejected:,}, "
        f"warnings {report.warnings:,}"
    )
    if report.reject_file:
        line += f"; issues: bonafide registry rejects {report.import_id}"
    return line


def render_import_report(report: ImportReport) -> RenderableType:
    """The summary table, the notes and the first issues of an import."""
    heading = f"Import {report.import_id}: {report.file.name} as {report.kind.value}"
    parts: list[RenderableType] = [Text(heading, style="bold"), _summary_table(report)]
    parts.extend(Text(f"note: {note}", style="yellow") for note in _notes(report))
    if report.first_issues:
        issues = Table(title="First issues", title_justify="left")
        for column in ("row", "field", "severity", "reason"):
            issues.add_column(column, justify="right" if column == "row" else "left")
        for issue in report.first_issues:
            # Reasons quote values from the file: Text keeps Rich from reading them as markup.
            issues.add_row(
                f"{issue.row:,}", Text(issue.field or ""), issue.severity, Text(issue.reason)
            )
        parts.append(issues)
    if report.reject_file:
        parts.append(
            Text(
                "Every issue, with the raw row (sealed in the vault): "
                f"bonafide registry rejects {report.import_id}"
            )
        )
    return Group(*parts)


def render_registries(summaries: tuple[RegistrySummary, ...]) -> RenderableType:
    if not summaries:
        return Text("No registries imported yet.")
    table = Table(title="Registries", title_justify="left")
    for column in ("kind", "rows", "imports", "last import (UTC)", "rows rejected"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for summary in summaries:
        table.add_row(
            summary.kind.value,
            f"{summary.rows:,}",
            f"{summary.imports:,}",
            _when(summary.last_import_at),
            f"{summary.rows_rejected:,}",
        )
    return table


def render_stats(stats: RegistryStats) -> RenderableType:
    fields = Table(
        title=f"{stats.kind.value}: {_rows(stats.rows)}", title_justify="left", min_width=60
    )
    for column in ("field", "type", "coverage", "scripts (names)"):
        fields.add_column(column, justify="right" if column == "coverage" else "left")
    for field in stats.fields:
        scripts = " · ".join(f"{script} {share:.0%}" for script, share in field.scripts)
        fields.add_row(field.field, field.type.value, f"{field.coverage:.1%}", scripts)
    history: list[RenderableType] = [Text("Imports", style="bold")]
    for record in stats.imports:
        counts = (
            ("read", record.rows_read),
            ("added", record.rows_added),
            ("duplicate in file", record.rows_duplicate_in_file),
            ("already present", record.rows_already_present),
            ("rejected", record.rows_rejected),
            ("warnings", record.warnings),
        )
        line = Text(f"{record.import_id:>4}  ")
        line.append(record.file_name, style="cyan")
        line.append(f"  {_when(record.finished_at)} UTC\n      ")
        line.append(" · ".join(f"{label} {count:,}" for label, count in counts))
        history.append(line)
    return Group(fields, *history)


def _summary_table(report: ImportReport) -> Table:
    table = Table(show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = (
        ("rows read", report.rows_read),
        ("added", report.rows_added),
        ("duplicate in file", report.rows_duplicate_in_file),
        ("already present", report.rows_already_present),
        ("rejected", report.rows_rejected),
        ("warnings", report.warnings),
    )
    for label, count in rows:
        table.add_row(label, f"{count:,}")
    table.add_row("time", f"{report.seconds:.1f} s")
    return table


def _notes(report: ImportReport) -> Iterator[str]:
    yield from report.notes
    source = f"format {report.format.value}"
    if report.encoding:
        detected = " (detected)" if report.encoding_detected else ""
        source += f", encoding {report.encoding}{detected}"
    if report.delimiter:
        source += f", delimiter {report.delimiter!r}"
    yield source
    if report.unmapped_columns:
        names = ", ".join(repr(c) for c in report.unmapped_columns)
        yield f"{len(report.unmapped_columns)} column(s) not mapped and ignored: {names}"
    if report.earlier_imports_of_file:
        ids = ", ".join(str(i) for i in report.earlier_imports_of_file)
        yield f"the same file was imported before (import {ids}); its records were not added again"


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""

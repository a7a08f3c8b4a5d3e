"""Import an FtM file into the registry store: one import per registry kind it holds.

Each kind goes through the registry importer (`import_registry`) like any other file: the
same normalisation, the same rejects (with line numbers, counted, sealed in the vault), the
same one-transaction-per-import, the same "already present" on a second import.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bonafide.errors import InputError
from bonafide.ftm.read import FtmSurvey, ftm_mapping, survey
from bonafide.registry.importer import ImportReport, ProgressCallback, import_registry
from bonafide.registry.mapping import SourceFormat, SourceOptions
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

__all__ = ["FtmImport", "import_ftm"]


@dataclass(frozen=True)
class FtmImport:
    survey: FtmSurvey
    reports: tuple[ImportReport, ...]

    @property
    def rejected(self) -> int:
        return sum(r.rows_rejected for r in self.reports)


def import_ftm(
    store: RegistryStore,
    file: Path,
    kind: Kind | None = None,
    progress: ProgressCallback | None = None,
) -> FtmImport:
    """Import the records of `kind` in the FtM file `file`, or of every kind it holds."""
    found = survey(file)
    kinds = [kind] if kind is not None else found.kinds()
    if not kinds and found.unreadable:
        kinds = [Kind.IDENTITY]  # nothing to import, but the bad lines must be reported
    if not kinds:
        held = ", ".join(f"{n:,} {s}" for s, n in sorted(found.schemata.items())) or "nothing"
        raise InputError(
            f"{file} holds no record of any registry kind (it holds {held})",
            hint="records are Person, Employment, Membership (education) and UnknownLink "
            "(residence) entities; see docs/formats.md",
        )
    reports = []
    for number, each in enumerate(kinds):
        report = import_registry(
            store,
            file,
            each,
            ftm_mapping(each, primary=number == 0),
            source=SourceOptions(format=SourceFormat.FTM),
            progress=progress,
        )
        # the file's columns are every kind's fields: the other kinds' are not worth a note
        reports.append(replace(report, unmapped_columns=()))
    return FtmImport(found, tuple(reports))

"""The output directory: registries beside their mappings, and the ground truth apart.

DIR/registries/<kind>.parquet | <kind>.csv     one file per registry kind
DIR/registries/<kind>.mapping.toml             imports it: source columns → canonical fields
DIR/applicants.jsonl                           one dossier per line
DIR/truth/<kind>.parquet                       record_id → person_id (never in a registry)
DIR/truth/people.parquet                       the people as they really are
DIR/truth/applicants.csv                       dossier_id,kind,person_id
DIR/truth/summary.json                         row and noise counts, the settings of the run
"""

from __future__ import annotations

import io
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bonafide.synth.sources.common import SourceSpec

__all__ = ["TableWriter", "mapping_toml"]


class TableWriter:
    """Appends Arrow tables to one Parquet or CSV file, in the dialect a source uses."""

    def __init__(
        self, path: Path, file_format: str, delimiter: str = ",", encoding: str = "utf-8"
    ) -> None:
        self.path = path
        self.file_format = file_format
        self.delimiter = delimiter
        self.encoding = encoding
        self._parquet: pq.ParquetWriter | None = None
        self._csv = None if file_format == "parquet" else path.open("wb")
        self._header_written = False
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        self.rows += table.num_rows
        if self.file_format == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema, compression="zstd")
            self._parquet.write_table(table)
            return
        buffer = io.BytesIO()
        options = pacsv.WriteOptions(
            include_header=not self._header_written, delimiter=self.delimiter
        )
        pacsv.write_csv(table, buffer, write_options=options)
        self._header_written = True
        data = buffer.getvalue()
        if self.encoding != "utf-8":
            data = data.decode("utf-8").encode(self.encoding)
        assert self._csv is not None
        self._csv.write(data)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return f'"{escaped}"'


def mapping_toml(spec: SourceSpec, file_format: str) -> str:
    """The mapping that imports a registry written by `spec` (see docs/formats.md)."""
    lines = [
        f"# How bonafide imports {spec.kind}.{'parquet' if file_format == 'parquet' else 'csv'}:",
        "# each canonical field = the source column that holds it.",
        f"kind = {_toml_string(spec.kind)}",
        "",
        "[source]",
        f"format = {_toml_string(file_format)}",
    ]
    if file_format == "csv":
        lines.append(f"encoding = {_toml_string(spec.csv_encoding)}")
        lines.append(f"delimiter = {_toml_string(spec.csv_delimiter)}")
    lines += ["", "[columns]"]
    lines += [f"{field} = {_toml_string(column)}" for field, column in spec.columns.items()]
    if spec.date_formats:
        lines += ["", "[date_formats]"]
        lines += [f"{f} = {_toml_string(fmt)}" for f, fmt in spec.date_formats.items()]
    return "\n".join(lines) + "\n"

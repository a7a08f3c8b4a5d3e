"""Which engine links records to persons in a resolve: forked processes here, or Spark."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bonafide.errors import BonafideError
from bonafide.persons.resolve import BatchLinker

__all__ = ["resolve_linker"]


@contextmanager
def resolve_linker(spark: bool) -> Iterator[BatchLinker | None]:
    """A local Spark's linker when asked for (None: resolve's own forked workers)."""
    if not spark:
        yield None
        return
    try:  # pyspark is optional: only --spark imports it
        from bonafide.linkage.spark import local_spark
        from bonafide.persons.spark import spark_linker
    except ImportError as error:
        raise BonafideError(
            f"--spark needs pyspark: {error}",
            hint="run `make setup` (the dev extra has it), or "
            "`.venv/bin/pip install -c constraints.txt pyspark pandas`",
        ) from None
    with local_spark() as session:
        yield spark_linker(session)

"""Every watchlist record, linked to a person or not, for screening dossiers against it.

Written by `bonafide registry resolve` into the person index's generation (`files.py`) beside
the histories: one sealed Arrow file, `watchlist.arrow`. Linkage ties a watchlist record to a
person only when its partial data (a year-only or missing birth date, a name in one column and
in Latin) is enough for the linkage model; screening (`bonafide.verify.watchlist`) compares every
dossier with every entry it could be, so it needs them all, with each birth date's precision.

A generation written before this file existed has none: `WatchlistScreen.open` then raises a
`StoreError` asking for a re-resolve (`bonafide registry resolve`), rather than screen nothing.
"""

from __future__ import annotations

import pyarrow as pa

from bonafide.persons.files import Generation
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

__all__ = ["WATCHLIST_COLUMNS", "WATCHLIST_FILE", "write_watchlist"]

WATCHLIST_FILE = "watchlist.arrow"

# name → the SQL giving it from the registry table `r` and the links `l`
_SELECT: dict[str, str] = {
    "record_key": "r.record_key",
    "record_id": "r.record_id",
    "person_id": "l.person_id",
    "surname": "r.surname",
    "given_name": "r.given_name",
    "patronymic": "r.patronymic",
    "full_name": "r.full_name",
    # the name as the source wrote it (the normalised fields above are lower case)
    "name_as_written": (
        "coalesce(r.full_name_orig, "
        "nullif(concat_ws(' ', r.surname_orig, r.given_name_orig, r.patronymic_orig), ''))"
    ),
    "birth_date": "r.birth_date",
    "birth_date_precision": "r.birth_date_precision",
    "sex": "r.sex",
    "organisation": "r.organisation",
    "role": "r.role",
    "source": "r.source",
}
WATCHLIST_COLUMNS = tuple(_SELECT)


def write_watchlist(store: RegistryStore, generation: Generation) -> int:
    """Write every watchlist record into `generation`; returns the rows written."""
    select = ", ".join(f"{sql} AS {name}" for name, sql in _SELECT.items())
    table: pa.Table = store.arrow(
        "watchlist for screening",
        f"SELECT {select} FROM {registry_table(Kind.WATCHLIST)} r "
        "LEFT JOIN person_links l ON l.record_key = r.record_key AND l.kind = 'watchlist' "
        "ORDER BY r.record_key",
    )
    generation.write_arrow(WATCHLIST_FILE, table)
    return int(table.num_rows)

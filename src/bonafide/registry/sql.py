"""Small pure helpers for writing DuckDB SQL text: quoting and layered SELECTs.

Values from data never pass through these: they reach DuckDB as columns of scanned Arrow data or
as bound parameters. What is quoted here comes from the schema, the mapping and file headers.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Column", "ident", "layered_select", "literal"]

# A computed column: (name, SQL expression).
Column = tuple[str, str]


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def layered_select(source: str, layers: Sequence[Sequence[Column]], output: Sequence[str]) -> str:
    """SELECT `output` from `source`, computing `layers` in order.

    Each layer's expressions may use the columns of `source` and of every earlier layer, so an
    expression that several columns need is computed once, in the layer before them.
    """
    query = f"SELECT * FROM {source}"
    for layer in layers:
        if not layer:
            continue
        computed = ", ".join(f"{expression} AS {ident(name)}" for name, expression in layer)
        query = f"SELECT *, {computed} FROM ({query})"
    return f"SELECT {', '.join(output)} FROM ({query})"

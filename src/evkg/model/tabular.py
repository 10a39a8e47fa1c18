"""Results as tables for notebooks: ``to_frame()`` gives a pandas DataFrame, and Jupyter shows
``_repr_html_`` (a title, the first rows of the main table, and the names of the others).

A result class lists its tables in :meth:`Tabular.frame_tables` as ``name -> rows`` (rows are
plain dicts; lists of text are joined with "; " as in the CLI's TSV). pandas is imported only
when a frame is asked for.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["HTML_ROWS", "RowList", "Rows", "Tabular", "cell", "records"]

#: Rows of a table shown by ``_repr_html_`` (``to_frame()`` has them all).
HTML_ROWS = 15

Rows = Callable[[], Iterable[Mapping[str, Any]]]


def cell(value: Any) -> Any:
    """A value as a table cell: lists and tuples of text joined with "; ", others as given."""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(cell(v)) for v in value)
    return value


class Tabular:
    """Mixin: ``to_frame(table)`` and a notebook HTML view over :meth:`frame_tables`."""

    def frame_tables(self) -> Mapping[str, Rows]:
        """The result's tables, the main one first, each as a function giving its rows."""
        raise NotImplementedError

    def frame_title(self) -> str:
        """One line naming what the result is about."""
        return type(self).__name__

    def to_frame(self, table: str | None = None) -> Any:
        """The result's main table (or the one named ``table``) as a pandas DataFrame.

        Raises :class:`KeyError` naming the tables when ``table`` is not one of them."""
        import pandas as pd

        tables = self.frame_tables()
        name = table if table is not None else next(iter(tables))
        if name not in tables:
            raise KeyError(f"no table {name!r}; tables: {', '.join(tables)}")
        found = tables[name]()
        rows = [{k: cell(v) for k, v in row.items()} for row in found]
        columns = found.columns if isinstance(found, RowList) and not rows else None
        return pd.DataFrame(rows, columns=columns)

    def _repr_html_(self) -> str:
        tables = list(self.frame_tables())
        frame = self.to_frame()
        title = html.escape(self.frame_title())
        shown = frame.head(HTML_ROWS).to_html(index=False, escape=True, border=0, na_rep="")
        more = ""
        if len(frame) > HTML_ROWS:
            more = f"<p>{len(frame) - HTML_ROWS} more rows: <code>.to_frame()</code></p>"
        others = ""
        if len(tables) > 1:
            names = ", ".join(f"<code>{html.escape(repr(t))}</code>" for t in tables[1:])
            others = f"<p>Other tables: {names} (<code>.to_frame(name)</code>)</p>"
        return (
            f'<div class="evkg-result"><p><strong>{title}</strong> '
            f"({len(frame)} rows)</p>{shown}{more}{others}</div>"
        )


class RowList(list[dict[str, Any]]):
    """Rows that know their columns, so that an empty table keeps its header."""

    def __init__(self, rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
        super().__init__(rows)
        self.columns = list(columns)


def records(items: Sequence[Any], fields: Sequence[str]) -> RowList:
    """Rows of ``fields`` read from each of ``items`` (attributes)."""
    return RowList(({f: getattr(item, f) for f in fields} for item in items), fields)

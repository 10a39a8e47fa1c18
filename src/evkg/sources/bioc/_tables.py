"""The tables of a BioC document: PMC gives each table as passages of type
``table_caption``, ``table`` (its XHTML in the ``xml`` infon) and ``table_foot``, sharing an
``id`` infon. They are gathered into :class:`~evkg.sources.text.Table` records, read cell by
cell; a table passage without markup is read for a text layout (tabs, pipes), else left out,
so that the names of different rows are never read as one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from evkg.sources.tables import table_from_xhtml
from evkg.sources.text._tables import CAPTION, find_text_tables
from evkg.sources.text.document import Table

__all__ = ["TableParts", "is_table_passage"]

_TABLE_TYPES = {
    "table",
    "table_caption",
    "table_title_caption",
    "table_title",
    "table_foot",
    "table_footnote",
}
_ID_NUMBER = re.compile(r"(?:^|\D)(?P<number>\d{1,3})[A-Za-z]?$")


def is_table_passage(infons: Mapping[str, str]) -> bool:
    return infons.get("type", "").lower() in _TABLE_TYPES


@dataclass
class _Parts:
    caption: list[str] = field(default_factory=list)
    markup: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    foot: list[str] = field(default_factory=list)


@dataclass
class TableParts:
    """Table passages of one document, gathered by table as they are met."""

    parts: dict[str, _Parts] = field(default_factory=dict)
    _last: str = ""

    def add(self, infons: Mapping[str, str], text: str) -> None:
        kind = infons.get("type", "").lower()
        key = infons.get("id", "").strip()
        if not key:  # no id: a caption starts a table, the rest belongs to the last one
            starts = kind.startswith("table_title") or kind == "table_caption"
            key = f"#{len(self.parts) + 1}" if starts or not self._last else self._last
        self._last = key
        parts = self.parts.setdefault(key, _Parts())
        if kind == "table":
            if infons.get("xml"):
                parts.markup.append(infons["xml"])
            elif text.strip():
                parts.text.append(text)
        elif kind in {"table_foot", "table_footnote"}:
            parts.foot.append(" ".join(text.split()))
        else:
            parts.caption.append(" ".join(text.split()))

    def tables(self) -> list[Table]:
        found: list[Table] = []
        for key, parts in self.parts.items():
            caption = " ".join(c for c in parts.caption if c)
            label, caption = _label(key, caption)
            notes = tuple(n for n in parts.foot if n)
            for markup in parts.markup:
                table = table_from_xhtml(markup, label=label, caption=caption, footnotes=notes)
                if table is not None:
                    found.append(table)
            for text in parts.text if not parts.markup else ():
                lines = [f"{label}. {caption}", *text.split("\n")]
                found += [
                    Table(label, caption, t.table.header, t.table.rows, notes)
                    for t in find_text_tables(lines)
                ]
        return found


def _label(key: str, caption: str) -> tuple[str, str]:
    """The table's label ("Table 2") from its caption's start or its id ("T2", "tab2"),
    and the caption without it."""
    printed = CAPTION.match(caption)
    if printed:
        return printed["label"], printed["caption"].strip()
    number = _ID_NUMBER.search(key) if not key.startswith("#") else None
    return (f"Table {number['number']}" if number else "Table"), caption

"""Tables of XML articles read cell by cell: JATS ``<table-wrap>`` (label, caption, table,
footnotes) and the XHTML ``<table>`` a PMC BioC passage carries in its ``xml`` infon.

Spanning cells are repeated into every row and column they span (a review's table names a
source once for the several rows below it); citation links and footnote markers
(``<xref>``, short ``<sup>``) are left out of a cell's text so that they never become part
of a name. Tables are bounded: at most :data:`MAX_ROWS` rows of :data:`MAX_COLUMNS` cells.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from evkg.sources.text.document import Table

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "table_from_element", "table_from_xhtml"]

MAX_ROWS = 2000
MAX_COLUMNS = 40
_MAX_CELL = 2000
_MAX_SPAN = 200
#: A superscript that marks a footnote or citation rather than being part of a name.
_MARKER = re.compile(r"^[\s,;–\-\d a-z*†‡§¶#]{1,12}$")
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _text(element: Any) -> str:
    """The text of ``element`` without citation links and footnote markers, spaces folded;
    line breaks and paragraphs inside a cell become spaces."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        name = _local(node.tag)
        skipped = name == "xref" or (
            name == "sup" and _MARKER.fullmatch("".join(node.itertext()) or " ")
        )
        if not skipped:
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
                if _local(child.tag) in {"break", "br", "p", "title"}:
                    parts.append(" ")
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    return " ".join("".join(parts).split())[:_MAX_CELL]


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(cell.get(name, "1"))))
    except ValueError:
        return 1


def _spanned(out: list[str], pending: dict[int, tuple[int, str]]) -> None:
    """Append to ``out`` the cells that rows above span into, from its next column on."""
    while len(out) in pending and len(out) < MAX_COLUMNS:
        column = len(out)
        left, text = pending[column]
        out.append(text)
        if left <= 1:
            del pending[column]
        else:
            pending[column] = (left - 1, text)


def _grid(rows: list[Any]) -> list[list[str]]:
    """Rows of cell texts with row and column spans filled in."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows still spanned, text)
    for row in rows[:MAX_ROWS]:
        out: list[str] = []
        for cell in (c for c in row if _local(c.tag) in {"td", "th"}):
            _spanned(out, pending)
            text = _text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for _ in range(min(colspan, MAX_COLUMNS - len(out))):
                if rowspan > 1:
                    pending[len(out)] = (rowspan - 1, text)
                out.append(text)
        _spanned(out, pending)
        if any(out):
            grid.append(out)
    return grid


def _header_and_body(table: Any) -> tuple[tuple[str, ...], list[list[str]]]:
    head_rows = [r for r in table.iter() if _local(r.tag) == "tr" and _in(r, "thead")]
    body_rows = [r for r in table.iter() if _local(r.tag) == "tr" and not _in(r, "thead")]
    head = _grid(head_rows)
    body = _grid(body_rows)
    if not head and body and all(_local(c.tag) == "th" for c in body_rows[0] if _local(c.tag)):
        head, body = body[:1], body[1:]  # a header made of <th> cells outside <thead>
    if not head and body:
        head, body = body[:1], body[1:]
    width = max((len(r) for r in head + body), default=0)
    header = [
        " ".join(dict.fromkeys(row[i] for row in head if i < len(row) and row[i]))
        for i in range(width)
    ]
    return tuple(header), body


def _in(element: Any, name: str) -> bool:
    parent = element.getparent()
    while parent is not None:
        if _local(parent.tag) == name:
            return True
        if _local(parent.tag) == "table":
            return False
        parent = parent.getparent()
    return False


def _first(element: Any, name: str) -> Any:
    for child in element.iter():
        if _local(child.tag) == name:
            return child
    return None


def table_from_element(element: Any, *, section: str = "", label: str = "") -> Table | None:
    """A :class:`Table` from a JATS ``<table-wrap>`` or a bare ``<table>``; ``None`` when it
    holds no row of cells (a table given only as an image)."""
    tag = _local(element.tag)
    table = element if tag == "table" else _first(element, "table")
    if table is None:
        return None
    header, body = _header_and_body(table)
    if not body:
        return None
    caption = ""
    footnotes: tuple[str, ...] = ()
    if tag == "table-wrap":
        found_label = element.find("label")
        label = label or (_text(found_label) if found_label is not None else "")
        found_caption = element.find("caption")
        caption = _text(found_caption) if found_caption is not None else ""
        foot = element.find("table-wrap-foot")
        if foot is not None:
            notes = [_text(n) for n in foot if _local(n.tag) in {"fn", "p", "fn-group"}]
            footnotes = tuple(n for n in notes if n) or ((_text(foot),) if _text(foot) else ())
    return Table(
        label=label,
        caption=caption,
        header=header,
        rows=tuple(tuple(row) for row in body),
        footnotes=footnotes,
        section=section,
    )


def table_from_xhtml(
    markup: str, *, label: str = "", caption: str = "", footnotes: tuple[str, ...] = ()
) -> Table | None:
    """A :class:`Table` from the XHTML of a BioC table passage (its ``xml`` infon), with
    the caption and footnotes of the passages around it; ``None`` when it cannot be parsed
    or holds no rows."""
    if len(markup) > 8 * 1024 * 1024:
        return None
    try:
        root = etree.fromstring(markup.encode("utf-8"), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    found = table_from_element(root, label=label)
    if found is None:
        return None
    return Table(
        label=found.label or label,
        caption=found.caption or caption,
        header=found.header,
        rows=found.rows,
        footnotes=found.footnotes or footnotes,
    )

"""Tables in plain text (pasted from a PDF or saved from a web page), read back into rows
of cells from their layout alone.

A table starts at its caption line (``Table 2. miRNAs of MSC-EVs in …``, a full stop and
all) or, without one, at a line that reads as a header (two or more cells naming roles:
source, cargo, target, disease, effect). Three layouts are recognised:

* **delimited**: cells separated by ``|`` (Markdown), tabs, or runs of two or more spaces;
* **one cell per line**: the header's cells each on a line, so the header gives the
  column count and the following lines are taken that many at a time;
* **run together**: a row per line with no separator ("BM-MSCmiR-21-5pPTENMyocardial
  infarction" or the same with single spaces): the row is one cell, with spaces put back
  where a name visibly ends, and the extractor reads it by what its names are.

A table ends at a blank line (delimited and run-together layouts), at its footnotes
(``Abbreviations: …``, ``Note: …``), at the next caption, or at a line of prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evkg.sources.text._cell_alignment import REFERENCE_CELL, align_row, column_shapes
from evkg.sources.text.document import Table
from evkg.vocab.columns import column_role, header_roles

__all__ = ["CAPTION", "TextTable", "find_text_tables", "separate_run_together"]

_MAX_ROWS = 2000
_MAX_COLUMNS = 40
#: A row of a one-cell-per-line table spans at most this many times the header's lines.
_MAX_ROW_LINES = 3
CAPTION = re.compile(
    r"^\s*(?:\*\*|__)?(?P<label>(?:Table|TABLE)\s+(?:S|A)?(?:\d{1,3}|[IVX]{1,5})[A-Za-z]?)"
    r"(?:\*\*|__)?(?:\s*[.:|—–-]\s*|\s+|$)(?P<caption>.*)$"
)
_FOOTNOTE = re.compile(
    r"^\s*(?:abbreviations?\b|notes?\s*[:.]|source\s*:|data\s+from\b|[*†‡§¶#]|\d{1,2}\.\s|"
    r"[a-d]\s+[A-Z]|\([a-d]\)\s|↑\s*[,:=]|↓\s*[,:=]|(?:figure|fig\.)\s+\d)",
    re.IGNORECASE,
)
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_WIDE_GAP = re.compile(r"\s{2,}|\t")
#: The end of a row whose last column is the reference: "[49]", "[60, 61]", "(61, 62)",
#: "Lee et al. [35]".
_CITED_END = re.compile(r"(?:\[\s*\d[\d,;\s–-]*\]|\(\s*\d[\d,;\s–-]*\))\s*\|?\s*$")


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table found in text: the lines it spans (``start`` to ``end``, exclusive)."""

    start: int
    end: int
    table: Table


def _cells(line: str) -> list[str] | None:
    """The cells of a delimited line (pipes, tabs, or wide gaps), ``None`` when it has no
    delimiter."""
    stripped = line.strip()
    if "|" in stripped:
        parts = stripped.strip("|").split("|")
    elif "\t" in line.strip("\n") or re.search(r"\S\s{2,}\S", stripped):
        parts = _WIDE_GAP.split(stripped)
    else:
        return None
    cells = [" ".join(p.split()) for p in parts][:_MAX_COLUMNS]
    return cells if len(cells) >= 2 else None


_BOUNDARIES = (
    # a miRNA name glued to what precedes it ("BM-MSCmiR-21", "sourcemiRNA")
    re.compile(r"(?<=[A-Za-z0-9)\]])(?=(?:mi[Rr]|miRNA|let-7|hsa-|mmu-|rno-)(?:-|NA|s\b))"),
    # … or to what follows it ("miR-21-5pPTEN", "miR-126Angiogenesis")
    re.compile(
        r"(?<=\bmi[Rr]-\d)(?=[A-Z])|(?<=\bmi[Rr]-\d\d)(?=[A-Z])|(?<=\bmi[Rr]-\d{3})(?=[A-Z])"
    ),
    re.compile(r"(?<=\bmi[Rr]-\d[a-z])(?=[A-Z])|(?<=\bmi[Rr]-\d\d[a-z])(?=[A-Z])"),
    re.compile(r"(?<=\bmi[Rr]-\d{3}[a-z])(?=[A-Z])|(?<=-[35]p)(?=[A-Z])"),
    # a word in lower case followed by a capital ("infarctionAttenuated", "geneDisease")
    re.compile(r"(?<=[a-zα-ω]{3})(?<!circ)(?<!Circ)(?=[A-Z])"),
    # a capitalised word after an upper-case name or plural ("PTENMyocardial", "BMSCsRat")
    re.compile(r"(?<=[A-Z0-9]{2})(?=[A-Z][a-z]{2,})|(?<=[A-Z]{2}s)(?=[A-Z][a-z])"),
)


def separate_run_together(text: str) -> str:
    """Spaces put back between names that a table's layout ran together.

    >>> separate_run_together("BM-MSCmiR-21-5pPTENMyocardial infarction")
    'BM-MSC miR-21-5p PTEN Myocardial infarction'
    >>> separate_run_together("EV sourcemiRNATarget geneDisease")
    'EV source miRNA Target gene Disease'
    >>> separate_run_together("hUC-MSC circHIPK3 and hsa-miR-146a")
    'hUC-MSC circHIPK3 and hsa-miR-146a'
    """
    for boundary in _BOUNDARIES:
        text = boundary.sub(" ", text)
    return " ".join(text.split())


def _run_together_header(line: str) -> list[str] | None:
    """The cells of a header line without delimiters: its words split where one cell's
    word ends and the next begins (a capital after lower case), each cell naming a role."""
    # where cells ran together a capital follows lower case ("ExoEffect", "modelsBiological");
    # between those joints, a capitalised word that names a role starts a cell of its own
    joints = re.sub(
        r"(?<=[a-z]{2})(?=[A-Z][a-z])|(?<=[a-z])(?=miR)|(?<=[A-Z]{2})(?=[A-Z][a-z]{2,})",
        "\x00",
        line.strip(),
    )
    cells: list[str] = []
    for piece in joints.split("\x00"):
        words = piece.split()
        for number, word in enumerate(words):
            if number and (word[:1].islower() or column_role(word) is None):
                cells[-1] += " " + word  # "Target gene": a header goes on in lower case
            else:
                cells.append(word)
    return cells if header_roles(cells) else None


def _is_prose(line: str) -> bool:
    words = line.split()
    return len(words) >= 18 and line.rstrip().endswith((".", "?", "!"))


def _ends_table(line: str) -> bool:
    return bool(CAPTION.match(line) or _FOOTNOTE.match(line) or _is_prose(line))


def _footnotes(lines: list[str], start: int) -> tuple[tuple[str, ...], int]:
    """Footnote lines right after a table, and where they end."""
    notes: list[str] = []
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines) and lines[index].strip() and _FOOTNOTE.match(lines[index]):
        notes.append(" ".join(lines[index].split()))
        index += 1
    return (tuple(notes), index) if notes else ((), start)


def _pipe_cells(line: str) -> list[str]:
    """The cells of a line of a pipe table; a pipe at either end only closes the row."""
    stripped = line.strip()
    stripped = stripped[1:] if stripped.startswith("|") else stripped
    stripped = stripped[:-1] if stripped.endswith("|") else stripped
    return [" ".join(p.split()) for p in stripped.split("|")][:_MAX_COLUMNS]


def _shifted(cells: list[str], width: int, cited: bool) -> list[str] | None:
    """A finished row of a pipe table as the columns hold it: in a table whose last
    column is the reference (``cited``), a row whose citation stands left of that column,
    with empty cells after it, lost its first cells to a spanning cell above (a web page
    drops them), so its cells move right; ``None`` for a group label (one cell, the rest
    empty)."""
    filled = [c for c in cells if c]
    if len(filled) <= 1 and width > 2:
        return None
    trailing = 0
    while trailing < len(cells) and not cells[len(cells) - 1 - trailing]:
        trailing += 1
    last = cells[len(cells) - 1 - trailing] if trailing < len(cells) else ""
    if cited and 0 < trailing < width and cells[0] and _CITED_END.fullmatch(last):
        return [""] * trailing + cells[: width - trailing]
    return cells


def _delimited(lines: list[str], start: int, header: list[str]) -> tuple[list[list[str]], int]:
    """Rows of a delimited table; in a pipe table a row broken over several lines (a cell
    with line breaks) is joined until it has the header's number of cells."""
    rows: list[list[str]] = []
    width = len(header)
    pipes = "|" in lines[start - 1] if start else False
    cited = column_role(header[-1]) == "reference" if header else False
    pending: list[str] = []
    index = start

    def finish() -> None:
        if pending:
            row = _shifted(pending, width, cited) if pipes else pending
            if row is not None:
                rows.append(list(row))
            pending.clear()

    while index < len(lines) and len(rows) < _MAX_ROWS:
        line = lines[index]
        if not line.strip():
            following = next((x for x in lines[index + 1 : index + 3] if x.strip()), "")
            if (_cells(following) is None and not pending) or _ends_table(following):
                break
            index += 1
            continue
        if _MARKDOWN_RULE.match(line):
            index += 1
            continue
        if _ends_table(line):
            break
        if pipes and "|" in line:
            cells = _pipe_cells(line)
            if pending and len(pending) < width:
                pending += cells  # the rest of a row broken over lines
            else:
                finish()
                pending += cells
            if len(pending) >= width:
                finish()
        elif pipes and pending:
            pending[-1] = f"{pending[-1]} {' '.join(line.split())}".strip()
        else:
            cells_found = _cells(line)
            if cells_found is None:
                break
            finish()
            rows.append(cells_found)
        index += 1
    finish()
    return rows, index


def _one_per_line(
    lines: list[str], start: int, width: int, cited: bool = False
) -> tuple[list[list[str]], int]:
    """Rows of a table given one cell per line, ``width`` cells a row; when the last column
    is the reference (``cited``), its cells end the rows and each row's other lines are
    laid out over the columns by their look (:mod:`._cell_alignment`), so that a cell of
    two lines, or none, does not shift the rows after it."""
    cells: list[str] = []
    index = start

    def whole_row() -> bool:
        if cited:
            return bool(cells) and REFERENCE_CELL.match(cells[-1]) is not None
        return len(cells) % width == 0

    while index < len(lines) and len(cells) < _MAX_ROWS * width:
        line = lines[index]
        stripped = " ".join(line.split())
        if stripped and _ends_table(stripped):
            break
        if not stripped:
            if index + 1 < len(lines) and not lines[index + 1].strip() and whole_row():
                break  # two blank lines after a whole row: the table is over
            index += 1
            continue
        cells.append(stripped)
        index += 1
    if cited and width >= 2:
        rows = _rows_ended_by_references(cells, width)
        if rows is not None:
            return rows, index
    rows = [cells[i : i + width] for i in range(0, len(cells), width)]
    return rows, index


def _rows_ended_by_references(cells: list[str], width: int) -> list[list[str]] | None:
    """The rows of one-per-line ``cells`` cut after each reference cell, each laid out over
    ``width`` columns; None when too few rows fit the header to show what the columns hold
    (at least two, and at least a third of the rows)."""
    groups: list[list[str]] = []
    pending: list[str] = []
    for cell in cells:
        pending.append(cell)
        if REFERENCE_CELL.match(cell) and len(pending) > 1:
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    fitting = [group[:-1] for group in groups if len(group) == width]
    if len(fitting) < max(2, len(groups) / 3) or max(map(len, groups)) > _MAX_ROW_LINES * width:
        return None  # too few rows show the columns, or a "row" too long to be one
    costs = column_shapes(fitting, width - 1)
    rows: list[list[str]] = []
    for group in groups:
        if len(group) == width:
            rows.append(group)
        elif REFERENCE_CELL.match(group[-1]):
            rows.append([*align_row(group[:-1], costs), group[-1]])
        else:  # the last row, without its reference
            rows.append([*align_row(group, costs), ""])
    return rows


def _run_together(lines: list[str], start: int, cited: bool) -> tuple[list[list[str]], int]:
    """Rows of a table whose cells ran together: one a line, or, when the last column is
    the reference (``cited``), lines joined up to the one that ends with a citation, blank
    lines between a row's cells included (a cell with line breaks)."""
    rows: list[list[str]] = []
    pending: list[str] = []
    index = start
    while index < len(lines) and len(rows) < _MAX_ROWS:
        line = lines[index]
        if not line.strip():
            following = next((x for x in lines[index + 1 : index + 3] if x.strip()), "")
            if not cited or not following or _ends_table(following):
                break
            index += 1
            continue
        if _ends_table(line):
            break
        pending.append(line.strip())
        if not cited or _CITED_END.search(line):
            rows.append([separate_run_together(" ".join(pending))])
            pending = []
        index += 1
    if pending:
        rows.append([separate_run_together(" ".join(pending))])
    return rows, index


def _header_lines(lines: list[str], start: int) -> tuple[list[str], int]:
    """Header cells given one per line from ``start``, and the index after them."""
    cells: list[str] = []
    seen: set[str] = set()
    index = start
    while index < len(lines) and len(cells) < _MAX_COLUMNS:
        stripped = " ".join(lines[index].split())
        if not stripped:
            index += 1
            continue
        role = column_role(stripped)
        # a header names each role once, in words: a second source ("AD-MSC") or a name
        # with digits ("miR-486-5p") is the first row
        if len(stripped) > 40 or role is None or role in seen or re.search(r"\d", stripped):
            break
        if role != "other":
            seen.add(role)
        cells.append(stripped)
        index += 1
    return (cells, index) if header_roles(cells) else ([], start)


def _table_at(lines: list[str], start: int, label: str, caption: str) -> tuple[Table, int] | None:
    """The table whose header is among the first non-blank lines from ``start``: up to
    three lines before it are the rest of the caption (a "From: <article title>" line of a
    publisher's table page is left out)."""
    index = start
    extra: list[str] = []
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if CAPTION.match(line):
            return None  # another table's caption: this one has no rows
        if _cells(line) or _run_together_header(line) or _header_lines(lines, index)[0]:
            break
        if len(extra) == (3 if label else 0) or _ends_table(line):
            return None
        if not re.match(r"^\s*From:\s", line):
            extra.append(" ".join(line.split()))
        index += 1
    if index >= len(lines):
        return None
    caption = " ".join([caption, *extra]).strip()
    line = lines[index]
    header: list[str] | None = _cells(line)
    if header is not None and header_roles(header):
        rows, end = _delimited(lines, index + 1, header)
    else:
        one_per_line, after = _header_lines(lines, index)
        following = next((x for x in lines[after : after + 3] if x.strip()), "")
        cited = bool(one_per_line) and column_role(one_per_line[-1]) == "reference"
        if one_per_line and after > index + 1 and cited and _CITED_END.search(following):
            # a header given cell by cell over rows that run together, each ending with
            # its citation
            header = one_per_line
            rows, end = _run_together(lines, after, True)
        elif one_per_line and after > index + 1:
            header = one_per_line
            rows, end = _one_per_line(lines, after, len(header), cited)
        else:
            header = _run_together_header(line)
            if header is None:
                return None
            cited = column_role(header[-1]) == "reference"
            rows, end = _run_together(lines, index + 1, cited)
    if not rows:
        return None
    notes, end = _footnotes(lines, end)
    table = Table(
        label=label,
        caption=caption,
        header=tuple(header),
        rows=tuple(tuple(r) for r in rows),
        footnotes=notes,
    )
    return table, end


def _caption_at(lines: list[str], index: int) -> tuple[str, str, int] | None:
    """Label, caption and the line after it, for a caption line at ``index`` (a caption
    wrapped over lines goes on until a blank line or a line that reads as a header)."""
    found = CAPTION.match(lines[index])
    if found is None:
        return None
    caption = [found["caption"].strip()]
    after = index + 1
    while (
        after < len(lines)
        and lines[after].strip()
        and _cells(lines[after]) is None
        and column_role(lines[after].strip()) is None
        and _run_together_header(lines[after]) is None
        and not caption[-1].endswith(".")
        and len(caption) < 4
    ):
        caption.append(lines[after].strip())
        after += 1
    return found["label"].strip(), " ".join(" ".join(caption).split()), after


def _headed_rows(table: Table) -> bool:
    """Rows under a header without a caption read as a table: at least two, none of them
    ending a sentence (a heading and the paragraph under it do)."""
    return len(table.rows) >= 2 and not any(
        row[-1].rstrip().endswith((".", "!", "?")) for row in table.rows if row
    )


def find_text_tables(lines: list[str]) -> list[TextTable]:
    """The tables of a text given as lines, with the lines each spans (caption to last
    footnote). A caption with no table after it (a table given as an image) is no table."""
    found: list[TextTable] = []
    index = 0
    while index < len(lines):
        caption = _caption_at(lines, index)
        start = index
        if caption is not None:
            label, text, after = caption
            table = _table_at(lines, after, label, text)
        elif (index == 0 or not lines[index - 1].strip()) and lines[index].strip():
            table = _table_at(lines, index, "", "")
            if table is not None and not _headed_rows(table[0]):
                table = None
        else:
            table = None
        if table is None:
            index += 1
            continue
        found.append(TextTable(start, table[1], table[0]))
        index = max(table[1], index + 1)
    return found

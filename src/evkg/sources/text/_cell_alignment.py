"""Rows of a table given one cell per line, where a cell may take several lines or none.

A web page's table saved as text puts each cell on its own line, but a cell holding two
recipient cells or two effects ("↓ Synovial hyperplasia" / "↓ Angiogenesis") takes two
lines, and a cell left empty takes none; counting ``width`` lines to a row then shifts
every row after the first such cell. When the last column is the reference, its cells
("198", "[104]", "Lee et al. [35]") end the rows. The lines of each row are then laid out
over the other columns by what they look like: the rows whose line count fits the header
exactly show what each column holds (miRNA names, gene symbols, arrows, words), and each
other row takes the layout that fits those columns best (:func:`align_row`, a small
dynamic programme: lines stay in order, a column takes one line or more, or none at a
cost).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

__all__ = ["REFERENCE_CELL", "align_row", "column_shapes", "line_shape"]

#: A reference cell on a line of its own: "198", "[104]", "221, 222", "(61)", "45–47",
#: "Lee et al. [35]", "Zhang et al. (2020)".
REFERENCE_CELL = re.compile(
    r"^(?:\[?\(?\d{1,4}(?:\s*[,;–-]\s*\d{1,4})*\)?\]?"
    r"|[A-Z][\w'’-]+(?: et al\.?)?,?\s*(?:\[\d[\d,;\s–-]*\]|\(\d{4}[a-z]?\)))$"
)
_MIRNA = re.compile(r"\b(?:mi[Rr](?:NA)?|let)[-‐]?\d|\blet-7", re.IGNORECASE)
_SYMBOLS = re.compile(
    r"^[A-Z0-9][A-Za-z0-9αβγδκ/+-]{0,11}(?:\s*(?:,|and|/)\s*[A-Z0-9][A-Za-z0-9αβγδκ/+-]{0,11})*$"
)

#: The cost of a column left empty, and of each line past the first in one cell, in the
#: units of -log(probability) of a line's shape in a column.
_EMPTY_CELL = 4.0
_EXTRA_LINE = 0.7
_SHAPES = ("mirna", "arrow", "cells", "symbols", "words")
#: Cells named in a cell of their own: "Th17 cells", "Chondrocytes", "FLSs", "Tregs".
_CELLS = re.compile(
    r"(?:\bcells?|cytes?|blasts?|phages?|[A-Z]{2,}[a-z]?s|\bTregs?)$", re.IGNORECASE
)


def line_shape(line: str) -> str:
    """What a cell's line looks like: a miRNA name, an effect with an arrow, cells, gene-like
    symbols, or words."""
    text = line.strip()
    if _MIRNA.search(text):
        return "mirna"
    if text[:1] in "↑↓" or text.startswith(("Up", "Down")):
        return "arrow"
    if _CELLS.search(text) and len(text.split()) <= 4:
        return "cells"
    if _SYMBOLS.match(text):
        return "symbols"
    return "words"


def column_shapes(rows: Sequence[Sequence[str]], width: int) -> list[dict[str, float]]:
    """For each of ``width`` columns, -log(probability) of each line shape, learnt from
    ``rows`` (add-one smoothing, so an unseen shape costs but is possible)."""
    costs: list[dict[str, float]] = []
    for column in range(width):
        seen = Counter(line_shape(row[column]) for row in rows if len(row) > column)
        total = sum(seen.values()) + len(_SHAPES)
        costs.append({s: -math.log((seen[s] + 1) / total) for s in _SHAPES})
    return costs


def align_row(lines: Sequence[str], costs: Sequence[dict[str, float]]) -> list[str]:
    """The cells of one row: ``lines`` laid out over the columns of ``costs`` in order,
    lines of one cell joined with "; ", a column without lines left empty."""
    width, count = len(costs), len(lines)
    shapes = [line_shape(line) for line in lines]
    # prefix sums: the cost of lines start..i-1 in column j is one subtraction
    prefix = [[0.0] * (count + 1) for _ in range(width)]
    for j in range(width):
        for k, shape in enumerate(shapes):
            prefix[j][k + 1] = prefix[j][k] + costs[j][shape]
    infinity = float("inf")
    # best[j][i]: least cost of placing the first i lines in the first j columns
    best = [[infinity] * (count + 1) for _ in range(width + 1)]
    choice = [[0] * (count + 1) for _ in range(width + 1)]
    best[0][0] = 0.0
    for j in range(1, width + 1):
        for i in range(count + 1):
            for start in range(i + 1):  # column j-1 holds lines start..i-1
                previous = best[j - 1][start]
                if previous == infinity:
                    continue
                taken = i - start
                if taken == 0:
                    cost = _EMPTY_CELL
                else:
                    cost = prefix[j - 1][i] - prefix[j - 1][start]
                    cost += _EXTRA_LINE * (taken - 1)
                if previous + cost < best[j][i]:
                    best[j][i] = previous + cost
                    choice[j][i] = start
    cells: list[str] = []
    i = count
    for j in range(width, 0, -1):
        start = choice[j][i]
        cells.append("; ".join(lines[start:i]))
        i = start
    return cells[::-1]

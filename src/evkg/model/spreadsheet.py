"""Text made safe to open in a spreadsheet (formula injection).

Spreadsheet programs read a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, so a quote mined from a crafted abstract could
run one when an exported TSV is opened. Such a cell is written with a leading apostrophe,
which spreadsheets show as plain text; numbers such as ``-0.5`` or ``+3`` are left alone.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "spreadsheet_text"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_text(text: str) -> str:
    """``text``, with an apostrophe in front if a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text

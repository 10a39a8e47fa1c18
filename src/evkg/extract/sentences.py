"""Sentence splitting tuned for biomedical prose (abbreviations, initials, decimals,
citation brackets).

>>> text = "MSC-EVs reduced fibrosis (Fig. 2). In mice, e.g. C57BL/6, miR-21 fell by 2.5 fold."
>>> [text[s:e] for s, e in split_sentences(text)]
['MSC-EVs reduced fibrosis (Fig. 2).', 'In mice, e.g. C57BL/6, miR-21 fell by 2.5 fold.']
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_BOUNDARY = re.compile(
    r"[.!?][\"'”’)\]]*(?:\[[\d,\s–-]+\])?\s+(?=[\"'“‘(\[]?(?:[A-Z0-9]|miR|let-|circ|lnc|si[A-Z-]))"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "al",
        "fig",
        "figs",
        "vs",
        "approx",
        "ca",
        "cf",
        "dr",
        "no",
        "nos",
        "ref",
        "refs",
        "resp",
        "sp",
        "spp",
        "st",
        "ver",
        "vol",
        "eq",
        "eqs",
        "suppl",
        "tab",
        "mr",
        "mrs",
        "prof",
        "inc",
        "ltd",
        "co",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        head = text[max(start, match.start() - 12) : match.start()]
        word = _WORD_BEFORE.search(head)
        if word:
            token = word.group(1).lower().rstrip(".")
            if token in _ABBREVIATIONS or (len(token) == 1 and word.group(1).isupper()):
                continue
        end = match.end()
        stripped_end = len(text[:end].rstrip())
        if stripped_end > start:
            spans.append((start, stripped_end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s + (len(text[s:e]) - len(text[s:e].lstrip())), e) for s, e in spans]

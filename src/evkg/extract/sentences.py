"""Sentence splitting tuned for biomedical prose (abbreviations, initials, decimals,
citation brackets).

>>> text = "MSC-EVs reduced fibrosis (Fig. 2). In mice, e.g. C57BL/6, miR-21 fell by 2.5 fold."
>>> [text[s:e] for s, e in split_sentences(text)]
['MSC-EVs reduced fibrosis (Fig. 2).', 'In mice, e.g. C57BL/6, miR-21 fell by 2.5 fold.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["split_sentences", "with_ascii_hyphens"]

_BOUNDARY = re.compile(
    r"[.!?][\"'”’)\]]*(?:\[[\d,\s–-]+\])?\s+(?=[\"'“‘(\[]?(?:[A-Z0-9]|miR|let-|circ|lnc|si[A-Z-]))"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
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


def _ends_sentence(text: str, start: int, boundary: int) -> bool:
    """Whether the boundary punctuation at ``boundary`` ends a sentence begun at ``start``
    (not the dot of an abbreviation such as "e.g." or "Fig." or of an initial)."""
    if boundary <= start or text[boundary - 1] not in _WORD_CHARS:
        return True  # no word right before the punctuation: nothing to check
    word = _WORD_BEFORE.search(text[max(start, boundary - 12) : boundary])
    if word:
        token = word.group(1).lower().rstrip(".")
        if token in _ABBREVIATIONS or (len(token) == 1 and word.group(1).isupper()):
            return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if not _ends_sentence(text, start, match.start()):
            continue
        end = match.end()
        # the match begins with [.!?] at or after ``start``: the span is never blank
        spans.append((start, start + len(text[start:end].rstrip())))
        start = end
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s + (len(text[s:e]) - len(text[s:e].lstrip())), e) for s, e in spans]


class SectionText(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PlainSection:
    """A section with its typographic hyphens made ASCII (``miR‐181‐5p`` as PMC prints it):
    one character for one, so offsets stay those of the text."""

    name: str
    text: str


#: Hyphen (U+2010) and non-breaking hyphen (U+2011), which names of miRNAs and genes carry
#: in PMC and publisher text.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


def with_ascii_hyphens(sections: Iterable[SectionText]) -> list[PlainSection]:
    """The sections with U+2010/U+2011 written as ``-``.

    >>> with_ascii_hyphens([PlainSection("Abstract", "miR\u2010181")])[0].text
    'miR-181'
    """
    return [PlainSection(s.name, s.text.translate(_HYPHENS)) for s in sections]

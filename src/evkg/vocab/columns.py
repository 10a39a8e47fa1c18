"""The role of a table column from the words of its header: which column of a review's
table names the EV source, the cargo, its target, the disease, the effect or the reference.

Readers use it to tell a table's header from its rows (text tables have no markup) and the
table extractor to read each row's cells for what they are.

>>> [column_role(h) for h in ("MSC source", "miRNA", "Target gene", "Disease model", "Effects")]
['source', 'cargo', 'target', 'disease', 'effect']
>>> column_role("Target cells"), column_role("Ref.")
('other', 'reference')
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["ROLES", "ColumnRole", "column_role", "header_roles"]

ColumnRole = Literal["source", "cargo", "target", "disease", "effect", "reference", "other"]
ROLES: tuple[ColumnRole, ...] = (
    "source",
    "cargo",
    "target",
    "disease",
    "effect",
    "reference",
    "other",
)

#: Checked in order: the first that matches the header wins. "Target cells" and "Recipient
#: cells" name the cells a cargo acts on, not a gene; "Model" after "disease" words is the
#: disease column; the reference column is recognised first ("Study", "Ref."), and target
#: words before cargo words ("miRNA targets").
_ROLE_WORDS: tuple[tuple[ColumnRole, re.Pattern[str]], ...] = (
    (
        "reference",
        re.compile(r"^(?:refs?\.?|references?|citations?|study|studies|articles?|authors?|year)$"),
    ),
    ("disease", re.compile(r"\btarget\s+(?:cancers?|tumou?rs?|diseases?|organs?|tissues?)\b")),
    ("other", re.compile(r"\b(?:target|recipient|receiving)\s+cells?\b|\broute|\bdos(?:e|age)")),
    ("other", re.compile(r"\b(?:species|isolation|size|characteri[sz]ation|markers?)\b")),
    ("other", re.compile(r"\bcargo\s+types?\b|\btypes?\s+of\s+cargo")),
    ("cargo", re.compile(r"\bcargos?\b|\bcargoes\b")),
    (
        "target",
        re.compile(
            r"\b(?:targets?|targeted|genes?|pathways?|mechanisms?|signal\w*|axis|axes|"
            r"mediators?|downstream|molecular\s+basis)\b"
        ),
    ),
    (
        "cargo",
        re.compile(
            r"\b(?:cargos?|cargoes|mi(?:cro)?rnas?|mirs?|non-?coding\s+rnas?|ncrnas?|lncrnas?|"
            r"circrnas?|molecules?|contents?|components?|bioactive|effectors?|"
            r"(?:loaded|encapsulated|delivered)\s+\w+|rnas?|proteins?|drugs?|payload)\b"
        ),
    ),
    (
        "source",
        re.compile(
            r"\b(?:sources?|origins?|cell\s+types?|parent(?:al)?\s+cells?|donor\s+cells?|"
            r"producing\s+cells?|secreting\s+cells?|derived\s+from|ev\s+types?|"
            r"(?:msc|ev|exosome)s?\s+(?:types?|sources?)|msc|mscs|cells?)\b"
        ),
    ),
    (
        "disease",
        re.compile(
            r"\b(?:diseases?|disorders?|models?|indications?|conditions?|injur(?:y|ies)|"
            r"patholog\w*|applications?|illness\w*|animals?|in\s+vivo|organs?|tissues?)\b"
        ),
    ),
    (
        "effect",
        re.compile(
            r"\b(?:effects?|outcomes?|functions?|results?|findings?|roles?|actions?|"
            r"therapeutic|benefits?|impacts?|observations?|activit(?:y|ies))\b"
        ),
    ),
    # a column headed by the vesicles alone ("Exo", "EVs") lists what they carry
    ("cargo", re.compile(r"^(?:exos?|exosomes?|s?evs?|extracellular\s+vesicles?|vesicles?)$")),
)


def column_role(header: str) -> ColumnRole | None:
    """What a column holds, from its header's words; ``None`` when the header names none of
    the roles (a row's cell is then no header)."""
    words = " ".join(re.sub(r"[^\w\s/.-]", " ", header.lower()).split())
    if not words or len(words) > 60:
        return None
    for role, pattern in _ROLE_WORDS:
        if pattern.search(words):
            return role
    return None


def header_roles(cells: tuple[str, ...] | list[str]) -> tuple[ColumnRole | None, ...] | None:
    """Each cell's role when the cells read as a table header: at least two cells, at
    least two of them naming a role of the EV literature (source, cargo, target, disease
    or effect), none of them a long phrase; else ``None``.

    >>> header_roles(["EV source", "Cargo", "Target", "Disease"])
    ('source', 'cargo', 'target', 'disease')
    >>> header_roles(["Rats received EVs", "the infarct shrank"]) is None
    True
    """
    if len(cells) < 2 or any(len(cell) > 60 for cell in cells):
        return None
    roles = tuple(column_role(cell) for cell in cells)
    named = {r for r in roles if r not in (None, "other", "reference")}
    return roles if len(named) >= 2 else None

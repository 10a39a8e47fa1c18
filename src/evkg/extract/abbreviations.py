"""Abbreviation detection after Schwartz & Hearst (PSB 2003): a short form in parentheses
and the long form before it whose characters it abbreviates.

>>> find_abbreviations("Extracellular vesicles (EVs) from mesenchymal stem cells (MSCs) help.")
[('EVs', 'Extracellular vesicles'), ('MSCs', 'mesenchymal stem cells')]
"""

from __future__ import annotations

import re

__all__ = ["VESICLE_WORDS", "best_long_form", "find_abbreviations", "is_preparation_name"]

_PARENTHESES = re.compile(r"\(([^()]{1,30})\)")


def _valid_short_form(short: str) -> bool:
    return (
        2 <= len(short) <= 10
        and len(short.split()) <= 2
        and short[0].isalnum()
        and any(ch.isalpha() for ch in short)
    )


def best_long_form(short: str, candidate: str) -> str | None:
    """The shortest end of ``candidate`` whose letters cover ``short`` in order, the first
    letter of ``short`` starting a word.

    >>> best_long_form("HIF", "under hypoxia-inducible factor")
    'hypoxia-inducible factor'
    """
    s_index, l_index = len(short) - 1, len(candidate) - 1
    while s_index >= 0:
        char = short[s_index].lower()
        if not char.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            candidate[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    begin = candidate.rfind(" ", 0, l_index + 1) + 1
    long = candidate[begin:].strip()
    if len(long) <= len(short) or short.lower() in long.lower().split():
        return None
    return long


#: A name a paper gives its own vesicle preparation: hyphen-joined parts ending in the
#: vesicle word ("Hemin-MSC-EXO", "MSC-IL-Exo", "Hypo-sEVs"), too long or too scrambled
#: for an abbreviation of the words before it.
_PREPARATION_NAME = re.compile(
    r"^[A-Za-z0-9αβγκ]+(?:-[A-Za-z0-9αβγκ]+)+-(?:exos?|evs?|sevs?|mvs|exosomes?)$", re.IGNORECASE
)
#: Vesicle words in any case ("EXO", "Exos", "sEVs", "microvesicles" is not one: MVs is).
VESICLE_WORDS = re.compile(r"\b(?:exo\w*|EVs?|sEVs?|vesicles?|MVs)\b", re.IGNORECASE)


def is_preparation_name(short: str) -> bool:
    """Is ``short`` written as a name a paper gives its vesicle preparation?

    >>> is_preparation_name("Hemin-MSC-EXO"), is_preparation_name("MSC-IL-Exo")
    (True, True)
    >>> is_preparation_name("MSC"), is_preparation_name("IL-1β")
    (False, False)
    """
    return _PREPARATION_NAME.match(short) is not None


def _preparation_name(short: str, before: str) -> str | None:
    """The words naming a vesicle preparation before its own short name in parentheses
    (up to eight words back, from the last vesicle word's phrase), or None."""
    if not is_preparation_name(short):
        return None
    words = before.split()[-8:]
    text = " ".join(words)
    vesicle = VESICLE_WORDS.search(text)
    return text[vesicle.start() :] if vesicle else None


def find_abbreviations(sentence: str) -> list[tuple[str, str]]:
    """(short form, long form) pairs defined in ``sentence``, and the short names papers give
    their vesicle preparations ("EXO derived from hemin-pretreated MSCs (Hemin-MSC-EXO)")."""
    found: list[tuple[str, str]] = []
    for match in _PARENTHESES.finditer(sentence):
        short = re.split(r"[;,]\s", match.group(1))[0].strip()
        preparation = _preparation_name(short, sentence[: match.start()])
        if preparation is not None:
            found.append((short, preparation))
            continue
        if not _valid_short_form(short):
            continue
        words = sentence[: match.start()].split()
        size = min(len(short) + 5, len(short) * 2)
        candidate = " ".join(words[-size:])
        long = best_long_form(short, candidate)
        if long:
            found.append((short, long))
    return found

"""How a sentence prepared its vesicles: the modifications (preconditioning, engineering,
loading) and the donor state of the source cells named in the vesicles' own noun phrase.

A modification term counts only where it qualifies the vesicles or their source cells:
"hypoxia-preconditioned MSC exosomes", "exosomes from MSCs primed with IFN-γ", "BMSCs
engineered to overexpress miR-133b". The same words elsewhere are the disease model
("protected cardiomyocytes against hypoxia-induced injury", "LPS-induced lung injury").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evkg.extract._preparation_phrases import (
    CARRIER_GAP,
    EXTRUDED,
    extruded,
    loaded_cargo,
    primed_with,
    says_prepared,
)
from evkg.extract.ner import EV, Mention
from evkg.model import EntityKind

__all__ = ["VesiclePreparation", "vesicle_preparation"]

_MODIFICATION = EntityKind.MODIFICATION.value
_VESICLES = {EV, EntityKind.EV_SOURCE.value}
#: Words that make a bare agent word ("hypoxia", "hypoxic") a preparation of the cells.
_PRIMING = r"(?:pre-?)?(?:condition|treat|prim|stimulat|expos|cultur|incubat|licens|challeng)\w*"
#: What may stand between a modification and the vesicle or source words it qualifies,
#: before them ("hypoxia-preconditioned human MSC exosomes").
_BEFORE_GAP = re.compile(
    rf"^(?:[\s-]|{_PRIMING}|human|rat|mouse|murine|porcine|and|derived)*$", re.IGNORECASE
)
#: A carrier holding the vesicles: "hydrogel incorporated with DPSC exosomes", "exosomes
#: combined with gelatin methacryloyl hydrogel", "DPSC-Exo-incorporated chitosan hydrogel".
_CARRIER_BEFORE = re.compile(rf"^\s*{CARRIER_GAP}(?:human\s+)?$", re.IGNORECASE)
_CARRIER_AFTER = re.compile(rf"^[\s-]*(?:{CARRIER_GAP}|incorporated\s+(?:[\w-]+\s+)?)$", re.I)
#: ... and after them ("MSCs that were primed with", "BMSCs preconditioned under").
_AFTER_GAP = re.compile(
    rf"^[\s,]*(?:(?:that|which)\s+(?:were|had\s+been)\s+)?(?:(?:{_PRIMING})(?:\s+(?:with|under|"
    r"in|by|to))?\s*|(?:following|after|upon|under)\s+)?$",
    re.IGNORECASE,
)
#: "in which miR-1246 was knocked down": the engineering after a relative clause.
_RELATIVE = re.compile(r"^\s*(?:in\s+which|where)\s+\S+\s+(?:was|were|had\s+been)\s+$", re.I)
_HAS_PRIMING = re.compile(rf"{_PRIMING}|overexpress|loaded|knock|silenc", re.IGNORECASE)

_DONOR_WORDS = {
    "aged": "aged",
    "old": "aged",
    "older": "aged",
    "elderly": "aged",
    "young": "young",
    "juvenile": "young",
    "diabetic": "diabetic",
    "obese": "obese",
}
_DONOR_TRIGGER = re.compile(r"\b(?:aged|old|older|elderly|young|juvenile|diabetic|obese)\b", re.I)
#: "aged BMSCs", "young donor MSCs", "diabetic rat ADSCs" (before the source words) ...
_DONOR_BEFORE = re.compile(
    r"\b(?P<state>aged|old|older|elderly|young|juvenile|diabetic|obese)\s+"
    r"(?:(?:human|rat|mouse|murine|donors?'?|patients?'?)\s+){0,2}$",
    re.IGNORECASE,
)
#: ... "MSCs of elderly donors", "ADSCs from diabetic patients" (after them).
_DONOR_AFTER = re.compile(
    r"^\s*(?:of|from)\s+(?P<state>aged|old|older|elderly|young|juvenile|diabetic|obese)\s+"
    r"(?:donors?|patients?|individuals?|people|subjects?|mice|rats|animals)\b",
    re.IGNORECASE,
)
_NEAR = 40  # characters: a qualifier this far from the vesicle words

OVEREXPRESSION = "evkg.mod:gene-overexpression"
_CARGO_KINDS = {EntityKind.MIRNA.value, EntityKind.GENE.value}
#: A cargo made more of in the cells: "miR-26a-modified MSCs", "miR-146a-5p-enriched
#: BMSCs", "miR-21-overexpressing ADSCs" (the cargo's name just before the word) ...
_CARGO_ENGINEERING = re.compile(
    r"(?:-|\s)(?:modified|enriched|overexpressing|over-expressing|transfected|engineered)\b"
    r"|\bover-?expression\s+of\b",
    re.IGNORECASE,
)
_ENGINEERED_AFTER = re.compile(
    r"^\s*-?\s*(?:modified|enriched|overexpressing|over-expressing|transfected|engineered)"
    r"(?:[\s-]|human|rat|mouse|murine|and|derived)*$",
    re.IGNORECASE,
)
#: ... and "the overexpression of miR-199a-5p in HMSC exosomes".
_OVEREXPRESSION_OF = re.compile(r"over-?expression\s+of\s+$", re.IGNORECASE)
_IN_VESICLES = re.compile(r"^\s+(?:in|within)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class VesiclePreparation:
    """Modification terms and donor state of the vesicles a sentence names."""

    modifications: tuple[str, ...] = ()
    donor_state: str | None = None
    #: Spans of the agents the source cells were primed with ("with IL-6"): not cargo
    primers: tuple[tuple[int, int], ...] = ()


_NOTHING = VesiclePreparation()


def vesicle_preparation(
    text: str,
    mentions: Sequence[Mention],
    modification_named: Callable[[str], str | None] | None = None,
) -> VesiclePreparation:
    """The preparation of the vesicles of one sentence, from its recognised mentions.

    >>> from evkg.extract.ner import Mention
    >>> text = "Exosomes from aged MSCs primed with LPS helped."
    >>> found = vesicle_preparation(text, [
    ...     Mention(0, 8, "Exosomes", "ev", ()),
    ...     Mention(19, 23, "MSCs", "ev_source", ("evkg.source:msc",)),
    ...     Mention(24, 39, "primed with LPS", "modification", ("evkg.mod:lps",)),
    ... ])
    >>> found.modifications, found.donor_state
    (('evkg.mod:lps',), 'aged')

    ``modification_named`` looks a modification up by name ("IL-6 priming"), for cells
    primed with an agent the sentence names in words ("stimulated MSCs with IL-6").
    """
    modifying = [m for m in mentions if m.kind == _MODIFICATION and m.curie]
    donor_words = _DONOR_TRIGGER.search(text) is not None
    engineering = _CARGO_ENGINEERING.search(text) is not None
    worded = says_prepared(text)
    if not modifying and not donor_words and not engineering and not worded:
        return _NOTHING
    vesicles = [m for m in mentions if m.kind in _VESICLES]
    if not vesicles:
        return _NOTHING
    found = [m.curie for m in modifying if m.curie and _qualifies(text, m, vesicles, mentions)]
    if engineering and _cargo_engineered(text, vesicles, mentions):
        found.append(OVEREXPRESSION)
    primers: list[tuple[int, int]] = []
    if worded:
        found += loaded_cargo(text, mentions)
        if extruded(text, mentions):
            found.append(EXTRUDED)
        if modification_named is not None:
            for curie, span in primed_with(text, mentions, modification_named):
                found.append(curie)
                primers.append(span)
    modifications = tuple(dict.fromkeys(found))
    donor = _donor_state(text, vesicles) if donor_words else None
    return VesiclePreparation(modifications, donor, tuple(primers))


def _qualifies(
    text: str, modification: Mention, vesicles: list[Mention], mentions: Sequence[Mention]
) -> bool:
    """Whether ``modification`` is said of the vesicles or of their source cells."""
    # a part of the name a paper gives its modified vesicles ("MSC-IL-Exo") is theirs
    primed = modification.how == "abbreviation" or _HAS_PRIMING.search(modification.text)
    for vesicle in vesicles:
        if modification.end <= vesicle.start <= modification.end + _NEAR:
            gap = text[modification.end : vesicle.start]
            following = text[modification.end : modification.end + 20]
            if _BEFORE_GAP.match(gap) and (
                primed or vesicle.kind != EV or re.match(r"\s*-?\s*" + _PRIMING, following, re.I)
            ):
                return True
            if _CARRIER_BEFORE.match(gap):
                return True
        if vesicle.end <= modification.start <= vesicle.end + _NEAR:
            gap = text[vesicle.end : modification.start]
            if _AFTER_GAP.match(gap) and (primed or _HAS_PRIMING.search(gap)):
                return True
            if _CARRIER_AFTER.match(gap):
                return True
            if primed and _RELATIVE.match(_without_names(gap, vesicle.end, mentions)):
                return True
    return False


def _cargo_engineered(text: str, vesicles: list[Mention], mentions: Sequence[Mention]) -> bool:
    """Whether a cargo named in the sentence was made more of in the vesicles' cells."""
    for cargo in (m for m in mentions if m.kind in _CARGO_KINDS):
        for vesicle in vesicles:
            if not cargo.end <= vesicle.start <= cargo.end + _NEAR:
                continue
            gap = text[cargo.end : vesicle.start]
            made = _ENGINEERED_AFTER.match(gap)
            # "CD146-enriched MSCs" are a selected subpopulation, not engineered cells
            if made and (cargo.kind == EntityKind.MIRNA.value or "enrich" not in gap.lower()):
                return True
            before = text[max(0, cargo.start - 30) : cargo.start]
            if _OVEREXPRESSION_OF.search(before) and _IN_VESICLES.match(gap):
                return True
    return False


def _without_names(gap: str, offset: int, mentions: Sequence[Mention]) -> str:
    """``gap`` with each mention inside it written as one word."""
    for mention in sorted(mentions, key=lambda m: -m.start):
        start, end = mention.start - offset, mention.end - offset
        if start >= 0 and end <= len(gap):
            gap = gap[:start] + "NAME" + gap[end:]
    return gap


def _donor_state(text: str, vesicles: list[Mention]) -> str | None:
    sources = [m for m in vesicles if m.kind == EntityKind.EV_SOURCE.value]
    for source in sources:
        before = _DONOR_BEFORE.search(text[max(0, source.start - _NEAR) : source.start])
        after = _DONOR_AFTER.match(text[source.end : source.end + _NEAR])
        found = before or after
        if found:
            return _DONOR_WORDS[found["state"].lower()]
    return None

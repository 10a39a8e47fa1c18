"""Preparations said in words rather than by a modification term beside the vesicles: a
cargo loaded into them ("miR-101a loaded nanovesicles", "exosomes loaded with miR-320a",
"loading IL-10 into MSC-sEVs"), a carrier they are combined with ("chitosan hydrogel
incorporated with DPSC exosomes", "exosomes combined with GelMA hydrogel"), nanovesicles
made by extrusion, and source cells primed with a named agent ("we stimulated hUC-MSCs with
IL-6": IL-6 priming, where the vocabulary knows such a priming).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from evkg.extract.ner import EV, Mention
from evkg.model import EntityKind

__all__ = ["CARRIER_GAP", "EXTRUDED", "extruded", "loaded_cargo", "primed_with", "says_prepared"]

EXTRUDED = "evkg.mod:extruded-nanovesicles"
SIRNA_LOADING = "evkg.mod:sirna-loading"
_LOADING = {
    EntityKind.MIRNA.value: "evkg.mod:mirna-loading",
    EntityKind.GENE.value: "evkg.mod:protein-loading",
    EntityKind.CARGO.value: "evkg.mod:drug-loading",
}
_VESICLES = {EV, EntityKind.EV_SOURCE.value}
_NEAR = 40

#: Between a carrier and the vesicles it holds, either way round: "hydrogel incorporated
#: with", "combined with gelatin methacryloyl", "-incorporated chitosan".
CARRIER_GAP = (
    r"(?:incorporated|combined|loaded|embedded|encapsulated|laden|functionali[sz]ed|mixed|"
    r"integrated)\s+(?:with|in(?:to)?)\s+(?:[\w()-]+\s+){0,3}?"
)
#: "miR-101a loaded Extracellular Nanovesicles", "IL-10-loaded sEVs" (cargo, then vesicles).
_LOADED_BEFORE = re.compile(
    r"^\s*-?\s*loaded(?:[\s-]|human|mesenchymal|stem|cells?|derived)*$", re.I
)
_CLAUSE_GAP = re.compile(r"^\s*,\s*(?:[\w-]+\s+)?$")
#: "exosomes loaded with miR-146a", "eNVs (…) loaded with" (vesicles, then cargo).
_LOADED_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:were\s+|was\s+)?loaded\s+with\s+$", re.I)
#: "When loaded with miR-101a, MSC eNVs" (the clause before the vesicles).
_LOADED_CLAUSE = re.compile(r"loaded\s+with\s+$", re.I)
#: "loading IL-10 into MSC-sEVs", "loading of miR-24-3p into exosomes".
_LOADING_INTO = re.compile(r"load(?:ing|ed)\s+(?:of\s+)?$", re.I)
_INTO = re.compile(r"^\s*into\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$", re.I)
_EXTRUSION = re.compile(r"\bextru(?:sion|ded|ding)\b", re.I)
_NANOVESICLES = re.compile(r"nanovesicles?|NVs?$", re.I)
#: The verbs of priming the cells with an agent, and the nouns the vocabulary names that
#: priming by ("stimulated with IL-6": "IL-6 priming"), the likeliest first.
_NOUNS = {
    "stimulat": ("priming", "stimulation", "pretreatment"),
    "prim": ("priming",),
    "pretreat": ("pretreatment", "priming"),
    "precondition": ("preconditioning", "pretreatment", "priming"),
    "treat": ("pretreatment", "priming"),
    "challeng": ("priming", "preconditioning"),
    "expos": ("preconditioning", "priming"),
}
_VERB = r"(?P<verb>stimulat|prim|pre-?treat|pre-?condition|treat|challeng|expos)\w*"
#: "stimulated hUC-MSCs with IL-6" (the verb before the cells) ...
_PRIMED_BEFORE = re.compile(rf"\b{_VERB}\s+(?:the\s+)?$", re.I)
#: ... "MSCs pretreated with hemin" (after them); the agent's one or two words.
_WITH = re.compile(
    rf"\s*(?:were\s+|was\s+)?(?:{_VERB}\s+)?(?:with|by|to)\s+"
    r"(?P<agent>[\w()+:-]+(?:\s+[\w()+:-]+)?)",
    re.I,
)
#: Any word of a preparation said in words: the sentences worth reading for one.
_PREPARATION_WORD = re.compile(
    r"\b(?:load|extru|stimulat|prim|pre-?treat|pre-?condition|treat|challeng|expos)", re.I
)


def says_prepared(text: str) -> bool:
    """Whether ``text`` has a word of a preparation said in words."""
    return _PREPARATION_WORD.search(text) is not None


def loaded_cargo(text: str, mentions: Sequence[Mention]) -> list[str]:
    """The loading modifications of the cargo the sentence loads into its vesicles."""
    vesicles = [m for m in mentions if m.kind in _VESICLES]
    return [
        _loading(cargo)
        for cargo in mentions
        if cargo.kind in _LOADING and any(_loaded_into(text, cargo, v) for v in vesicles)
    ]


def _loaded_into(text: str, cargo: Mention, vesicle: Mention) -> bool:
    if vesicle.end <= cargo.start <= vesicle.end + _NEAR:  # "exosomes loaded with miR-X"
        return bool(_LOADED_AFTER.match(text[vesicle.end : cargo.start]))
    if not cargo.end <= vesicle.start <= cargo.end + _NEAR:
        return False
    gap = text[cargo.end : vesicle.start]
    clause = text[max(0, cargo.start - 20) : cargo.start]
    return bool(
        _LOADED_BEFORE.match(gap)  # "miR-X loaded nanovesicles"
        or (_LOADED_CLAUSE.search(clause) and _CLAUSE_GAP.match(gap))  # "loaded with X, EVs"
        or (_LOADING_INTO.search(clause) and _INTO.match(gap.replace("-", " ")))  # into EVs
    )


def _loading(cargo: Mention) -> str:
    if cargo.kind == EntityKind.CARGO.value and "sirna" in cargo.text.lower():
        return SIRNA_LOADING
    return _LOADING[cargo.kind]


def extruded(text: str, mentions: Sequence[Mention]) -> bool:
    """Nanovesicles the sentence says were made by extrusion."""
    return bool(_EXTRUSION.search(text)) and any(
        m.kind == EV and _NANOVESICLES.search(m.text) for m in mentions
    )


def primed_with(
    text: str, mentions: Sequence[Mention], modification_named: Callable[[str], str | None]
) -> list[tuple[str, tuple[int, int]]]:
    """Priming of the source cells with an agent the sentence names after them, where the
    vocabulary has that priming (``modification_named("IL-6 priming")``): the modification
    and the span of the agent's words, which are no cargo of the vesicles."""
    found: list[tuple[str, tuple[int, int]]] = []
    for source in (m for m in mentions if m.kind == EntityKind.EV_SOURCE.value):
        before = _PRIMED_BEFORE.search(text[max(0, source.start - 30) : source.start])
        after = _WITH.match(text, source.end)
        verb = (after and after["verb"]) or (before and before["verb"])
        if not after or not verb:
            continue
        words = after["agent"].split()
        nouns = _NOUNS[verb.lower().replace("-", "")]
        for agent in dict.fromkeys((words[0], " ".join(words))):
            curie = next(filter(None, (modification_named(f"{agent} {n}") for n in nouns)), None)
            if curie:
                start = after.start("agent")
                found.append((curie, (start, start + len(agent))))
                break
    return found

"""Experimental context of a document and of a sentence: EV source, species, model, route,
and the evidence level the study design implies."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from evkg.extract.ner import EV, Mention
from evkg.model import EntityKind, EvidenceLevel

__all__ = ["DocumentContext", "document_context", "sentence_level"]

_CLINICAL = re.compile(
    r"\b(?:clinical\s+trial|randomi[sz]ed|phase\s+(?:I{1,3}|[123])\b|patients\s+(?:received|"
    r"were\s+(?:treated|given|randomi[sz]ed))|placebo)",
    re.IGNORECASE,
)
_IN_VIVO = re.compile(
    r"\b(?:in\s+vivo|mice|mouse|murine|rats?|rabbits?|pigs?|dogs?|sheep|primates?|"
    r"animal\s+models?|xenograft\w*|zebrafish)\b",
    re.IGNORECASE,
)
_EX_VIVO = re.compile(r"\bex\s+vivo\b", re.IGNORECASE)
_IN_VITRO = re.compile(
    r"\b(?:in\s+vitro|cultured|cell\s+lines?|cells\s+were|transfect\w*|co-?cultur\w*)\b",
    re.IGNORECASE,
)
_REVIEW = re.compile(r"\b(?:this\s+review|we\s+review|reviewed|summari[sz]e)\b", re.IGNORECASE)
_MIRNA_SPECIES = {"ncbitaxon:10090": "mmu", "ncbitaxon:10116": "rno", "ncbitaxon:9606": "hsa"}


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """What a whole document says about its experimental system."""

    is_ev: bool  # the document talks about EVs (or names an EV source with EVs)
    ev_source: str | None
    species: str | None
    route: str | None
    model: str | None
    level: EvidenceLevel

    @property
    def mirna_species(self) -> str:
        """miRBase species code to read bare miRNA names in (``hsa`` unless rodent)."""
        return _MIRNA_SPECIES.get(self.species or "", "hsa")


def guess_species(text: str) -> str | None:
    """The model organism a text is mostly about, from plain words (before recognition).

    >>> guess_species("Rats received EVs; in rats, fibrosis fell.")
    'ncbitaxon:10116'
    """
    counts = Counter(
        {
            "ncbitaxon:10090": len(re.findall(r"\b(?:mice|mouse|murine)\b", text, re.I)),
            "ncbitaxon:10116": len(re.findall(r"\brats?\b", text, re.I)),
            "ncbitaxon:9606": len(re.findall(r"\b(?:patients?|humans?)\b", text, re.I)),
        }
    )
    species, count = counts.most_common(1)[0]
    return species if count else None


def sentence_level(sentence: str, default: EvidenceLevel) -> EvidenceLevel:
    """Evidence level of one sentence: its own cues, else the document's."""
    if _CLINICAL.search(sentence):
        return EvidenceLevel.CLINICAL
    if _IN_VIVO.search(sentence):
        return EvidenceLevel.IN_VIVO
    if _EX_VIVO.search(sentence):
        return EvidenceLevel.EX_VIVO
    if _IN_VITRO.search(sentence):
        return EvidenceLevel.IN_VITRO
    return default


def _most_common(mentions: Iterable[Mention], kind: EntityKind) -> str | None:
    counts = Counter(m.curie for m in mentions if m.kind == kind.value and m.curie)
    return counts.most_common(1)[0][0] if counts else None


def document_context(text: str, mentions: list[Mention]) -> DocumentContext:
    """Context of a document from its text and recognised mentions."""
    is_ev = any(m.kind == EV for m in mentions)
    if _REVIEW.search(text):
        level = EvidenceLevel.REVIEW_STATEMENT
    elif _CLINICAL.search(text):
        level = EvidenceLevel.CLINICAL
    elif _IN_VIVO.search(text):
        level = EvidenceLevel.IN_VIVO
    elif _EX_VIVO.search(text):
        level = EvidenceLevel.EX_VIVO
    else:
        level = EvidenceLevel.IN_VITRO
    species = guess_species(text)
    if species is None:
        species = _most_common(mentions, EntityKind.SPECIES)
    return DocumentContext(
        is_ev=is_ev,
        ev_source=_most_common(mentions, EntityKind.EV_SOURCE) if is_ev else None,
        species=species,
        route=_most_common(mentions, EntityKind.ROUTE) if is_ev else None,
        model=_most_common(mentions, EntityKind.MODEL),
        level=level,
    )

"""Experimental context of a document and of a sentence: EV source, species, model, route,
and the evidence level the study design implies."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from evkg.extract.ner import EV, Mention
from evkg.model import EntityKind, EvidenceLevel

__all__ = [
    "CITED_SECTION",
    "Discourse",
    "DiscourseDisease",
    "DocumentContext",
    "citations",
    "document_context",
    "mirna_species",
    "sentence_level",
    "sentence_species",
    "source_species",
]

#: A section holding the title of the document's cited reference ``number`` is named
#: ``"<heading> [<number>]"`` (see ``evkg.sources.text``).
CITED_SECTION = re.compile(r"\[(?P<number>\d{1,4})\]$")
_CITATION = re.compile(r"\[(?P<numbers>\d{1,4}(?:\s*[,–-]\s*\d{1,4})*)\]")
_MAX_CITED = 6

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
    #: The one tissue of MSC the document names (bone marrow, cord…), which its bare "MSCs"
    #: are: a paper on "BMSC exosomes" writes "MSC-EVs" in later sentences
    specific_source: str | None = None

    def refined(self, source: str | None) -> str | None:
        """``source``, or the document's own tissue of MSC when ``source`` is bare MSC."""
        if source == GENERIC_MSC and self.specific_source:
            return self.specific_source
        return source


GENERIC_MSC = "evkg.source:msc"


def _is_msc_tissue(curie: str) -> bool:
    return curie.endswith("-msc") or curie == "evkg.source:menstrual-blood-stromal"


def mirna_species(species: str | None) -> str:
    """miRBase species code to read bare miRNA names in (``hsa`` unless rodent).

    >>> mirna_species("ncbitaxon:10116"), mirna_species(None)
    ('rno', 'hsa')
    """
    return _MIRNA_SPECIES.get(species or "", "hsa")


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


#: The species of the cells that made the vesicles: "human umbilical cord MSC-EVs", "rat
#: bone marrow-derived MSCs", "exosomes from mouse adipose stem cells", and the abbreviations
#: that spell it with a first letter (hUC-MSCs, hBMSC-Exos, hADSCs, rBMSCs, mADSC).
_SOURCE_WORDS = (
    r"(?:[\w-]+\s+){0,4}?(?:MSCs?|mesenchymal|stromal|stem|progenitor|ADSCs?|BMSCs?|"
    r"[\w-]*MSC[\w-]*)\b"
)
_SOURCE_SPECIES = re.compile(
    rf"\b(?P<word>(?i:human|humans|rat|murine|mouse|porcine|canine|equine|bovine))\s+"
    rf"(?i:{_SOURCE_WORDS})|"
    r"\b(?P<letter>[hrm])(?:UC|uc|WJ|BM|AD|AT|UCB|P|A|DP|G)?-?(?:MSC|ADSC|BMSC)s?\b",
)
_WORD_SPECIES = {
    "human": "ncbitaxon:9606",
    "humans": "ncbitaxon:9606",
    "h": "ncbitaxon:9606",
    "rat": "ncbitaxon:10116",
    "r": "ncbitaxon:10116",
    "mouse": "ncbitaxon:10090",
    "murine": "ncbitaxon:10090",
    "m": "ncbitaxon:10090",
}


def source_species(text: str) -> str | None:
    """The species of the EV's source cells, when the text states it and every statement
    agrees (a review of human and rat studies states none), else None. A miRNA the vesicles
    carry is that species' miRNA, whatever animal the model is.

    >>> source_species("Human umbilical cord MSC-EVs were given to rats.")
    'ncbitaxon:9606'
    >>> source_species("hUCMSC-Exos reduced fibrosis in mice"), source_species("EVs in rats")
    ('ncbitaxon:9606', None)
    >>> source_species("human BMSC-EVs in one study, rat BMSC-EVs in another") is None
    True
    """
    stated = {
        _WORD_SPECIES.get((found["word"] or "").lower() or found["letter"])
        for found in _SOURCE_SPECIES.finditer(text)
    }
    stated.discard(None)
    return stated.pop() if len(stated) == 1 else None


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
    tissues = {
        curie
        for m in mentions
        if m.kind == EntityKind.EV_SOURCE.value
        for curie in m.curies[:1]
        if _is_msc_tissue(curie)
    }
    specific = next(iter(tissues)) if len(tissues) == 1 else None
    source = _most_common(mentions, EntityKind.EV_SOURCE) if is_ev else None
    if source == GENERIC_MSC and specific:
        source = specific
    return DocumentContext(
        is_ev=is_ev,
        ev_source=source,
        specific_source=specific,
        species=species,
        route=_most_common(mentions, EntityKind.ROUTE) if is_ev else None,
        model=_most_common(mentions, EntityKind.MODEL),
        level=level,
    )


def citations(sentence: str) -> list[str]:
    """Reference numbers a sentence cites with bracketed numbers, ranges expanded.

    >>> citations("EVs heal the heart[5,7-9]; see also [12].")
    ['5', '7', '8', '9', '12']
    """
    numbers: list[str] = []
    for match in _CITATION.finditer(sentence):
        for part in match["numbers"].split(","):
            span = re.fullmatch(r"\s*(\d+)\s*[–-]\s*(\d+)\s*", part)
            if span is None:
                numbers.append(part.strip())
                continue
            low, high = int(span[1]), int(span[2])
            if 0 <= high - low < _MAX_CITED:
                numbers.extend(str(n) for n in range(low, high + 1))
            else:
                numbers.extend((str(low), str(high)))
    return list(dict.fromkeys(numbers))


@dataclass(frozen=True, slots=True)
class DiscourseDisease:
    """A disease a statement is about although the sentence does not name it."""

    curie: str
    origin: str  # for the curator: where the disease came from


@dataclass
class Discourse:
    """Document structure around a sentence: the disease its section heading names, and
    the diseases of the cited works' titles.

    ``diseases_of`` recognises the diseases of a short text (a heading, a title) as
    (start, end, curie) spans; ``cited`` maps reference numbers to titles.
    """

    diseases_of: Callable[[str], list[tuple[int, int, str]]]
    cited: Mapping[str, str]
    _headings: dict[str, str | None] = field(default_factory=dict)
    _titles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def disease_for(self, section: str, sentence: str) -> DiscourseDisease | None:
        """The sentence's disease from its section heading, else from the titles of the
        works it cites (when they name one disease between them)."""
        if CITED_SECTION.search(section):
            return None  # a cited title is a statement of its own
        heading = self._heading_disease(section)
        if heading:
            return DiscourseDisease(heading, f"disease from the section heading {section!r}")
        numbers = [n for n in citations(sentence) if n in self.cited]
        diseases = {c: n for n in numbers for c in self._title_diseases(n)}
        if len(diseases) == 1:
            ((curie, number),) = diseases.items()
            return DiscourseDisease(curie, f"disease from the title of cited reference [{number}]")
        return None

    def _heading_disease(self, heading: str) -> str | None:
        """The one disease a heading is about: a disease name covering most of it."""
        if heading not in self._headings:
            found = self.diseases_of(heading)
            letters = sum(ch.isalnum() for ch in heading)
            covered = sum(sum(ch.isalnum() for ch in heading[start:end]) for start, end, _ in found)
            curies = {curie for _, _, curie in found}
            self._headings[heading] = (
                curies.pop() if len(curies) == 1 and covered >= 0.6 * letters else None
            )
        return self._headings[heading]

    def _title_diseases(self, number: str) -> tuple[str, ...]:
        if number not in self._titles:
            found = self.diseases_of(self.cited[number])
            self._titles[number] = tuple(dict.fromkeys(curie for _, _, curie in found))
        return self._titles[number]


def sentence_species(text: str, document: str) -> str:
    """The miRNA species of one sentence: its own EV source's, else the document's."""
    stated = source_species(text) if "SC" in text or "stem" in text or "stromal" in text else None
    return mirna_species(stated) if stated else document

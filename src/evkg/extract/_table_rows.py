"""Reading one row of a table: the names of each cell by its column's role, a row whose
cells ran together by what its names are, and the direction words of its cells.

Kept apart from :mod:`evkg.extract.tables`, which turns what a row names into claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from evkg.extract._sentence_mentions import relation_mentions
from evkg.extract.ner import EV, Mention, Recognizer
from evkg.extract.relations import PairVerdict, classify_agent_pathway, classify_regulation
from evkg.model import EntityKind, Predicate
from evkg.vocab import Vocabulary
from evkg.vocab.columns import ColumnRole

__all__ = [
    "CANCER",
    "Regulation",
    "Row",
    "RowReader",
    "Stated",
    "citations",
    "clean_cell",
    "disease_direction",
    "footnote_abbreviations",
    "gene_direction",
    "pathway_direction",
]

_MIRNA = EntityKind.MIRNA.value
_CARGO = EntityKind.CARGO.value
_GENE = EntityKind.GENE.value
_DISEASE = EntityKind.DISEASE.value
_SOURCE = EntityKind.EV_SOURCE.value
_PATHWAY = EntityKind.PATHWAY.value
_PROCESS = EntityKind.PROCESS.value
_SPECIES = EntityKind.SPECIES.value

#: Citation numbers and footnote markers printed in cells: "[18]", "[18, 19]", "(18–20)",
#: superscript digits and letters, daggers.
_CITATION = re.compile(
    r"\s*\[\s*\d{1,4}(?:\s*[,–-]\s*\d{1,4})*\s*\]|\s*\(\s*\d{1,4}(?:\s*[,–-]\s*\d{1,4})*\s*\)"
    r"|[⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈ†‡§¶]+"
)
_NUMBERS = re.compile(r"\d{1,4}")


def clean_cell(text: str) -> str:
    """A cell's text without citation numbers and footnote markers.

    >>> clean_cell("miR-21-5p[18, 19]"), clean_cell("PTEN (23)"), clean_cell("IRAK1↓, NF-κB↓")
    ('miR-21-5p', 'PTEN', 'IRAK1 ↓, NF-κB ↓')
    """
    spaced = re.sub(r"(?<=\S)(?=[↑↓])|(?<=[↑↓])(?=\w)", " ", _CITATION.sub("", text))
    return " ".join(spaced.split())  # "IRAK1↓": an arrow glued to a name hides it


def citations(cells: Sequence[str]) -> str | None:
    found = [n for cell in cells for m in _CITATION.finditer(cell) for n in _NUMBERS.findall(m[0])]
    return ",".join(dict.fromkeys(found)) or None


# -- directions --------------------------------------------------------------------------
_UP = re.compile(
    r"↑|\bup-?regulat\w*|\bincreas\w*|\bactivat\w*|\bpromot\w*|\benhanc\w*|\binduc\w*|"
    r"\bstimulat\w*|\belevat\w*|\brestor\w*|\bover-?express\w*",
    re.IGNORECASE,
)
_DOWN = re.compile(
    r"↓|\bdown-?regulat\w*|\bdecreas\w*|\binhibit\w*|\bsuppress\w*|\breduc\w*|\brepress\w*|"
    r"\bblock\w*|\bsilenc\w*|\binactivat\w*|\battenuat\w*|\bdegrad\w*|\bknock\w*|\btarget\w*",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(?:aggravat|exacerbat|worsen|deteriorat|impair)\w*|"
    r"(?:↑|\b(?:promot|enhanc|increas|accelerat|induc|facilitat|stimulat|driv)\w*)\s+"
    r"(?:\w+\s+){0,2}?(?:tumou?r|cancer|metasta|invasion|progression|malignan|chemoresist|"
    r"resistance|migration\s+of\s+(?:tumou?r|cancer))\w*",
    re.IGNORECASE,
)
_BENEFIT = re.compile(
    r"↓|↑|\b(?:attenuat|alleviat|ameliorat|improv|protect|cardioprotect|neuroprotect|reduc|"
    r"decreas|inhibit|suppress|prevent|restor|repair|regenerat|heal|relie|mitigat|rescu|"
    r"revers|preserv|promot|enhanc|accelerat|increas|facilitat|therap|treat|benefi|recover|"
    r"limit|lower|block|abrogat|anti-\w+|shrink|smaller|fewer|less)\w*",
    re.IGNORECASE,
)
_NO_EFFECT = re.compile(
    r"\b(?:no\s+(?:significant\s+)?(?:effect|benefit|change|improvement)|did\s+not|"
    r"failed\s+to|ineffective|unchanged|no\s+difference)\b",
    re.IGNORECASE,
)
CANCER = re.compile(
    r"cancer|carcinoma|tumou?r|\w+oma\b|leuka?emia|malignan|neoplas|metasta", re.IGNORECASE
)


_TUMOUR_WORDS = (
    r"(?:\w+\s+){0,3}?(?:growth|prolifer|migrat|invas|metasta|progress|aggressiv|resist|"
    r"surviv|stem|angiogen|tumou?r|cancer|malignan)\w*"
)
_CANCER_GROWTH = re.compile(
    r"↑|\b(?:promot|support|enhanc|accelerat|facilitat|stimulat|increas|induc|confer|driv|"
    r"favou?r|boost|elevat)\w*\s+(?:of\s+)?" + _TUMOUR_WORDS,
    re.IGNORECASE,
)
_CANCER_HELD = re.compile(
    r"↓|\b(?:inhibit|suppress|reduc|decreas|slow|block|attenuat|impair|limit|prevent|"
    r"restrain|arrest|sensiti[sz])\w*\s+(?:of\s+)?" + _TUMOUR_WORDS,
    re.IGNORECASE,
)


def gene_direction(text: str) -> tuple[Predicate, str, bool]:
    """How a cargo acts on its gene target, from the words of the target's cell: down by
    default (a miRNA represses its targets), up with "↑", "upregulated", "activated"."""
    up, down = _UP.search(text), _DOWN.search(text)
    if up and not (down and down.start() < up.start()):
        return Predicate.REGULATES_UP, up[0], True
    if down:
        return Predicate.REGULATES_DOWN, down[0], True
    return Predicate.REGULATES_DOWN, "table row", False


def pathway_direction(text: str) -> tuple[Predicate, str]:
    up, down = _UP.search(text), _DOWN.search(text)
    if down and not (up and up.start() < down.start()):
        return Predicate.INHIBITS, down[0]
    if up:
        return Predicate.ACTIVATES, up[0]
    return Predicate.MODULATES, "table row"


def disease_direction(effect: str, cancer: bool) -> tuple[Predicate, str, bool]:
    """What an agent does to the row's disease, from the effect's words: harm for harmful
    wording (and for growth words said of a cancer), no effect when denied, else benefit
    (a review's table of EV therapies lists what they treat)."""
    denied = _NO_EFFECT.search(effect)
    if denied:
        return Predicate.NO_EFFECT_ON, denied[0], True
    harm = _HARM.search(effect)
    if harm:
        return Predicate.WORSENS, harm[0], True
    if cancer:  # what helps a tumour grow is harm, what holds it back a benefit
        growth = _CANCER_GROWTH.search(effect)
        held = _CANCER_HELD.search(effect)
        if growth and not (held and held.start() < growth.start()):
            return Predicate.WORSENS, growth[0], True
        if held:
            return Predicate.TREATS, held[0], True
    benefit = _BENEFIT.search(effect)
    if benefit:
        return Predicate.TREATS, benefit[0], True
    return Predicate.TREATS, "table row", False


# -- reading rows --------------------------------------------------------------------------
#: "MI, myocardial infarction; BM-MSC: bone marrow MSC" in a table's footnote.
_GLOSSED = re.compile(r"^\s*(?P<short>[^\s,:;=]{2,12})\s*[,:=]\s*(?P<long>[^,:;=]{3,80})$")


def footnote_abbreviations(notes: Iterable[str]) -> list[tuple[str, str]]:
    """Abbreviations a table's footnotes define (short form, long form).

    >>> footnote_abbreviations(["Abbreviations: MI, myocardial infarction; AKI: kidney injury."])
    [('MI', 'myocardial infarction'), ('AKI', 'kidney injury')]
    """
    found = []
    for note in notes:
        body = re.sub(r"^\s*abbreviations?\s*[:.]?\s*", "", note, flags=re.IGNORECASE)
        for piece in re.split(r"[;.](?:\s|$)", body):
            glossed = _GLOSSED.match(piece)
            if glossed and any(c.isupper() for c in glossed["short"]):
                found.append((glossed["short"], glossed["long"].strip()))
    return found


@dataclass(frozen=True, slots=True)
class Stated:
    """A regulation a row states in words ("miR-16-5p Down-regulate integrin α2")."""

    agent: Mention
    target: Mention
    predicate: Predicate
    trigger: str
    strong: bool


@dataclass
class Row:
    """The names of one row, by role. ``targets`` come from a target column (read without
    a verb); ``stated`` are regulations the row's words state where there is none."""

    sources: list[Mention] = field(default_factory=list)
    cargo: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)
    stated: list[Stated] = field(default_factory=list)
    diseases: list[Mention] = field(default_factory=list)
    species: list[Mention] = field(default_factory=list)
    target_text: str = ""
    effect_text: str = ""
    spanned: bool = False  # the disease came from the row above (a spanning cell)
    #: the cargo cell and the target cell list as many names, one under the other
    #: ("miR-152-3p let-7i-5p" | "Atg12 FasL"): the n-th target is the n-th cargo's
    paired: bool = False


#: What may stand between two targets of one cell ("PTEN, FasL", "SORBS2/PDLIM5 pathway").
_TARGET_GAP = re.compile(
    r"^[\s,;/&↑↓+()-]*(?:(?:and|or|pathways?|signal\w*|axis|cascade|expression|mRNA)"
    r"[\s,;/&↑↓+()-]*)*$",
    re.IGNORECASE,
)


def _named_target(mention: Mention) -> bool:
    """A gene, or a pathway named as one ("PI3K/Akt", "Wnt signaling"), not a process word
    of an effect's wording that a pathway happens to share ("angiogenesis", "autophagy")."""
    return mention.kind == _GENE or bool(
        re.search(r"pathway|signal|axis|cascade|/", mention.text, re.I)
        or re.search(r"[A-Z]{2}|\d", mention.text)
    )


_SILENCED = re.compile(r"\b(?:si|sh)RNA|knock\w*|silenc\w*|against|anti-|inhibit\w*", re.I)


def _follows(text: str, before: list[Mention], mention: Mention) -> bool:
    """``mention`` comes within three words after one of ``before`` (or starts the row),
    and is not named as what is silenced ("siRNA Knockdown of Survivin")."""
    ends = [m.end for m in before if m.end <= mention.start]
    gap = text[max(ends) if ends else 0 : mention.start]
    return len(gap.split()) <= 3 and not _SILENCED.search(gap)


def _target_run(text: str, genes: list[Mention], start: int) -> list[Mention]:
    """The targets of a row's target cell where its cells ran together: the first gene or
    pathway after the cargo (within six words: a cell of source cells may come between)
    and those joined to it by list punctuation only; later names are the effect's words."""
    if not genes or len(text[start : genes[0].start].split()) > 6:
        return []
    run = [genes[0]]
    for gene in genes[1:]:
        if not _TARGET_GAP.match(text[run[-1].end : gene.start]):
            break
        run.append(gene)
    return run


def _kinds(mentions: list[Mention], *kinds: str) -> list[Mention]:
    return [m for m in mentions if m.kind in kinds and m.curie]


#: Decides a miRNA → gene regulation in a sentence (the extractor's classifier).
Regulation = Callable[..., PairVerdict | None]


def _stated(
    text: str, agents: list[Mention], mentions: list[Mention], regulation: Regulation | None
) -> list[Stated]:
    """Regulations of genes, pathways and processes the row's words state, read by the
    sentence rules (a miRNA's by the extractor's classifier) over the row's text."""
    found = []
    for agent in agents:
        for other in mentions:
            if other.start < agent.end or other.kind not in (_GENE, _PATHWAY):
                continue
            a, b = (agent.start, agent.end), (other.start, other.end)
            if other.kind == _GENE:
                between = sum(
                    1 for m in mentions if m.kind in (_GENE, _MIRNA) and a[1] <= m.start < b[0]
                )
                if agent.kind == _MIRNA and regulation is not None:
                    others = [
                        (m.start, m.end, m.kind)
                        for m in mentions
                        if m.kind in (_GENE, _MIRNA) and m is not other and m.start != a[0]
                    ]
                    verdict = regulation(text, a, b, between_entities=between, others=others)
                else:
                    verdict = classify_regulation(text, a, b, between_entities=between)
            else:
                verdict = classify_agent_pathway(text, a, b)
            if verdict is not None and not verdict.negated:
                found.append(
                    Stated(agent, other, verdict.predicate, verdict.trigger, verdict.strong)
                )
    return found


@dataclass(frozen=True)
class RowReader:
    recognizer: Recognizer
    vocabulary: Vocabulary
    species: str
    abbreviations: tuple[tuple[str, str], ...] = ()
    regulation: Regulation | None = None

    def mentions(self, text: str) -> list[Mention]:
        found = self.recognizer.mentions(
            text, species=self.species, abbreviations=self.abbreviations
        )
        return relation_mentions(self.vocabulary, text, found)

    def targets(self, text: str, found: list[Mention]) -> list[Mention]:
        """Genes and pathways of a target cell: each gene of a chain ("PTEN/Akt pathway",
        "TLR4/NF-κB/STAT3") is a target of its own, as a table lists them, where the
        sentence rules read the chain as one pathway."""
        genes = [
            m
            for m in self.recognizer.mentions(text, species=self.species)
            if m.kind == _GENE and m.curie
        ]
        pathways = [
            m
            for m in _kinds(found, _PATHWAY)
            if _named_target(m) and not any(m.start <= g.start < m.end for g in genes)
        ]
        return sorted(genes + pathways, key=lambda m: m.start)

    def cells(self, roles: Sequence[ColumnRole | None], cells: Sequence[str]) -> Row:
        """A row whose cells are known: each read for the names of its column's role."""
        row = Row()
        spare_genes: list[Mention] = []
        for role, cell in zip(roles, cells, strict=False):
            if not cell or role in (None, "reference"):
                continue
            found = self.mentions(cell)
            row.species += _kinds(found, _SPECIES)
            if role == "source":
                row.sources += _kinds(found, _SOURCE)
                row.cargo += _kinds(found, _MIRNA, _CARGO)
            elif role == "cargo":
                cargo = _kinds(found, _MIRNA, _CARGO)
                row.cargo += cargo or _kinds(found, _GENE)
                row.sources += _kinds(found, _SOURCE)
                if cargo:
                    spare_genes += _kinds(found, _GENE)
            elif role == "target":
                row.targets += self.targets(cell, found)
                row.target_text += " " + cell
            elif role == "disease":
                row.diseases += _kinds(found, _DISEASE)
            elif role == "effect":
                row.effect_text += " " + cell  # its diseases are outcomes, not the row's
            else:
                row.sources += [] if row.sources else _kinds(found, _SOURCE)
        if not row.targets:
            row.targets = spare_genes  # "miR-21/PTEN" in the cargo column
        listed = [c for r, c in zip(roles, cells, strict=False) if r in ("cargo", "target")]
        row.paired = (
            len(row.cargo) == len(row.targets) >= 2
            and len(listed) == 2
            and not any(re.search(r",|;|/|\band\b", c) for c in listed)
        )
        if "target" not in roles and row.cargo and row.effect_text:
            # no target column: what the effect's words say of the cargo ("Inhibit X")
            for item in row.cargo:
                text = f"{item.text} {row.effect_text.strip()}"
                head = Mention(0, len(item.text), item.text, item.kind, item.curies)
                row.stated += [
                    Stated(item, s.target, s.predicate, s.trigger, s.strong)
                    for s in _stated(text, [head], self.mentions(text), self.regulation)
                ]
        return row

    def whole(self, roles: Sequence[ColumnRole | None], text: str) -> Row:
        """A row whose cells ran together: its names read by kind, in the header's order.
        Genes and pathways after the cargo are its targets when the table has a target
        column after its cargo column; a gene first is the cargo only in a table with a
        cargo column and a row that names no miRNA or other cargo (even one unresolved);
        without a target column none are read: where the cells ran together, the
        effect's words cannot be told from the other cells'."""
        found = self.mentions(text)
        row = Row(
            sources=_kinds(found, _SOURCE),
            cargo=_kinds(found, _MIRNA, _CARGO),
            diseases=_kinds(found, _DISEASE),
            species=_kinds(found, _SPECIES),
            effect_text=text,
            target_text=text,
        )
        genes = self.targets(text, found)
        named_cargo = any(m.kind in (_MIRNA, _CARGO) for m in found)
        vesicles = [m for m in found if m.kind in (_SOURCE, EV)]
        if (
            not named_cargo
            and genes
            and "cargo" in roles
            and genes[0].kind == _GENE
            and _follows(text, vesicles, genes[0])
        ):
            row.cargo, genes = genes[:1], genes[1:]  # "HucMSC-derived EVs Wnt4 …"
        order = list(roles)
        if "target" in order and (
            "cargo" not in order or order.index("cargo") < order.index("target")
        ):
            start = max(c.end for c in row.cargo) if row.cargo else 0
            row.targets = _target_run(text, [g for g in genes if g.start >= start], start)
            # the direction of the target cell: an arrow or word right by it ("TP53 ↓"),
            # not the effect's words that follow
            row.target_text = (
                text[row.targets[0].start : row.targets[-1].end + 2] if row.targets else ""
            )
        if "disease" in order:
            # the disease column's name is the row's first (before the cargo when that
            # column comes first); later ones are the effect's outcomes ("Kidney damage
            # miR-186-5p … attenuates renal fibrosis")
            if row.cargo and "cargo" in order and order.index("disease") < order.index("cargo"):
                row.diseases = [d for d in row.diseases if d.end <= row.cargo[0].start]
            row.diseases = row.diseases[:1]
        else:
            row.diseases = []  # outcomes of the effect, not the row's disease
        return row

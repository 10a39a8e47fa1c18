"""The molecular form of a cargo named by a gene ("exosomal lncRNA H19", "VEGF mRNA",
"circHIPK3", "TSG-6 protein", "siRNA against PLK1"), circRNAs named by their host gene, and
the sponge relation of a circRNA or lncRNA with the miRNA it binds ("circHIPK3 sponges
miR-421", "H19 acts as a sponge for miR-22").

A gene mention with no such word is protein cargo, as before; miRNAs are miRNA cargo; the
vocabulary's own cargo terms take their form from their name ("PLK1 siRNA") or, for a small
molecule, from loading wording around it ("loaded with paclitaxel", "doxorubicin-loaded").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evkg.extract.ner import Mention
from evkg.extract.relations import PairVerdict, is_negated
from evkg.model import CargoType, EntityKind, Predicate
from evkg.vocab import Vocabulary

__all__ = [
    "RNA_FORMS",
    "cargo_forms",
    "circular_rna_mentions",
    "classify_sponge",
    "sponge_pairs",
]

_GENE = EntityKind.GENE.value
_MIRNA = EntityKind.MIRNA.value
_CARGO = EntityKind.CARGO.value

#: Forms whose gene name is an RNA the vesicles carry, not the protein (no regulation).
RNA_FORMS = frozenset({CargoType.MRNA, CargoType.LNCRNA, CargoType.CIRCRNA, CargoType.SIRNA})
_SPONGE_FORMS = frozenset({CargoType.LNCRNA, CargoType.CIRCRNA})
#: Sentences without any of these words have only the default forms.
_FORM_WORDS = re.compile(r"RNA|circ|protein|transcript|ceRNA|spong", re.IGNORECASE)

_BEFORE = (
    (re.compile(r"\b(?:lncRNA|lnc-?RNA|long\s+non-?coding\s+RNA)s?\s*[-_]?\s*$", re.I), "lnc"),
    (re.compile(r"\b(?:circRNA|circ-?RNA|circular\s+RNA)s?\s*[-_]?\s*$", re.I), "circ"),
    (re.compile(r"\b(?:si|sh)RNAs?\s+(?:against|targeting|for|of)?\s*$", re.I), "si"),
    (re.compile(r"\bmRNAs?\s+(?:of|for|encoding)\s+$", re.I), "m"),
)
_AFTER = (
    (re.compile(r"^\s*-?\s*(?:mRNA|transcripts?)\b", re.I), "m"),
    (re.compile(r"^\s*-?\s*lncRNA\b", re.I), "lnc"),
    (re.compile(r"^\s*-?\s*circRNA\b", re.I), "circ"),
    (re.compile(r"^\s*-?\s*(?:si|sh)RNA\b", re.I), "si"),
    (re.compile(r"^\s*-?\s*protein\b", re.I), "protein"),
)
_FORMS = {
    "lnc": CargoType.LNCRNA,
    "circ": CargoType.CIRCRNA,
    "si": CargoType.SIRNA,
    "m": CargoType.MRNA,
    "protein": CargoType.PROTEIN,
}
#: "circHIPK3", "circ-HIPK3", "circRNA_HIPK3", "circ_SCMH1": the host gene's symbol.
_CIRCULAR = re.compile(r"\bcirc(?:RNA)?[-_]?(?P<gene>[A-Z][A-Z0-9]{1,11})\b")
_SPONGE = re.compile(
    r"\b(?:spong\w*|ceRNA|competing\s+endogenous\s+RNA|competitively\s+bind\w*|"
    r"adsorb\w*|sequester\w*|decoy)\b",
    re.IGNORECASE,
)


def circular_rna_mentions(
    vocabulary: Vocabulary, text: str, mentions: list[Mention]
) -> list[Mention]:
    """Mentions with each circRNA named by its host gene ("circHIPK3") added as that gene
    (its form is circRNA, see :func:`cargo_forms`)."""
    if "circ" not in text:
        return mentions
    added: list[Mention] = []
    for found in _CIRCULAR.finditer(text):
        if any(m.start < found.end() and found.start() < m.end for m in mentions):
            continue
        hit = vocabulary.gene(found["gene"])
        if hit is not None:
            added.append(
                Mention(found.start(), found.end(), found.group(0), _GENE, hit.curies, "pattern")
            )
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def cargo_forms(
    vocabulary: Vocabulary, text: str, mentions: Sequence[Mention]
) -> dict[int, CargoType]:
    """The form of each gene, miRNA and cargo mention (by ``id``), from the words around
    it; genes with none are protein.

    >>> from evkg.vocab import load_vocabulary
    >>> text = "Exosomal lncRNA H19 and VEGF mRNA rose."
    >>> h19, vegf = Mention(16, 19, "H19", "gene", ()), Mention(24, 28, "VEGF", "gene", ())
    >>> forms = cargo_forms(load_vocabulary(), text, [h19, vegf])
    >>> forms[id(h19)].value, forms[id(vegf)].value
    ('lncRNA', 'mRNA')
    """
    forms: dict[int, CargoType] = {}
    worded = _FORM_WORDS.search(text) is not None
    for mention in mentions:
        if mention.kind == _MIRNA:
            forms[id(mention)] = CargoType.MIRNA
        elif mention.kind == _GENE:
            forms[id(mention)] = _gene_form(text, mention) if worded else CargoType.PROTEIN
        elif mention.kind == _CARGO and mention.curie:
            form = _term_form(vocabulary, mention.curie) or _loaded_drug(text, mention)
            if form is not None:
                forms[id(mention)] = form
    return forms


def _gene_form(text: str, mention: Mention) -> CargoType:
    if mention.how == "pattern" and mention.text.lower().startswith("circ"):
        return CargoType.CIRCRNA
    before = text[max(0, mention.start - 40) : mention.start]
    for pattern, form in _BEFORE:
        if pattern.search(before):
            return _FORMS[form]
    after = text[mention.end : mention.end + 20]
    for pattern, form in _AFTER:
        if pattern.match(after):
            return _FORMS[form]
    return CargoType.PROTEIN


def _term_form(vocabulary: Vocabulary, curie: str) -> CargoType | None:
    entry = vocabulary.lexicon.get(curie)
    if entry is None:
        return None
    label = entry.label
    if re.search(r"\b(?:si|sh)RNA\b|^si-", label):
        return CargoType.SIRNA
    if re.search(r"^(?:hsa_)?circ", label, re.IGNORECASE):
        return CargoType.CIRCRNA
    if re.search(r"\bmRNA\b", label):
        return CargoType.MRNA
    if re.search(r"\bpeptide\b", label):
        return CargoType.PEPTIDE
    return None


#: A cargo loaded as a drug: "loaded with X", "encapsulating X", "X-loaded", "the drug X".
_DRUG_BEFORE = re.compile(
    r"\b(?:loaded\s+with|load\w*|encapsulat\w*|incorporat\w*|drugs?|chemotherap\w*|"
    r"cytotoxic)\s+(?:the\s+)?(?:drug\s+)?$",
    re.IGNORECASE,
)
_DRUG_AFTER = re.compile(r"^\s*-?\s*(?:loaded|encapsulated|laden)\b", re.IGNORECASE)


def _loaded_drug(text: str, mention: Mention) -> CargoType | None:
    before = text[max(0, mention.start - 30) : mention.start]
    after = text[mention.end : mention.end + 15]
    if _DRUG_BEFORE.search(before) or _DRUG_AFTER.match(after):
        return CargoType.DRUG
    return None


def classify_sponge(
    sentence: str, rna: tuple[int, int], mirna: tuple[int, int]
) -> PairVerdict | None:
    """Does the circRNA or lncRNA at ``rna`` sponge the miRNA at ``mirna`` ("circHIPK3
    sponges miR-421", "H19 acted as a ceRNA of miR-22", "miR-22 sponged by MALAT1")?

    >>> classify_sponge("circHIPK3 sponges miR-421.", (0, 9), (18, 25)).predicate.value
    'sponges'
    """
    low, high = min(rna[1], mirna[1]), max(rna[0], mirna[0])
    between = sentence[low:high]
    if len(between.split()) > 8 or re.search(r"[;.]\s", between):
        return None
    found = _SPONGE.search(between)
    if found is None:
        return None
    return PairVerdict(Predicate.SPONGES, found.group(0), is_negated(between), True)


def sponge_pairs(
    text: str, mentions: Sequence[Mention], forms: dict[int, CargoType]
) -> list[tuple[Mention, Mention, PairVerdict]]:
    """(circRNA or lncRNA, miRNA, verdict) for each sponge relation the sentence states; a
    sponged miRNA is held back, not credited with what the sponge does."""
    rnas = [m for m in mentions if forms.get(id(m)) in _SPONGE_FORMS and m.curie]
    if not rnas or _SPONGE.search(text) is None:
        return []
    pairs = []
    for rna in rnas:
        for mirna in mentions:
            if mirna.kind != _MIRNA:
                continue
            verdict = classify_sponge(text, (rna.start, rna.end), (mirna.start, mirna.end))
            if verdict is not None and not verdict.negated:
                pairs.append((rna, mirna, verdict))
    return pairs

"""What the relation stage makes of one sentence's mentions, beyond recognition: gene names
used for pathways, diseases made specific (qualifiers, adjectives, the most specific of
nested terms, pathologic processes set apart), cargo named by loading terms, and the cargo
of a vesicle's noun phrase (``GDF-15-containing EVs``).

Kept apart from :mod:`evkg.extract.ner` on purpose: corpora such as SCAI annotate a gene
named for its pathway as a gene, so recognition stays literal and these readings apply
only where claims are made.
"""

from __future__ import annotations

import itertools
import re
import weakref

from evkg.extract._disease_words import (
    bare_adjectives,
    damaged_organs,
    inflamed_organs,
    itis_names,
)
from evkg.extract._gene_products import gene_products, silencing_rna
from evkg.extract._modelled_diseases import modelled_diseases
from evkg.extract._pathway_uses import pathway_uses
from evkg.extract.ner import EV, Mention
from evkg.extract.relations import vesicle_binding
from evkg.model import EntityKind
from evkg.vocab import Vocabulary

__all__ = [
    "disease_ancestors",
    "disease_modifiers",
    "relation_mentions",
    "respective_targets",
    "specific_diseases",
    "vesicle_cargo",
]

_CARGO_KINDS = {EntityKind.MIRNA.value, EntityKind.CARGO.value}
_GENE = EntityKind.GENE.value
_DISEASE = EntityKind.DISEASE.value
_MODIFICATION = EntityKind.MODIFICATION.value
_PROCESS = EntityKind.PROCESS.value


def relation_mentions(vocabulary: Vocabulary, text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions of ``text`` as the relation rules should read them."""
    found = gene_products(vocabulary, modelled_diseases(vocabulary, mentions))
    found = pathway_uses(vocabulary, text, silencing_rna(vocabulary, text, found))
    found = inflamed_organs(vocabulary, text, bare_adjectives(text, found))
    found = damaged_organs(vocabulary, text, found)
    found = _named_cargo(vocabulary, _disease_adjectives(vocabulary, text, found))
    return specific_diseases(vocabulary, _disease_phrases(vocabulary, text, found))


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def respective_targets(text: str, mentions: list[Mention]) -> dict[int, int]:
    """``id`` of each miRNA → ``id`` of its gene, when the sentence pairs as many miRNAs
    with as many genes after them "respectively" (``miR-182-5p and miR-23a-3p …,
    respectively, target Ikbkb and Usp5``); empty otherwise."""
    if not _RESPECTIVELY.search(text):
        return {}
    mirnas = [m for m in mentions if m.kind == EntityKind.MIRNA.value]
    if len(mirnas) < 2:
        return {}
    genes: list[Mention] = []
    for gene in (m for m in mentions if m.kind == _GENE and m.start > mirnas[-1].end):
        if not genes or genes[-1].curie != gene.curie:  # "TGF-β receptor II (TGFBR2)"
            genes.append(gene)
    if len(genes) != len(mirnas):
        return {}
    return {id(mirna): id(gene) for mirna, gene in zip(mirnas, genes, strict=True)}


#: How far apart (characters) a vesicle mention and a cargo of its noun phrase can be.
_BINDING_REACH = 80

#: Head nouns that name no disease in particular ("disease symptoms", "a syndrome").
_GENERIC_DISEASE_WORDS = frozenset(
    ["disease", "diseases", "disorder", "disorders", "syndrome", "syndromes", "illness"]
)
#: Ancestors of diseases, per vocabulary (dropped with it).
_ANCESTORS: weakref.WeakKeyDictionary[Vocabulary, dict[str, frozenset[str]]] = (
    weakref.WeakKeyDictionary()
)


def vesicle_cargo(text: str, mentions: list[Mention]) -> dict[int, list[Mention]]:
    """Cargo named in a vesicle mention's noun phrase (``GDF-15-containing BMSC-EVs``,
    ``EVs enriched with VEGF``), by ``id`` of the vesicle (EV or EV source) mention.
    EV source names between the two are blanked out before the wording is read."""
    blanked = list(text)
    for m in mentions:
        if m.kind == EntityKind.EV_SOURCE.value:
            blanked[m.start : m.end] = " " * (m.end - m.start)
    plain = "".join(blanked)
    bound: dict[int, list[Mention]] = {}
    vesicles = [m for m in mentions if m.kind in (EV, EntityKind.EV_SOURCE.value)]
    for index, cargo in enumerate(mentions):
        if cargo.kind not in _CARGO_KINDS and cargo.kind != _GENE:
            continue
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if (
            following is not None
            and following.kind in (_GENE, *_CARGO_KINDS)
            and not text[cargo.end : following.start].strip()
        ):
            continue  # "the osteoprotegerin CLEC11A": a descriptor before the name
        for vesicle in vesicles:
            gap = max(vesicle.start - cargo.end, cargo.start - vesicle.end)
            if gap > _BINDING_REACH:
                continue
            if vesicle_binding(plain, (vesicle.start, vesicle.end), (cargo.start, cargo.end)):
                bound.setdefault(id(vesicle), []).append(cargo)
    # "hucMSC-EVs enriched for X": the source named in the vesicle phrase binds X too
    for source, vesicle in itertools.pairwise(mentions):
        if (
            source.kind == EntityKind.EV_SOURCE.value
            and vesicle.kind == EV
            and id(vesicle) in bound
            and _SOURCE_JOINED.match(text[source.end : vesicle.start])
        ):
            for cargo in bound[id(vesicle)]:
                if cargo not in bound.setdefault(id(source), []):
                    bound[id(source)].append(cargo)
    return bound


_SOURCE_JOINED = re.compile(r"^[\s-]*(?:derived\s+)?$", re.I)


#: "sepsis-associated AKI"; not "asthma induced by ovalbumin sensitization" (a passive: the
#: disease named first is the one induced).
_MODIFIER = re.compile(
    r"^\s*-?\s*(?:associated|induced|related|mediated|dependent)\b(?!\s+(?:by|with)\b)", re.I
)


def disease_modifiers(text: str, mentions: list[Mention]) -> set[int]:
    """Disease mentions that only qualify the next disease (``sepsis`` in
    ``sepsis-associated AKI``): the outcome concerns the qualified disease."""
    diseases = [m for m in mentions if m.kind == _DISEASE]
    return {
        id(first)
        for first, second in itertools.pairwise(diseases)
        if _MODIFIER.match(text[first.end : second.start])
        and len(text[first.end : second.start].split()) <= 2
    }


def specific_diseases(vocabulary: Vocabulary, mentions: list[Mention]) -> list[Mention]:
    """The diseases a sentence is specific about: a bare generic word (``disease``) names
    none, and a disease that is an ancestor of another one in the same sentence (``tumor``
    beside ``colorectal cancer``) yields to the specific one."""
    mentions = [_process_or_disease(vocabulary, m) for m in mentions]
    diseases = [m for m in mentions if m.kind == _DISEASE and m.curie]
    if not diseases:
        return mentions
    generic = {
        m.curie
        for m in diseases
        if m.text.lower() in _GENERIC_DISEASE_WORDS
        or vocabulary.lexicon.label(m.curie or "").lower() in _GENERIC_DISEASE_WORDS
    }
    named = {m.curie for m in diseases} - generic
    broader = {a for curie in named for a in disease_ancestors(vocabulary, curie or "")}
    return [
        m
        for m in mentions
        if m.kind != _DISEASE or (m.curie not in generic and m.curie not in broader)
    ]


def _process_or_disease(vocabulary: Vocabulary, mention: Mention) -> Mention:
    """A MeSH "pathologic process" (tree C23.550: inflammation, fibrosis, necrosis) is a
    process an agent can inhibit, not a disease it treats."""
    if mention.kind != _DISEASE or not mention.curie:
        return mention
    entry = vocabulary.lexicon.get(mention.curie)
    trees = [value for name, value in entry.attributes if name == "tree"] if entry else []
    if trees and all(tree.startswith("C23.550") for tree in trees):
        return Mention(
            mention.start, mention.end, mention.text, _PROCESS, mention.curies, mention.how
        )
    return mention


def disease_ancestors(vocabulary: Vocabulary, curie: str) -> frozenset[str]:
    """Every ``is_a`` ancestor of a disease in the vocabulary (cached per process)."""
    cache = _ANCESTORS.setdefault(vocabulary, {})
    cached = cache.get(curie)
    if cached is not None:
        return cached
    seen: set[str] = set()
    todo = [curie]
    while todo:
        entry = vocabulary.lexicon.get(todo.pop())
        if entry is None:
            continue
        for name, value in entry.attributes:
            if name == "parent" and value not in seen:
                seen.add(value)
                todo.append(value)
    seen.discard(curie)  # merged hierarchies can loop back; a disease is not its own ancestor
    cache[curie] = frozenset(seen)
    return cache[curie]


#: Organ nouns and the adjectives disease names use ("liver fibrosis" = hepatic fibrosis).
_ORGAN_ADJECTIVES = {
    "liver": "hepatic",
    "kidney": "renal",
    "lung": "pulmonary",
    "heart": "cardiac",
    "brain": "cerebral",
    "bowel": "intestinal",
    "intestine": "intestinal",
    "skin": "cutaneous",
    "bone": "osseous",
    "nerve": "neural",
}
_WORD_BEFORE = re.compile(r"\b([A-Za-z]{3,})[\s-]+$")
_COORDINATED_BEFORE = re.compile(r"\b([A-Za-z]{3,})\s+[A-Za-z]{3,}\s*/\s*$")


def _disease_phrases(vocabulary: Vocabulary, text: str, mentions: list[Mention]) -> list[Mention]:
    """Widen a disease mention to the disease its qualifier makes of it: an organ noun
    (``liver fibrosis`` as hepatic fibrosis) or the qualifier of a slash-coordinated pair
    (``renal injury/fibrosis``: renal fibrosis), when the vocabulary knows the result; a
    process word so qualified (``fibrosis``) becomes the disease of that organ."""
    result: list[Mention] = []
    for mention in mentions:
        if mention.kind not in (_DISEASE, _PROCESS):
            result.append(mention)
            continue
        before = text[max(0, mention.start - 40) : mention.start]
        coordinated = _COORDINATED_BEFORE.search(before)
        word = coordinated or _WORD_BEFORE.search(before)
        if word is None:
            result.append(mention)
            continue
        qualifier = word.group(1)
        names = [f"{qualifier} {mention.text}"]
        adjective = _ORGAN_ADJECTIVES.get(qualifier.lower())
        if adjective:
            names.append(f"{adjective} {mention.text}")
        if mention.text.lower() == "inflammation":
            names += itis_names(qualifier)  # "periodontal inflammation": periodontitis
        hit = next((h for h in map(vocabulary.disease, names) if h is not None), None)
        if hit is None or _previous_overlaps(result, mention.start - len(word.group(0))):
            result.append(mention)
            continue
        curies = tuple(dict.fromkeys(vocabulary.canonical_disease(c) for c in hit.curies))
        start = mention.start if coordinated else mention.start - len(word.group(0))
        result.append(Mention(start, mention.end, text[start : mention.end], _DISEASE, curies))
    return result


def _previous_overlaps(mentions: list[Mention], start: int) -> bool:
    """Does the last mention kept reach into ``start``?"""
    return bool(mentions) and mentions[-1].end > start


#: Adjectives naming a disease, and the noun form to look up ("osteoporotic" -> osteoporosis).
_DISEASE_ADJECTIVE = re.compile(
    r"\b(?P<word>(?P<stem>[A-Za-z]{3,}?)(?P<ending>otic|itic|etic|ic))\s+"
    r"(?=(?:mice|mouse|rats?|patients|animals|subjects|models?|individuals)\b)",
)
_NOUN_ENDINGS = {
    "otic": ("osis",),
    "itic": ("itis",),
    "etic": ("es", "etes"),
    "ic": ("ia", "is", "a"),
}


_SETTING_IN = re.compile(r"\b(?:in|of)\s+(?:the\s+)?$", re.IGNORECASE)


def _disease_adjectives(
    vocabulary: Vocabulary, text: str, mentions: list[Mention]
) -> list[Mention]:
    """A disease adjective qualifying the study subjects (``osteoporotic mice``,
    ``diabetic patients``, ``ischemic rats``) is a mention of that disease, unless it only
    sets the scene for a disease the sentence names before it (``healed wounds in diabetic
    mice``, ``ameliorated DN in diabetic mice``: the wound and the nephropathy are what was
    treated)."""
    added: list[Mention] = []
    for match in _DISEASE_ADJECTIVE.finditer(text):
        start, end = match.start("word"), match.end("word")
        if any(m.start < end and start < m.end for m in mentions):
            continue
        if _SETTING_IN.search(text[:start]) and any(
            m.kind == _DISEASE and m.end <= start for m in mentions
        ):
            continue
        for ending in _NOUN_ENDINGS[match["ending"]]:
            hit = vocabulary.disease(match["stem"] + ending)
            if hit is not None:
                curies = tuple(dict.fromkeys(vocabulary.canonical_disease(c) for c in hit.curies))
                added.append(Mention(start, end, match["word"], _DISEASE, curies, "pattern"))
                break
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


_LOADED = re.compile(
    r"^(?P<cargo>.+?)[\s-]+(?:loaded|enriched|containing|overexpressing|carrying|primed)$", re.I
)


def _named_cargo(vocabulary: Vocabulary, mentions: list[Mention]) -> list[Mention]:
    """A loading or engineering term that names its cargo (``OVA-loaded``,
    ``ovalbumin-enriched``) is read as that cargo, so that the vesicles' effects are
    credited to it."""
    result: list[Mention] = []
    for mention in mentions:
        loaded = _LOADED.match(mention.text) if mention.kind == _MODIFICATION else None
        hit = vocabulary.cargo(loaded["cargo"]) if loaded else None
        if loaded is None or hit is None:
            result.append(mention)
            continue
        end = mention.start + loaded.end("cargo")
        result.append(
            Mention(mention.start, end, loaded["cargo"], hit.kind.value, hit.curies, "pattern")
        )
    return result

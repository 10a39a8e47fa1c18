"""The SCAI miRNA corpus format (Bagewadi et al. 2014; DDI-style XML) and the miRNA–gene
pairs it annotates, as training or test examples for the regulation classifier."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

__all__ = [
    "DISEASE",
    "GENE",
    "MIRNA_TYPES",
    "CorpusError",
    "PairExample",
    "ScaiSentence",
    "read_scai",
    "scai_pairs",
]

_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}

GENE = "Genes/Proteins"
DISEASE = "Diseases"
MIRNA_TYPES = ("Specific_miRNAs", "Non-Specific_miRNAs")


class CorpusError(ValueError):
    """An evaluation corpus is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class ScaiSentence:
    """One annotated sentence: entities as (start, end, type, text), pairs as
    (e1, e2, type, interaction); ``document`` is the id of its ``<document>``."""

    id: str
    text: str
    entities: dict[str, tuple[int, int, str, str]]
    pairs: tuple[tuple[str, str, str, bool], ...]
    document: str = ""


@dataclass(frozen=True)
class PairExample:
    """One annotated miRNA–gene pair: the sentence, the two spans, the spans of the other
    miRNA and gene mentions, the gold label and where it comes from."""

    sentence: str
    agent: tuple[int, int]
    target: tuple[int, int]
    others: tuple[tuple[int, int, str], ...]
    label: bool
    document: str
    pair_id: str
    pair_type: str
    agent_text: str
    target_text: str

    @property
    def between_entities(self) -> int:
        low, high = min(self.agent[1], self.target[1]), max(self.agent[0], self.target[0])
        return sum(1 for start, _, _ in self.others if low <= start < high)


def read_scai(path: Path) -> list[ScaiSentence]:
    """Sentences of a SCAI corpus XML file (``charOffset`` ends are inclusive)."""
    try:
        root = etree.parse(str(path), etree.XMLParser(**_SAFE)).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise CorpusError(f"{path}: cannot read the SCAI corpus ({error})") from error
    sentences = []
    for sentence in root.iter("sentence"):
        text = sentence.get("text", "")
        entities = {}
        for entity in sentence.iterfind("entity"):
            offsets = entity.get("charOffset", "")
            first = offsets.split(",")[0]
            line = entity.sourceline
            try:
                start, end = (int(x) for x in first.split("-"))
            except ValueError as error:
                raise CorpusError(f"{path} line {line}: bad charOffset {offsets!r}") from error
            if not 0 <= start <= end < len(text):
                raise CorpusError(
                    f"{path} line {line}: charOffset {offsets!r} outside the sentence text"
                )
            entities[entity.get("id", "")] = (
                start,
                end + 1,
                entity.get("type", ""),
                entity.get("text", ""),
            )
        pairs = []
        for pair in sentence.iterfind("pair"):
            e1, e2 = pair.get("e1", ""), pair.get("e2", "")
            for name in (e1, e2):
                if name not in entities:
                    raise CorpusError(
                        f"{path} line {pair.sourceline}: pair names unknown entity {name!r}"
                    )
            pairs.append((e1, e2, pair.get("type", ""), pair.get("interaction") == "True"))
        parent = sentence.getparent()
        document = parent.get("id", "") if parent is not None and parent.tag == "document" else ""
        sentences.append(
            ScaiSentence(sentence.get("id", ""), text, entities, tuple(pairs), document)
        )
    if not sentences:
        raise CorpusError(f"{path}: no <sentence> elements; is this the SCAI corpus?")
    return sentences


def scai_pairs(
    sentences: list[ScaiSentence],
    mirna_types: tuple[str, ...] = ("Specific_miRNAs",),
    partner: str = GENE,
) -> list[PairExample]:
    """The annotated pairs of a miRNA (one of ``mirna_types``) with a ``partner`` entity:
    genes (the default) or ``DISEASE``."""
    examples = []
    for sentence in sentences:
        # what mining recognises: named miRNAs and genes (not "miRNAs", "miR-17 family")
        mentions = [
            (start, end, "gene" if kind == GENE else "mirna")
            for start, end, kind, _ in sentence.entities.values()
            if kind in (GENE, MIRNA_TYPES[0])
        ]
        for e1, e2, _pair_type, interaction in sentence.pairs:
            first, second = sentence.entities[e1], sentence.entities[e2]
            if first[2] == partner:
                first, second = second, first
            if first[2] not in mirna_types or second[2] != partner:
                continue
            agent, target = first[:2], second[:2]
            examples.append(
                PairExample(
                    sentence=sentence.text,
                    agent=agent,
                    target=target,
                    others=tuple(m for m in mentions if m[:2] not in (agent, target)),
                    label=interaction,
                    document=sentence.document or sentence.id.rsplit(".s", 1)[0],
                    pair_id=f"{sentence.id}:{e1}:{e2}",
                    pair_type=f"{first[2]}–{partner}",
                    agent_text=first[3],
                    target_text=second[3],
                )
            )
    return examples

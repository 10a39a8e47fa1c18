"""Gene names used for their signalling pathway (``NF-κB signaling pathway``, ``activation
of NF-κB``, ``the AKT/GSK-3β/β-catenin axis``, ``HMGB1/ERK pathway``): in the relation stage
such names are pathway mentions, not genes a cargo could regulate, unless the chain names a
miRNA's targets (``miR-369-3p/YAF2/PDCD5``, ``miR-146a targeting IRAK1 and TRAF6``); of a
target chain named as an axis or pathway only the first gene is the miRNA's target
(``miR-146a targeting IRAK1/NF-κB p65 pathway``).

Done in the relation stage, not in recognition: corpora such as SCAI annotate such names as
genes.
"""

from __future__ import annotations

import re

from evkg.extract.ner import Mention
from evkg.model import EntityKind
from evkg.vocab import Vocabulary

__all__ = ["pathway_uses"]

_GENE = EntityKind.GENE.value
_MIRNA = EntityKind.MIRNA.value
_PATHWAY = EntityKind.PATHWAY.value

_PATHWAY_AFTER = re.compile(
    r"\s*(?:signal(?:l)?ing(?:\s+pathways?)?|pathways?|cascade|activity|axis)\b",
    re.IGNORECASE,
)
#: "HMGB1/extracellular signal-regulated kinase pathway": the chain's other members need not
#: be recognised for the whole to be a pathway (each member at most five words, no clause
#: punctuation).
_CHAIN_PATHWAY_AFTER = re.compile(
    r"(?:\s*/\s*[^\s/,;.()]+(?:\s+[^\s/,;.()]+){0,4}?)+?"
    r"\s+(?:signal(?:l)?ing\s+)?(?:pathways?|axis|cascade)\b",
    re.IGNORECASE,
)
_PATHWAY_BEFORE = re.compile(r"\b(?:activation|inactivation)\s+of\s+(?:the\s+)?$", re.I)
_CONNECTOR = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|/)\s*$")
_JOINED = re.compile(r"^\s*[/-]\s*$")
_SLASH = re.compile(r"^\s*/\s*$")
#: "miR-146a-5p (directly) targeting (the) …": what follows is the miRNA's target list.
_TARGETING = re.compile(
    r"\b(?:directly\s+)?target(?:s|ing|ed)?\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE
)
#: A slash chain of at least this many genes is a signalling cascade ("AKT/GSK-3β/β-catenin").
_CASCADE = 3


def pathway_uses(vocabulary: Vocabulary, text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions with gene names used for their pathway made pathway mentions (resolved
    through the whole phrase when the vocabulary knows it)."""
    targets, downstream = _target_chains(text, mentions)
    result: list[Mention] = []
    covered_until = -1
    for mention in mentions:
        if mention.start < covered_until:
            continue  # inside a pathway phrase made of the gene before
        if id(mention) in downstream:
            result.append(_as_pathway_use(mention))
            continue
        if mention.kind != _GENE or id(mention) in targets:
            result.append(mention)
            continue
        after = _PATHWAY_AFTER.match(text, mention.end) or _CHAIN_PATHWAY_AFTER.match(
            text, mention.end
        )
        before = _PATHWAY_BEFORE.search(text[max(0, mention.start - 40) : mention.start])
        if after is None and before is None:
            result.append(mention)
            continue
        end = after.end() if after else mention.end
        phrase = text[mention.start : end]
        hit = vocabulary.pathway(phrase) if after else None
        if hit is None and after:
            hit = vocabulary.pathway(f"{mention.text} signaling pathway")
        pathway = (hit.curies, hit.kind.value) if hit else ((), _PATHWAY)
        result.append(Mention(mention.start, end, phrase, pathway[1], pathway[0], "pattern"))
        covered_until = end
    return _cascades(text, _coordinated_pathways(text, result, targets), targets)


def _as_pathway_use(gene: Mention) -> Mention:
    return Mention(gene.start, gene.end, gene.text, _PATHWAY, (), "pattern")


def _target_chains(text: str, mentions: list[Mention]) -> tuple[set[int], set[int]]:
    """``id`` of the genes of chains that name a miRNA's targets: joined to the miRNA
    (``miR-369-3p/YAF2/PDCD5``) or right after the miRNA's ``targeting``; and, apart, the
    genes downstream in such a chain named as an axis or pathway (``miR-146a targeting
    IRAK1/NF-κB p65 pathway``, ``miR-369-3p/YAF2/PDCD5/p53 axis``): the miRNA regulates
    the first gene, which acts on the rest."""
    targets: set[int] = set()
    downstream: set[int] = set()
    chain: list[Mention] = []  # the target chain running through the previous mention

    def close() -> None:
        if len(chain) > 1 and _PATHWAY_AFTER.match(text, chain[-1].end):
            for gene in chain[1:]:
                targets.discard(id(gene))
                downstream.add(id(gene))
        chain.clear()

    active = False
    for index, mention in enumerate(mentions):
        previous = mentions[index - 1] if index else None
        joined = previous is not None and _JOINED.match(text[previous.end : mention.start])
        if mention.kind == _MIRNA:
            close()
            active = True
        elif mention.kind != _GENE:
            close()
            active = False
        elif joined and active:
            targets.add(id(mention))
            chain.append(mention)
        elif (
            previous is not None
            and previous.kind == _MIRNA
            and mention.start - previous.end <= 40
            and _TARGETING.search(text[previous.end : mention.start])
        ):
            close()
            targets.add(id(mention))
            chain.append(mention)
            active = True
        else:
            close()
            active = False
    close()
    return targets, downstream


def _coordinated_pathways(text: str, mentions: list[Mention], targets: set[int]) -> list[Mention]:
    """Genes coordinated with a pathway use (``AKT and ERK signaling pathways``,
    ``HMGB1/ERK pathway``) are pathway uses too, unless the chain hangs off a miRNA
    (``miR-369-3p/YAF2/PDCD5/p53 pathway`` names the miRNA's targets) or the gene is a
    miRNA's target. Of a chain ending in a pathway the vocabulary names (``PTEN/AKT/mTOR
    signalling``) the first gene stays a gene: what acts through the chain acts on it."""
    result = list(mentions)
    heads: set[int] = set()
    for index in range(len(result) - 2, -1, -1):
        gene, following = result[index], result[index + 1]
        between = text[gene.end : following.start]
        named = following.how != "pattern" and bool(_SLASH.match(between))
        if (
            gene.kind != _GENE
            or id(gene) in targets
            or id(gene) in heads
            or (following.how != "pattern" and not named)
            or following.kind not in (_PATHWAY, EntityKind.PROCESS.value)
            or not _CONNECTOR.match(between)
        ):
            continue
        first = index
        while first > 0 and _JOINED.match(text[result[first - 1].end : result[first].start]):
            first -= 1
        if result[first].kind == _MIRNA:
            continue
        if named:
            heads.add(id(result[first]))
            if first == index:
                continue
        result[index] = _as_pathway_use(gene)
    return result


def _cascades(text: str, mentions: list[Mention], targets: set[int]) -> list[Mention]:
    """A slash chain of three or more genes that names no miRNA's targets is a signalling
    cascade (``via AKT/GSK-3β/β-catenin``): its members are pathway uses."""
    result = list(mentions)
    runs: list[list[int]] = []
    for index, mention in enumerate(result):
        if mention.kind != _GENE or id(mention) in targets:
            continue
        if (
            runs
            and runs[-1][-1] == index - 1
            and _SLASH.match(text[result[index - 1].end : mention.start])
        ):
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        if len(run) >= _CASCADE:
            for member in run:
                result[member] = _as_pathway_use(result[member])
    return result

"""Gene products and gene-named cargo in the relation stage: a process named for a gene's
product (``IL-4 production``, ``TNF-α secretion``) is that gene for the regulation rules,
and an siRNA named by the gene it silences (``siRNA … to knock down the survivin gene``) is
the vocabulary's ``<gene> siRNA`` cargo."""

from __future__ import annotations

import re

from evkg.extract.ner import Mention
from evkg.model import EntityKind
from evkg.vocab import Vocabulary

__all__ = ["gene_products", "silencing_rna"]

_GENE = EntityKind.GENE.value
_PROCESS = EntityKind.PROCESS.value

_PRODUCT = re.compile(
    r"^(?P<gene>\S.*?)[\s-]+(?:production|secretion|release|expression|levels?)$", re.I
)
_SIRNA = re.compile(
    r"\b(?:si-?RNAs?|small\s+interfering\s+(?:RNAs?|ribonucleic\s+acids?))"
    r"(?:\s*\(\s*siRNAs?\s*\))?",
    re.IGNORECASE,
)
#: "… knock down (the expression of) the X gene", "silencing X", "against X", "targeting X".
_SILENCING = re.compile(
    r"\b(?:knock(?:s|ed|ing)?[\s-]*down|silenc\w*|against|targeting)\s+(?:the\s+)?"
    r"(?:expression\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)


def gene_products(vocabulary: Vocabulary, mentions: list[Mention]) -> list[Mention]:
    """A process named for a gene's product (``IL-4 production``) read as the gene, so
    that ``decreased IL-4 production`` is a regulation of IL4."""
    result: list[Mention] = []
    for mention in mentions:
        product = _PRODUCT.match(mention.text) if mention.kind == _PROCESS else None
        hit = vocabulary.gene(product["gene"]) if product else None
        if product is None or hit is None:
            result.append(mention)
            continue
        end = mention.start + product.end("gene")
        result.append(Mention(mention.start, end, product["gene"], _GENE, hit.curies, "pattern"))
    return result


def silencing_rna(vocabulary: Vocabulary, text: str, mentions: list[Mention]) -> list[Mention]:
    """An siRNA mention named by the gene the sentence says it silences, as the vocabulary's
    ``<gene> siRNA`` cargo (none when the vocabulary has no such cargo)."""
    if "siRNA" not in text and "interfering" not in text:
        return mentions
    added: list[Mention] = []
    for match in _SIRNA.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in mentions):
            continue
        for gene in (m for m in mentions if m.kind == _GENE and m.start >= match.end()):
            if not _SILENCING.search(text[max(match.end(), gene.start - 60) : gene.start]):
                continue
            names = [gene.text] + [vocabulary.lexicon.label(c) for c in gene.curies]
            hit = next(
                (h for h in (vocabulary.cargo(f"{n} siRNA") for n in names) if h is not None),
                None,
            )
            if hit is not None:
                added.append(
                    Mention(
                        match.start(),
                        match.end(),
                        match.group(0),
                        hit.kind.value,
                        hit.curies,
                        "pattern",
                    )
                )
            break
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions

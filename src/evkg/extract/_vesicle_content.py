"""Proteins and RNAs the vesicles carry, read from the vesicle's own noun phrase ("EVs
enriched with VEGF", "SOD1 present in AFSC-EVs", "MVs contained Ang-1 mRNA"); miRNAs get
theirs from the pair rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evkg.extract.ner import EV, Mention
from evkg.model import EntityKind

__all__ = ["cargo_between", "carried_genes"]

#: Wording that makes a bound gene the vesicles' content ("containing", "present in"), not a
#: bystander of their phrase ("MSCs stimulated with IL-6").
_CONTENT_WORD = re.compile(
    r"contain|carr|enrich|load|rich|bear|harbo|present|packag|encapsul|deliver|transferr|"
    r"possess|shuttl",
    re.IGNORECASE,
)
_VESICLE_KINDS = (EV, EntityKind.EV_SOURCE.value)
_CARGO_KINDS = {EntityKind.MIRNA.value, EntityKind.CARGO.value}


def cargo_between(mentions: list[Mention], first: Mention, second: Mention) -> bool:
    """Whether a cargo is named between two mentions, the second being no cargo (then the
    cargo in between, not the vesicles before it, acts on the second)."""
    low, high = min(first.end, second.end), max(first.start, second.start)
    return any(m.kind in _CARGO_KINDS and low <= m.start < high for m in mentions) and (
        second.kind not in _CARGO_KINDS
    )


def carried_genes(
    text: str, mentions: list[Mention], bound: dict[int, list[Mention]]
) -> Iterator[tuple[Mention, Mention]]:
    """(vesicle, gene) for each gene that ``bound`` (by ``id`` of the vesicle mention) places
    in a vesicle's noun phrase with wording of content.

    >>> ev, vegf = Mention(0, 3, "EVs", "ev", ()), Mention(15, 19, "VEGF", "gene", ("hgnc:1",))
    >>> [g.text for _, g in carried_genes("EVs containing VEGF", [ev, vegf], {id(ev): [vegf]})]
    ['VEGF']
    """
    vesicles = {id(m): m for m in mentions if m.kind in _VESICLE_KINDS}
    for key, cargo in bound.items():
        vesicle = vesicles.get(key)
        if vesicle is None:
            continue
        for gene in cargo:
            if gene.kind != EntityKind.GENE.value or not gene.curie:
                continue
            if gene.text.lower().startswith("mir"):
                continue  # a miRNA name read as its host gene is no protein cargo
            low, high = (
                (vesicle.end, gene.start)
                if vesicle.end <= gene.start
                else (gene.end, vesicle.start)
            )
            if _CONTENT_WORD.search(text[low:high]):
                yield vesicle, gene

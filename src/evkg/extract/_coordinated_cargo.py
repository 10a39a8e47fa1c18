"""Cargo named in a list: what the vesicles do to the list's first member, they do to every
member ("uMSC-Exos were enriched in miR-21, -23a, -125b, and -145"; "enriched in specific
microRNAs (miR-21, -23a, -125b and -145)"), though the later members stand far from the
verb."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evkg.extract.ner import Mention
from evkg.model import EntityKind

__all__ = ["list_start"]

_SEPARATOR = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*)$")
#: "specific microRNAs (" / "several proteins, namely": the class word the list spells out.
_CLASS_BEFORE = re.compile(
    r"\b(?:mi(?:cro)?RNAs|miRs|proteins|factors|cargos?|RNAs)\s*(?:\(|,?\s*(?:namely|including|"
    r"such\s+as|i\.e\.,?|e\.g\.,?)\s*)$",
    re.IGNORECASE,
)
_CARGO_KINDS = frozenset({EntityKind.MIRNA.value, EntityKind.GENE.value, EntityKind.CARGO.value})


def list_start(text: str, mentions: Sequence[Mention], member: Mention) -> int:
    """Where the list holding ``member`` starts: the first member's start, or the class word
    the list spells out; ``member.start`` when it stands alone."""
    ordered = sorted((m for m in mentions if m.kind in _CARGO_KINDS), key=lambda m: m.start)
    index = next((i for i, m in enumerate(ordered) if m is member), None)
    if index is None:
        return member.start
    first = index
    while first > 0 and _SEPARATOR.match(text[ordered[first - 1].end : ordered[first].start]):
        first -= 1
    head = ordered[first]
    spelled = _CLASS_BEFORE.search(text[max(0, head.start - 40) : head.start])
    if spelled and (first < index or len(ordered) > index + 1):
        return max(0, head.start - 40) + spelled.start()
    return head.start

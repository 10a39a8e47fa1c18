"""A page of claims regrouped by the quote behind them: each quote (and its note) shown once,
with the claims it supports listed under it.

A curated sentence often supports several claims (the EVs carry the miRNA, the miRNA lowers
the gene, the EVs treat the disease); shown per claim, the same quote and curator note
repeated for each. The page still lists the claims the store paged (strongest first); the
groups come in the order of their strongest claim, and a claim supported by several quotes
appears under each, its anchor (``claim-<hash>``) on the first only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evkg.api.responses import ClaimOut, EvidenceOut

__all__ = ["CONTEXT_FIELDS", "QuoteGroup", "SupportedClaim", "group_by_quote", "sentences"]


#: The context fields of a claim, in the order the page lists them.
CONTEXT_FIELDS = ("ev_source", "donor_state", "modifications", "disease", "model", "species",
                  "route", "dose")  # fmt: skip

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"‘“(\[])")


def sentences(text: str) -> list[str]:
    """A curator note cut into sentences (at a stop followed by a capital or a quote).

    >>> sentences("Read in the abstract. 'VEGF' = VEGFA. Mouse model.")
    ['Read in the abstract.', "'VEGF' = VEGFA.", 'Mouse model.']
    """
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


@dataclass
class SupportedClaim:
    """A claim under one quote. ``first`` when this is the claim's first place on the page;
    ``rank`` its place in the page's order (strongest first, from 1); ``context`` and
    ``note`` hold only what the quote's other claims do not share."""

    claim: ClaimOut
    first: bool
    level: str
    rank: int
    note: str = ""
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class QuoteGroup:
    """One quote of one reference, what its evidence records say about it, and its claims;
    ``notes`` and ``context`` are what every claim under the quote shares."""

    reference: str
    citation: str
    quote: str
    quoted_from: str | None
    sections: list[str] = field(default_factory=list)
    printed_citations: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errata: list[dict[str, str]] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    claims: list[SupportedClaim] = field(default_factory=list)

    def add(self, claim: ClaimOut, evidence: EvidenceOut, first: bool, rank: int) -> None:
        for values, value in (
            (self.sections, evidence.section),
            (self.printed_citations, evidence.printed_citation),
            (self.levels, evidence.level),
            (self.methods, evidence.method),
        ):
            if value and value not in values:
                values.append(value)
        for erratum in evidence.errata:
            if erratum not in self.errata:
                self.errata.append(erratum)
        note = evidence.curator_note or ""
        self.claims.append(SupportedClaim(claim, first, evidence.level, rank, note))

    @property
    def context_differs(self) -> bool:
        """Whether any claim under the quote has context of its own to show."""
        return any(item.context for item in self.claims)

    def factor_out_shared(self) -> None:
        """Move the note sentences and context values every claim shares up to the quote."""
        split = [sentences(item.note) for item in self.claims]
        shared = [s for s in split[0] if all(s in other for other in split[1:])]
        self.notes = [" ".join(shared)] if shared else []
        for item, parts in zip(self.claims, split, strict=True):
            item.note = " ".join(s for s in parts if s not in shared)
        for name in CONTEXT_FIELDS:
            values = [getattr(item.claim, name) for item in self.claims]
            if all(v == values[0] for v in values):
                if values[0]:
                    self.context[name] = values[0]
            else:
                for item, value in zip(self.claims, values, strict=True):
                    if value:
                        item.context[name] = value


def group_by_quote(rows: Sequence[ClaimOut]) -> list[QuoteGroup]:
    """The claims of a page grouped by (reference, quote), in the order of first appearance.

    >>> from evkg.api.responses import ClaimOut, EvidenceOut
    >>> def claim(h, *quotes):
    ...     evidence = [EvidenceOut(hash=h, reference="evkg.ref:a", citation="A (2020) J",
    ...                 quote=q, method="curated", level="in_vivo", confidence=0.9,
    ...                 curator_note="read in the abstract") for q in quotes]
    ...     return ClaimOut(hash=h, subject="s", predicate="treats", object="o", outcome=None,
    ...         disease=None, ev_source=None, donor_state=None, modifications=[],
    ...         cargo_type=None, model=None, species=None, route=None, dose=None,
    ...         strength="in_vivo", n_references=1, confidence=0.9, latest_year=None,
    ...         references=[], chains=[], labels={}, evidence=evidence)
    >>> groups = group_by_quote([claim("c1", "Q1"), claim("c2", "Q2", "Q1")])
    >>> [(g.quote, [(s.claim.hash, s.first) for s in g.claims]) for g in groups]
    [('Q1', [('c1', True), ('c2', True)]), ('Q2', [('c2', False)])]
    >>> groups[0].notes, groups[0].claims[0].note
    (['read in the abstract'], '')
    """
    groups: dict[tuple[str, str], QuoteGroup] = {}
    placed: set[str] = set()
    order: list[tuple[str, str]] = []
    for row in rows:
        for evidence in row.evidence:
            key = (evidence.reference, evidence.quote)
            if key not in groups:
                groups[key] = QuoteGroup(
                    evidence.reference, evidence.citation, evidence.quote, evidence.quoted_from
                )
                order.append(key)
    for key in order:  # a claim's first place is under the first group that lists it
        group = groups[key]
        for rank, row in enumerate(rows, start=1):
            for evidence in row.evidence:
                if (evidence.reference, evidence.quote) != key:
                    continue
                group.add(row, evidence, first=row.hash not in placed, rank=rank)
                placed.add(row.hash)
                break  # one place per claim and quote, even if recorded twice
        group.factor_out_shared()
    return [groups[key] for key in order]

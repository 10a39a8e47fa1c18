"""One page of the claims about an entity (or citing a reference), strongest first, with
bounded work however many claims it has (see :class:`EntityClaims`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from evkg.api._convert import claim_out, entity_out, reference_out
from evkg.api.diseases import COUNT_CAP, SCAN_CLAIMS
from evkg.api.filters import entity_filters
from evkg.api.labels import Labels
from evkg.api.responses import EntityReportOut, ReferenceReportOut, SearchHit, SearchOut
from evkg.api.service import Knowledge
from evkg.model import Entity
from evkg.store import ClaimCount, ClaimFilter, ClaimSketch, StoredClaim
from evkg.vocab import Match

__all__ = [
    "EntityClaims",
    "entity_answer",
    "entity_claims",
    "entity_url",
    "reference_answer",
    "search_answer",
]


@dataclass(frozen=True)
class EntityClaims:
    """One page of the claims about an entity (or citing a reference), strongest first,
    with bounded work however many claims it has.

    ``count`` stops at a cap (a lower bound past it). The disease tally comes from the
    :data:`SCAN_CLAIMS` strongest claims; ``diseases_complete`` says whether those were all.
    """

    rows: tuple[StoredClaim, ...]  # the page, at most ``size`` claims
    offset: int
    size: int
    has_next: bool
    count: ClaimCount
    strongest: tuple[str, ...]  # hashes of the strongest :data:`SCAN_CLAIMS` claims
    diseases: tuple[tuple[str, str, int], ...]  # (disease curie, direction, n claims)
    diseases_complete: bool


def _union_count(knowledge: Knowledge, filters: list[ClaimFilter], cap: int) -> ClaimCount:
    store = knowledge.store
    counts = [store.count_claims_upto(f, cap) for f in filters]
    if len(counts) == 1 or any(c.is_lower_bound for c in counts):
        return counts[0] if len(counts) == 1 else ClaimCount(cap, is_lower_bound=True)
    first, second = filters
    both = store.count_claims_upto(replace(second, cargo=first.cargo), cap).total
    total = counts[0].total + counts[1].total - both
    return ClaimCount(cap, is_lower_bound=True) if total > cap else ClaimCount(total)


def _union_sketches(
    knowledge: Knowledge, filters: list[ClaimFilter], limit: int
) -> list[ClaimSketch]:
    """The first ``limit`` claims matching any of ``filters``, in rank order."""
    merged: dict[str, ClaimSketch] = {}
    for where in filters:
        merged.update((s.hash, s) for s in knowledge.store.claim_sketches(where, limit=limit))
    return sorted(merged.values(), key=lambda s: s.rank_key)[:limit]


def entity_claims(
    knowledge: Knowledge,
    filters: list[ClaimFilter],
    *,
    offset: int = 0,
    size: int = 25,
    count_cap: int = COUNT_CAP,
) -> EntityClaims:
    """Claims matching any of ``filters`` (see :func:`entity_filters`; a reference's is
    ``[ClaimFilter(reference=...)]``), ``size`` from ``offset`` in rank order, with their
    count up to ``count_cap`` and the diseases of the strongest :data:`SCAN_CLAIMS`.

    Each store query stops after ``offset + size + 1`` rows of an ordered index (one
    filter) or reads that many claims without evidence per filter (the union)."""
    store = knowledge.store
    scanned = _union_sketches(knowledge, filters, SCAN_CLAIMS + 1)
    complete = len(scanned) <= SCAN_CLAIMS
    scanned = scanned[:SCAN_CLAIMS]
    if complete:  # the scan holds every claim: the page and the count come from it
        count = ClaimCount(len(scanned))
        hashes = [s.hash for s in scanned[offset : offset + size + 1]]
    else:
        count = _union_count(knowledge, filters, count_cap)
        if offset + size + 1 <= len(scanned):
            hashes = [s.hash for s in scanned[offset : offset + size + 1]]
        else:
            hashes = store.claim_hashes(filters, limit=size + 1, offset=offset)
    rows = store.claims_by_hash(hashes)
    tally: Counter[tuple[str, str]] = Counter()
    for sketch in scanned:
        disease = sketch.disease or (sketch.object if sketch.outcome else None)
        if disease:
            tally[(disease, sketch.outcome or "mechanism")] += 1
    return EntityClaims(
        rows=tuple(rows[:size]),
        offset=offset,
        size=size,
        has_next=len(rows) > size,
        count=count,
        strongest=tuple(s.hash for s in scanned),
        diseases=tuple((d, o, n) for (d, o), n in sorted(tally.items())),
        diseases_complete=complete,
    )


def _entity_of(knowledge: Knowledge, match: Match) -> Entity:
    return knowledge.store.entity(match.curie) or Entity(
        id=match.curie, kind=match.kind, label=match.label
    )


def entity_answer(
    knowledge: Knowledge,
    labels: Labels,
    match: Match,
    *,
    limit: int = 100,
    offset: int = 0,
    count_cap: int = COUNT_CAP,
) -> EntityReportOut:
    """A cargo, gene or other entity (as resolved in ``match``) with one page of the claims
    about it, as the REST API returns it and ``evkg --format json cargo|gene`` prints it."""
    found = entity_claims(
        knowledge, entity_filters(match), offset=offset, size=limit, count_cap=count_cap
    )
    return EntityReportOut(
        entity=entity_out(_entity_of(knowledge, match)),
        identifiers=list(match.curies),
        flags=list(match.flags),
        n_claims=found.count.total,
        n_claims_is_lower_bound=found.count.is_lower_bound,
        limit=found.size,
        offset=offset,
        has_more=found.has_next,
        claims=[claim_out(c, labels) for c in found.rows],
        diseases=[
            {"disease": d, "label": labels.label(d), "direction": o, "claims": n}
            for d, o, n in found.diseases
        ],
        diseases_complete=found.diseases_complete,
    )


def reference_answer(
    knowledge: Knowledge,
    labels: Labels,
    identifier: str,
    *,
    limit: int = 500,
    offset: int = 0,
    count_cap: int = COUNT_CAP,
) -> ReferenceReportOut:
    """A reference (evkg.ref: id, review number, PMID, DOI or PMCID) with one page of the
    claims citing it."""
    found = knowledge.find_reference(identifier)
    page = entity_claims(
        knowledge,
        [ClaimFilter(reference=found.id)],
        offset=offset,
        size=limit,
        count_cap=count_cap,
    )
    return ReferenceReportOut(
        reference=reference_out(found),
        n_claims=page.count.total,
        n_claims_is_lower_bound=page.count.is_lower_bound,
        limit=page.size,
        offset=offset,
        has_more=page.has_next,
        claims=[claim_out(c, labels) for c in page.rows],
    )


def entity_url(curie: str, kind: str) -> str:
    """Explorer page of an entity."""
    from urllib.parse import quote

    page = {
        "disease": "disease",
        "mirna": "cargo",
        "cargo": "cargo",
        "gene": "gene",
        "reference": "reference",
    }.get(kind, "entity")
    return f"/{page}/{quote(curie, safe=':')}"


def search_answer(knowledge: Knowledge, text: str, *, limit: int = 10) -> SearchOut:
    """Entities matching ``text`` (exact first, then fuzzy), with claim counts and explorer
    links, as ``/api/search`` returns them and ``evkg --format json search`` prints them."""
    hits = [
        SearchHit(
            curies=list(match.curies),
            curie=match.curie,
            kind=match.kind.value,
            label=match.label,
            matched_text=match.matched_text,
            score=round(match.score, 3),
            how=match.how,
            flags=list(match.flags),
            n_claims=n_claims,
            url=entity_url(match.curie, match.kind.value),
        )
        for match, n_claims in (knowledge.search(text, limit=limit) if text.strip() else [])
    ]
    return SearchOut(query=text, hits=hits)

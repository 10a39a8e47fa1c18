"""Small services the REST API and the web explorer need beyond :class:`Knowledge`.

* :class:`Labels`: labels and one-line citations looked up once and kept (entities and
  references are only ever added to a store, never relabelled), so that a page of claims
  does not cost one query per identifier.
* :func:`resolve_filter`: a filter value given as a CURIE or as a name, to identifiers.
* :func:`add_curated_record`: one curated claim written transactionally, the way the
  shipped curated files are (same statements, same confidence rules).
* :func:`disease_overview`: what a disease page shows, with bounded work however many
  claims the disease has (see :class:`DiseaseOverview`).
* :func:`entity_claims`: one page of the claims of a cargo, gene, other entity or
  reference, with a capped count (see :class:`EntityClaims`).
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from evkg.analysis.strategies import Strategy, rank_strategies, strategy_candidates
from evkg.api.knowledge import claim_curies
from evkg.api.service import Knowledge
from evkg.assemble import assemble, opposing
from evkg.model import (
    Claim,
    CuratedRecord,
    CuratedReference,
    Entity,
    EntityKind,
    content_hash,
    is_valid_curie,
)
from evkg.sources.curated import CuratedSource, to_statements
from evkg.sources.curated.api import Located
from evkg.store import (
    Chain,
    ClaimCount,
    ClaimFilter,
    ClaimSketch,
    Contradiction,
    LoadBundle,
    LoadReport,
    StoredClaim,
)
from evkg.vocab import Match

__all__ = [
    "CONTEXT_FILTER",
    "COUNT_CAP",
    "FILTER_KINDS",
    "DiseaseOverview",
    "EntityClaims",
    "InvalidRecordError",
    "Labels",
    "add_curated_record",
    "disease_overview",
    "entity_claims",
    "entity_filters",
    "page_chains",
    "resolve_filter",
]

#: Entity kinds a claim-filter field accepts when given as a name.
FILTER_KINDS: dict[str, tuple[EntityKind, ...]] = {
    "disease": (EntityKind.DISEASE,),
    "cargo": (EntityKind.MIRNA, EntityKind.GENE, EntityKind.CARGO),
    "gene": (EntityKind.GENE,),
    "pathway": (EntityKind.PATHWAY, EntityKind.PROCESS),
    "source": (EntityKind.EV_SOURCE,),
    "modification": (EntityKind.MODIFICATION,),
    "route": (EntityKind.ROUTE,),
    "model": (EntityKind.MODEL,),
    "species": (EntityKind.SPECIES,),
}

_MAX_CACHED = 200_000


class Labels:
    """Labels of identifiers and citations of references, cached for the process."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._labels: dict[str, tuple[str, str]] = {}
        self._citations: dict[str, str] = {}
        self._kinds: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def _entity(self, curie: str) -> tuple[str, str]:
        found = self._labels.get(curie)
        if found is None:
            entity = self.knowledge.store.entity(curie)
            if entity is not None:
                found = (entity.label, entity.kind.value)
            else:
                entry = self.knowledge.vocabulary.lexicon.get(curie)
                found = (entry.label, entry.kind.value) if entry else (curie, "unknown")
            with self._lock:
                if len(self._labels) > _MAX_CACHED:
                    self._labels.clear()
                self._labels[curie] = found
        return found

    def label(self, curie: str | None) -> str:
        """Display name of an identifier (the identifier itself when nothing knows it)."""
        return self._entity(curie)[0] if curie else ""

    def kind(self, curie: str) -> str:
        """Entity kind of an identifier, or ``unknown``."""
        return self._entity(curie)[1]

    def citation(self, curie: str) -> str:
        found = self._citations.get(curie)
        if found is None:
            reference = self.knowledge.store.reference(curie)
            found = reference.citation() if reference else curie
            with self._lock:
                if len(self._citations) > _MAX_CACHED:
                    self._citations.clear()
                self._citations[curie] = found
        return found

    def ids(self, kind: str) -> tuple[str, ...]:
        """Identifiers of every stored entity of ``kind`` (e.g. the routes to filter by)."""
        found = self._kinds.get(kind)
        if found is None:
            found = tuple(e.id for e in self.knowledge.store.entities(kind))
            with self._lock:
                self._kinds[kind] = found
        return found

    def clear(self) -> None:
        """Forget everything (after a write that may add entities or references)."""
        with self._lock:
            self._labels.clear()
            self._citations.clear()
            self._kinds.clear()


def resolve_filter(knowledge: Knowledge, field: str, value: str) -> tuple[str, ...]:
    """Identifiers for a filter value: a CURIE is taken as it is, a name is resolved among
    the kinds of ``field`` (:data:`FILTER_KINDS`).

    Raises :class:`~evkg.api.UnknownNameError` (with suggestions) for a name that resolves
    to nothing.
    """
    text = value.strip()
    if is_valid_curie(text):
        return (text,)
    kinds = FILTER_KINDS[field]
    if field == "cargo":
        match = knowledge.vocabulary.cargo(text)
        if match is not None:
            return match.curies
    if field == "disease":
        return (knowledge.disease_match(text).curie,)
    return knowledge.resolve(text, kinds, field).curies


class InvalidRecordError(ValueError):
    """A submitted curated record cannot be stored; the message names the field."""


def _entity_for(knowledge: Knowledge, curie: str, field: str) -> Entity:
    stored = knowledge.store.entity(curie)
    if stored is not None:
        return stored
    entry = knowledge.vocabulary.lexicon.get(curie)
    if entry is None:
        raise InvalidRecordError(f"{field}: {curie} is not a known identifier")
    return Entity(
        id=entry.curie,
        kind=entry.kind,
        label=entry.label,
        synonyms=entry.synonyms,
        xrefs=tuple(x for x in entry.xrefs if is_valid_curie(x)),
    )


def add_curated_record(knowledge: Knowledge, record: CuratedRecord) -> tuple[str, LoadReport]:
    """Store one curated record (claim + quoted evidence) in one transaction.

    Every identifier must be known (in the store or the vocabulary) and every cited
    reference already stored; otherwise :class:`InvalidRecordError` names the field and
    nothing is written. Submitting the same record twice adds nothing.
    """
    claim = record.claim()
    entities = {
        curie: _entity_for(knowledge, curie, "claim") for curie in sorted(set(claim_curies(claim)))
    }
    statements = []
    for index, item in enumerate(record.evidence):
        stored_reference = knowledge.store.reference(item.reference)
        if stored_reference is None:
            raise InvalidRecordError(
                f"evidence[{index}].reference: {item.reference} is not a stored reference"
            )
        # one in-memory source per quote, whose document is the quoted reference itself,
        # so the evidence gets exactly the fields and confidence the curated files give it
        source = CuratedSource(
            name="web",
            directory=Path("<request>"),
            references=[
                Located(
                    Path("<request>"),
                    0,
                    CuratedReference(
                        **stored_reference.model_dump(exclude_none=True), review_number=None
                    ),
                )
            ],
            records=[
                Located(
                    Path("<request>"),
                    index,
                    record.model_copy(update={"evidence": (item,)}),
                )
            ],
        )
        statements += to_statements(source)
    assembly = assemble((s.claim, s.evidence, s.chain) for s in statements)
    bundle = LoadBundle(
        dataset=f"web:{record.id}",
        fingerprint=content_hash(record.model_dump(mode="json")),
        entities=list(entities.values()),
        references=[],
        assembly=assembly,
    )
    report = knowledge.store.load(bundle)
    return claim.hash, report


#: Kinds that appear in a claim's context rather than as its subject or object, with the
#: claim-filter field that finds them.
CONTEXT_FILTER: dict[EntityKind, str] = {
    EntityKind.EV_SOURCE: "source",
    EntityKind.MODIFICATION: "modification",
    EntityKind.ROUTE: "route",
    EntityKind.MODEL: "model",
    EntityKind.SPECIES: "species",
}


#: Claim counts shown to users stop here ("10,000+"): counting further costs a full scan.
COUNT_CAP = 10_000
#: Claims of a disease read (without evidence) for strategies, contradictions and choices.
SCAN_CLAIMS = 150
#: Outcome claims of a disease read in full and grouped into ranked strategies.
RANKED_CLAIMS = 30
#: Contradictions listed at most.
MAX_CONTRADICTIONS = 50


@dataclass(frozen=True)
class DiseaseOverview:
    """A disease page's content, with bounded work however many claims the disease has.

    Strategies are ranked from at most :data:`RANKED_CLAIMS` outcome claims, chosen from
    the disease's :data:`SCAN_CLAIMS` strongest claims (beneficial first, as strategies
    rank); contradictions come from those scanned claims. ``complete`` says whether that
    covered every claim of the disease (it does for every disease of the curated
    knowledge); when it is false the page says what the ranking was computed from. Only
    the strategies the network draws carry their chains.
    """

    disease: Entity
    included: tuple[str, ...]  # the disease and its descendants that have claims
    n_claims: ClaimCount
    strategies: tuple[Strategy, ...]  # the best ``shown``, ranked
    n_strategies: int  # distinct strategies among the scanned outcome claims
    n_outcome_claims: int  # outcome claims among the scanned claims
    ranked_from: int  # outcome claims read in full and ranked
    scanned: tuple[ClaimSketch, ...]
    scanned_all: bool  # ``scanned`` holds every claim of the disease
    complete: bool
    contradictions: tuple[Contradiction, ...]
    read: dict[str, StoredClaim] = field(default_factory=dict)  # claims read, by hash

    def first_page(self, size: int) -> list[str] | None:
        """Hashes of the first ``size`` claims in rank order, when the scan holds them."""
        if len(self.scanned) >= size or self.scanned_all:
            return [s.hash for s in self.scanned[:size]]
        return None


def _sketch_claim(sketch: ClaimSketch) -> Claim:
    return Claim(
        subject=sketch.subject,
        predicate=sketch.predicate,
        object=sketch.object,
        outcome=sketch.outcome,
    )


def _contradictions(
    knowledge: Knowledge, sketches: list[ClaimSketch], read: dict[str, StoredClaim]
) -> list[Contradiction]:
    """Contested claims and opposing pairs among ``sketches`` (rank order), as
    :meth:`~evkg.store.SqlStore.contradictions` finds them, reading only the claims
    involved."""
    found: list[tuple[str, str | None, str]] = []
    by_pair: dict[tuple[str, str], list[ClaimSketch]] = defaultdict(list)
    for sketch in sketches:
        by_pair[(sketch.subject, sketch.object)].append(sketch)
        if sketch.outcome == "contested":
            found.append((sketch.hash, None, "marked contested by its evidence"))
    for group in by_pair.values():
        if len(group) < 2:
            continue
        claims = [_sketch_claim(s) for s in group]
        for index, first in enumerate(group):
            for offset, second in enumerate(group[index + 1 :], start=index + 1):
                if opposing(claims[index], claims[offset]):
                    found.append(
                        (first.hash, second.hash, f"{first.predicate} vs {second.predicate}")
                    )
    found = found[:MAX_CONTRADICTIONS]
    wanted = [h for first, second, _ in found for h in (first, second) if h]
    stored = {c.hash: c for c in knowledge.store.claims_by_hash(wanted, read)}
    read.update(stored)
    return [
        Contradiction(stored[first], stored[second] if second else None, reason)
        for first, second, reason in found
        if first in stored and (second is None or second in stored)
    ]


def disease_overview(
    knowledge: Knowledge,
    name: str,
    *,
    shown: int = 30,
    drawn_strategies: int = 12,
    count_cap: int = COUNT_CAP,
    page_size: int = 0,
) -> DiseaseOverview:
    """The disease named ``name`` (and its sub-diseases): claim count (capped at
    ``count_cap``), the ``shown`` best strategies, the first ``drawn_strategies`` of
    them with their mechanism chains (the others name none, but their gaps know whether
    a mechanism was reported), and contradicting evidence; see :class:`DiseaseOverview`
    for the bounds. The first ``page_size`` claims (an evidence table's first page) are
    read along, into :attr:`DiseaseOverview.read`."""
    match = knowledge.disease_match(name)
    curie = match.curie
    store = knowledge.store
    where = ClaimFilter(disease=curie)
    entity = store.entity(curie) or Entity(id=curie, kind=EntityKind.DISEASE, label=match.label)
    sketches = store.claim_sketches(where, limit=SCAN_CLAIMS + 1)
    scanned_all = len(sketches) <= SCAN_CLAIMS
    sketches = sketches[:SCAN_CLAIMS]
    n_claims = (
        store.count_claims_upto(where, count_cap)
        if not scanned_all
        else ClaimCount(len(sketches))
        if len(sketches) <= count_cap
        else ClaimCount(count_cap, is_lower_bound=True)
    )
    chosen, n_outcome, n_strategies = strategy_candidates(sketches, RANKED_CLAIMS)
    # rank the candidates; then read the chains of the shown strategies only and rank those
    # again (a strategy's place depends on its own claims, so the order is the same)
    page = [sketch.hash for sketch in sketches[:page_size]]
    read: dict[str, StoredClaim] = {c.hash: c for c in store.claims_by_hash([*chosen, *page])}
    candidates = [read[h] for h in chosen if h in read]
    focus = knowledge.vocabulary.diseases.members(curie)
    first = rank_strategies(candidates, [], focus=focus)[:shown]
    members = [claim for strategy in first for claim in strategy.outcome_claims]
    # chains in full for the strategies the network draws; for the others, only whether
    # their chains hold a mechanism (all their gaps need)
    drawn = [
        claim.hash for strategy in first[:drawn_strategies] for claim in strategy.outcome_claims
    ]
    chains = store.chains_for(drawn, read)
    read.update((c.hash, c) for chain in chains for c in chain.claims)
    rest = [
        claim.hash for strategy in first[drawn_strategies:] for claim in strategy.outcome_claims
    ]
    mechanism = store.mechanism_chains(rest) if rest else set()
    if scanned_all:  # the scan names every disease the claims meet
        below = store.descendants(curie)
        named = {s.disease for s in sketches} | {s.object for s in sketches}
        included = sorted(below & {d for d in named if d})
    else:
        included = sorted(store.diseases_with_claims(curie))
    return DiseaseOverview(
        disease=entity,
        included=tuple(included),
        n_claims=n_claims,
        strategies=tuple(rank_strategies(members, chains, mechanism_chains=mechanism, focus=focus)),
        n_strategies=n_strategies,
        n_outcome_claims=n_outcome,
        ranked_from=len(chosen),
        scanned=tuple(sketches),
        scanned_all=scanned_all,
        complete=scanned_all and n_outcome <= RANKED_CLAIMS,
        contradictions=tuple(_contradictions(knowledge, sketches, read)),
        read=read,
    )


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


def entity_filters(match: Match) -> list[ClaimFilter]:
    """The filters whose union is every claim about an entity: as subject or object, and
    for an EV source, modification, route, model or species also in the claim's context
    (a hypoxia-preconditioned EV study names hypoxia only there)."""
    filters = [ClaimFilter(cargo=match.curies)]
    field = CONTEXT_FILTER.get(match.kind)
    if field is not None:
        values: dict[str, Any] = {field: match.curie}
        filters.append(ClaimFilter(**values))
    return filters


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


def page_chains(
    knowledge: Knowledge, name: str, *, offset: int, size: int
) -> tuple[Entity, list[Chain], bool]:
    """The disease named ``name``; the mechanism chains having at least one of its claims
    ranked ``offset`` to ``offset + size`` (strongest first), in the order of their first
    such claim; and whether more claims follow. Paging on to the end reaches every chain of
    the disease (a chain whose claims fall on several pages is listed on each)."""
    match = knowledge.disease_match(name)
    store = knowledge.store
    entity = store.entity(match.curie) or Entity(
        id=match.curie, kind=EntityKind.DISEASE, label=match.label
    )
    rows = store.claims(ClaimFilter(disease=match.curie), limit=size + 1, offset=offset)
    hashes = [c.hash for c in rows[:size]]
    order = {h: i for i, h in enumerate(hashes)}
    chains = knowledge.store.chains_for(hashes, {c.hash: c for c in rows})
    chains.sort(key=lambda c: min(order.get(m.hash, len(order)) for m in c.claims))
    return entity, chains, len(rows) > size

"""Small services the REST API and the web explorer need beyond :class:`Knowledge`.

* :class:`Labels`: labels and one-line citations looked up once and kept (entities and
  references are only ever added to a store, never relabelled), so that a page of claims
  does not cost one query per identifier.
* :func:`resolve_filter`: a filter value given as a CURIE or as a name, to identifiers.
* :func:`add_curated_record`: one curated claim written transactionally, the way the
  shipped curated files are (same statements, same confidence rules).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from evkg.api.knowledge import claim_curies
from evkg.api.service import EntityReport, Knowledge
from evkg.assemble import STRENGTH_RANK, assemble
from evkg.model import (
    CuratedRecord,
    CuratedReference,
    Entity,
    EntityKind,
    content_hash,
    is_valid_curie,
)
from evkg.sources.curated import CuratedSource, to_statements
from evkg.sources.curated.api import Located
from evkg.store import ClaimFilter, LoadBundle, LoadReport

__all__ = [
    "CONTEXT_FILTER",
    "FILTER_KINDS",
    "InvalidRecordError",
    "Labels",
    "add_curated_record",
    "entity_report",
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

    def clear(self) -> None:
        """Forget everything (after a write that may add entities or references)."""
        with self._lock:
            self._labels.clear()
            self._citations.clear()


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
        return (knowledge.resolve(text, kinds, "disease").curie,)
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


def entity_report(knowledge: Knowledge, name: str) -> EntityReport:
    """Like :meth:`Knowledge.entity`, but an EV source, modification, route, model or
    species also brings the claims that have it in their context (a hypoxia-preconditioned
    EV study names hypoxia only there)."""
    report = knowledge.entity(name)
    field = CONTEXT_FILTER.get(report.entity.kind)
    if field is None:
        return report
    values: dict[str, Any] = {field: report.entity.id}
    in_context = knowledge.store.claims(ClaimFilter(**values))
    merged = {c.hash: c for c in (*report.claims, *in_context)}
    claims = sorted(
        merged.values(),
        key=lambda c: (-STRENGTH_RANK.get(c.strength, 0), -c.confidence, c.hash),
    )
    tally: Counter[tuple[str, str]] = Counter()
    for stored in claims:
        claim = stored.claim
        disease = claim.context.disease or (claim.object if claim.outcome else None)
        if disease:
            tally[(disease, claim.outcome.value if claim.outcome else "mechanism")] += 1
    return replace(
        report,
        claims=tuple(claims),
        diseases=tuple((d, o, n) for (d, o), n in sorted(tally.items())),
    )

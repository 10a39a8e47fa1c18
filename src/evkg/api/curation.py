"""Curation writes: one curated claim stored transactionally, the way the shipped curated
files are (same statements, same confidence rules)."""

from __future__ import annotations

from pathlib import Path

from evkg.api.knowledge import claim_curies
from evkg.api.service import Knowledge
from evkg.assemble import assemble
from evkg.model import CuratedRecord, CuratedReference, Entity, content_hash, is_valid_curie
from evkg.sources.curated import CuratedSource, to_statements
from evkg.sources.curated.api import Located
from evkg.store import LoadBundle, LoadReport

__all__ = ["InvalidRecordError", "add_curated_record"]


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

"""Claim filters given by name: a filter value as a CURIE or a name, to identifiers; and the
filters whose union is every claim about an entity."""

from __future__ import annotations

from typing import Any

from evkg.api.service import Knowledge
from evkg.model import EntityKind, is_valid_curie
from evkg.store import ClaimFilter
from evkg.vocab import Match

__all__ = ["CONTEXT_FILTER", "FILTER_KINDS", "entity_filters", "resolve_filter"]

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


#: Kinds that appear in a claim's context rather than as its subject or object, with the
#: claim-filter field that finds them.
CONTEXT_FILTER: dict[EntityKind, str] = {
    EntityKind.EV_SOURCE: "source",
    EntityKind.MODIFICATION: "modification",
    EntityKind.ROUTE: "route",
    EntityKind.MODEL: "model",
    EntityKind.SPECIES: "species",
}


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

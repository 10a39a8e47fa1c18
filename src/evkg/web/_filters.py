"""Claim filters from query parameters: names or CURIEs in, a ``ClaimFilter`` out."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Query

from evkg.api import UnknownNameError
from evkg.api.filters import resolve_filter
from evkg.model import EvidenceMethod, Outcome, Predicate
from evkg.store import ClaimFilter
from evkg.web.deps import Context
from evkg.web.errors import ProblemError

__all__ = ["ClaimQuery", "Filters", "StrengthLevel", "claim_query"]


class StrengthLevel(StrEnum):
    """Best evidence level of a claim (what the ``level`` filter matches)."""

    CLINICAL = "clinical"
    IN_VIVO = "in_vivo"
    EX_VIVO = "ex_vivo"
    IN_VITRO = "in_vitro"
    REVIEW_STATEMENT = "review_statement"


_Name = Query(max_length=200, description="Name or CURIE")


@dataclass(frozen=True)
class ClaimQuery:
    """The resolved filter and the identifiers it used (echoed back to the caller)."""

    where: ClaimFilter
    given: dict[str, Any]

    def as_params(self) -> dict[str, str]:
        """The filter as query parameters (identifiers), for links to the next page."""
        return {k: str(v) for k, v in self.given.items() if v not in (None, "", [])}


def claim_query(
    context: Context,
    disease: Annotated[str | None, _Name] = None,
    cargo: Annotated[str | None, _Name] = None,
    gene: Annotated[str | None, _Name] = None,
    pathway: Annotated[str | None, _Name] = None,
    source: Annotated[str | None, _Name] = None,
    modification: Annotated[str | None, _Name] = None,
    route: Annotated[str | None, _Name] = None,
    model: Annotated[str | None, _Name] = None,
    species: Annotated[str | None, _Name] = None,
    outcome: Annotated[Outcome | None, Query()] = None,
    predicate: Annotated[Predicate | None, Query()] = None,
    level: Annotated[
        StrengthLevel | None, Query(description="Best evidence level of the claim")
    ] = None,
    method: Annotated[EvidenceMethod | None, Query(description="curated or extracted")] = None,
    reference: Annotated[str | None, Query(max_length=200, description="Reference CURIE")] = None,
) -> ClaimQuery:
    names = {
        "disease": disease,
        "cargo": cargo,
        "gene": gene,
        "pathway": pathway,
        "source": source,
        "modification": modification,
        "route": route,
        "model": model,
        "species": species,
    }
    resolved: dict[str, tuple[str, ...]] = {}
    for field, value in names.items():
        if value is None or not value.strip():
            continue
        try:
            resolved[field] = resolve_filter(context.knowledge, field, value)
        except UnknownNameError as error:
            raise ProblemError(422, f"filter {field}: {error}", error.suggestions) from error
    where = ClaimFilter(
        disease=resolved.get("disease", (None,))[0],
        cargo=resolved.get("cargo", ()),
        gene=resolved.get("gene", (None,))[0],
        pathway=resolved.get("pathway", (None,))[0],
        source=resolved.get("source", (None,))[0],
        modification=resolved.get("modification", (None,))[0],
        route=resolved.get("route", (None,))[0],
        model=resolved.get("model", (None,))[0],
        species=resolved.get("species", (None,))[0],
        outcome=outcome.value if outcome else None,
        predicate=predicate.value if predicate else None,
        level=level.value if level else None,
        method=method.value if method else None,
        reference=reference.strip() if reference and reference.strip() else None,
    )
    given = {k: v for k, v in asdict(where).items() if v not in (None, (), "")}
    given.pop("include_descendants", None)
    if "cargo" in given:
        given["cargo"] = ",".join(given["cargo"])
    return ClaimQuery(where, given)


Filters = Annotated[ClaimQuery, Depends(claim_query)]

"""What the disease page shows, assembled from the services (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from evkg.analysis.strategies import TIER_LABELS
from evkg.api import UnknownNameError
from evkg.api._convert import claim_out, contradiction_out, strategy_out
from evkg.api.diseases import DiseaseOverview, disease_overview, placements_out
from evkg.api.filters import resolve_filter
from evkg.api.studies import studies_answer
from evkg.model import Outcome
from evkg.report.studies import evidence_map_svg
from evkg.store import ClaimFilter, StoredClaim
from evkg.web._filters import StrengthLevel
from evkg.web._paging import PAGE_SIZE, check_page
from evkg.web.deps import WebContext
from evkg.web.errors import ProblemError
from evkg.web.network import NetworkUnavailableError, build_network, render_svg

__all__ = ["PAGE_SIZE", "DrawnNetwork", "disease_view", "network_svg"]

_NETWORK_STRATEGIES = 12
_STRATEGIES_SHOWN = 30


@dataclass(frozen=True)
class DrawnNetwork:
    """The network's SVG (empty when nothing or nothing could be drawn), how many entities
    were left out, and why it could not be drawn (Graphviz missing), if so."""

    svg: str
    hidden: int
    error: str | None = None


def network_svg(context: WebContext, claims: list[StoredClaim], title: str) -> DrawnNetwork:
    labels = context.labels
    network = build_network(claims, labels.kind, labels.label, labels.citation)
    try:
        return DrawnNetwork(render_svg(network, title), network.hidden)
    except NetworkUnavailableError as error:
        return DrawnNetwork("", network.hidden, str(error))


def _choices(context: WebContext, report: DiseaseOverview) -> dict[str, Any]:
    """Filter choices: the values the disease's claims have. When the scan did not reach
    every claim, every stored value of the kind is offered (a choice no claim has shows
    the empty table), so that no value is missing."""
    scanned = report.scanned
    sources = {c.ev_source for c in scanned}
    # a claim sketch carries no species; the few stored species are all offered
    species: set[str | None] = set(context.labels.ids("species"))
    routes = {c.route for c in scanned}
    models = {c.model for c in scanned}
    levels = {_level_of(c.strength) for c in scanned}
    outcomes = {c.outcome for c in scanned if c.outcome}
    if not report.scanned_all:
        labels = context.labels
        sources |= set(labels.ids("ev_source"))
        routes |= set(labels.ids("route"))
        models |= set(labels.ids("model"))
        levels |= {s.value for s in StrengthLevel}
        outcomes |= {o.value for o in Outcome}
    return {
        "species": _options(context, species),
        "source": _options(context, sources),
        "route": _options(context, routes),
        "model": _options(context, models),
        "level": sorted(levels, key=[s.value for s in StrengthLevel].index),
        "outcome": sorted(outcomes),
    }


def _options(context: WebContext, values: set[str | None]) -> list[tuple[str, str]]:
    labels = context.labels
    return sorted(((v, labels.label(v)) for v in values if v), key=lambda item: item[1].lower())


def _level_of(strength: str) -> str:
    return "in_vivo" if strength == "in_vivo_replicated" else strength


def disease_view(
    context: WebContext, name: str, given: dict[str, str | None], page: int
) -> dict[str, Any]:
    knowledge, labels = context.knowledge, context.labels
    report = disease_overview(
        knowledge,
        name,
        shown=_STRATEGIES_SHOWN,
        drawn_strategies=_NETWORK_STRATEGIES,
        count_cap=context.limits.count_cap,
        page_size=PAGE_SIZE + 1,
    )
    curie = report.disease.id
    # the evidence table: the store filters and pages; the page never filters in Python
    chosen = {k: v.strip() for k, v in given.items() if v and v.strip()}
    resolved: dict[str, str] = {}
    for field in ("species", "source", "route", "model"):
        if field in chosen:
            try:
                resolved[field] = resolve_filter(knowledge, field, chosen[field])[0]
            except UnknownNameError as error:
                raise ProblemError(422, f"filter {field}: {error}", error.suggestions) from error
    level = chosen.get("level")
    if level is not None and level not in {s.value for s in StrengthLevel}:
        raise ProblemError(
            422, f"filter level: {level!r} is not one of {[s.value for s in StrengthLevel]}"
        )
    outcome = chosen.get("outcome")
    if outcome is not None and outcome not in {o.value for o in Outcome}:
        raise ProblemError(
            422, f"filter outcome: {outcome!r} is not one of {[o.value for o in Outcome]}"
        )
    where = ClaimFilter(
        disease=curie,
        source=resolved.get("source"),
        species=resolved.get("species"),
        route=resolved.get("route"),
        model=resolved.get("model"),
        level=level,
        outcome=outcome,
    )
    # unfiltered, the table lists every claim of the disease: counted once, above
    count = (
        knowledge.store.count_claims_upto(where, context.limits.count_cap)
        if chosen
        else report.n_claims
    )
    total = count.total
    pages = max(1, -(-total // PAGE_SIZE))
    if not count.is_lower_bound:
        page = min(page, pages)
    check_page(context, page)  # a deep offset walks the index from its start
    # one row more than a page says whether a next page exists, even past a capped count
    first_page = report.first_page(PAGE_SIZE + 1) if page == 1 and not chosen else None
    if first_page is not None:  # the scan already holds it, in the same order
        rows = knowledge.store.claims_by_hash(first_page, report.read)
    else:
        rows = knowledge.store.claims(where, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    contested = {c.first.hash for c in report.contradictions} | {
        c.second.hash for c in report.contradictions if c.second
    }
    # the network: the top strategies' outcome claims and their mechanism chains
    drawn: list[StoredClaim] = []
    for strategy in report.strategies[:_NETWORK_STRATEGIES]:
        drawn += strategy.outcome_claims
        for chain in strategy.chains:
            drawn += chain.claims
    drawing = network_svg(context, drawn, f"Mechanism network for {report.disease.label}")
    filter_params = dict(chosen.items())

    def page_link(number: int) -> str:
        return "?" + urlencode({**filter_params, "page": number})

    studies = studies_answer(knowledge, labels, curie)
    return {
        "studies": studies,
        "evidence_map": evidence_map_svg(studies.evidence_map),
        "title": report.disease.label,
        "disease": report.disease,
        "included": [(c, labels.label(c)) for c in report.included if c != curie],
        "n_claims": report.n_claims.total,
        "n_claims_is_lower_bound": report.n_claims.is_lower_bound,
        "strategies": [
            strategy_out(rank, s, labels) for rank, s in enumerate(report.strategies, start=1)
        ],
        "n_strategies": report.n_strategies,
        "strategies_complete": report.complete,
        "n_scanned": len(report.scanned),
        "n_outcome_claims": report.n_outcome_claims,
        "ranked_from": report.ranked_from,
        "network": drawing.svg,
        "network_hidden": drawing.hidden,
        "network_error": drawing.error,
        "network_strategies": min(_NETWORK_STRATEGIES, len(report.strategies)),
        "contradictions": [contradiction_out(c, labels) for c in report.contradictions],
        "placements": placements_out(knowledge, labels, curie),
        "rows": [claim_out(c, labels) for c in rows],
        "contested": contested,
        "total": total,
        "total_is_lower_bound": count.is_lower_bound,
        "page": page,
        "pages": None if count.is_lower_bound else pages,
        "prev_link": page_link(page - 1) if page > 1 else None,
        "first_link": page_link(1),
        "next_link": page_link(page + 1) if has_next else None,
        "chosen": chosen,
        "options": _choices(context, report),
        "tier_names": TIER_LABELS,
    }

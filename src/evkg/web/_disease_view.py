"""What the disease page shows, assembled from the services (no SQL here)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from evkg.api import UnknownNameError
from evkg.api.web_support import resolve_filter
from evkg.model import Outcome
from evkg.store import ClaimFilter, StoredClaim
from evkg.web._convert import claim_out, contradiction_out, strategy_out
from evkg.web._filters import StrengthLevel
from evkg.web.deps import WebContext
from evkg.web.errors import ProblemError
from evkg.web.network import build_network, render_svg

__all__ = ["PAGE_SIZE", "disease_view", "network_svg"]

PAGE_SIZE = 25
_NETWORK_STRATEGIES = 12
_STRATEGIES_SHOWN = 30


def network_svg(context: WebContext, claims: list[StoredClaim], title: str) -> tuple[str, int]:
    labels = context.labels
    network = build_network(claims, labels.kind, labels.label, labels.citation)
    return render_svg(network, title), network.hidden


def _options(context: WebContext, values: set[str | None]) -> list[tuple[str, str]]:
    labels = context.labels
    return sorted(((v, labels.label(v)) for v in values if v), key=lambda item: item[1].lower())


def _level_of(strength: str) -> str:
    return "in_vivo" if strength == "in_vivo_replicated" else strength


def disease_view(
    context: WebContext, name: str, given: dict[str, str | None], page: int
) -> dict[str, Any]:
    knowledge, labels = context.knowledge, context.labels
    report = knowledge.disease(name)
    curie = report.disease.id
    # the evidence table: the store filters and pages; the page never filters in Python
    chosen = {k: v.strip() for k, v in given.items() if v and v.strip()}
    resolved: dict[str, str] = {}
    for field in ("source", "route", "model"):
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
        route=resolved.get("route"),
        model=resolved.get("model"),
        level=level,
        outcome=outcome,
    )
    total = knowledge.store.count_claims(where)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    rows = knowledge.store.claims(where, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    contested = {c.first.hash for c in report.contradictions} | {
        c.second.hash for c in report.contradictions if c.second
    }
    # the network: the top strategies' outcome claims and their mechanism chains
    drawn: list[StoredClaim] = []
    for strategy in report.strategies[:_NETWORK_STRATEGIES]:
        drawn += strategy.outcome_claims
        for chain in strategy.chains:
            drawn += chain.claims
    svg, hidden = network_svg(context, drawn, f"Mechanism network for {report.disease.label}")
    filter_params = dict(chosen.items())

    def page_link(number: int) -> str:
        return "?" + urlencode({**filter_params, "page": number})

    return {
        "title": report.disease.label,
        "disease": report.disease,
        "included": [(c, labels.label(c)) for c in report.included if c != curie],
        "n_claims": len(report.claims),
        "strategies": [
            strategy_out(rank, s, labels)
            for rank, s in enumerate(report.strategies[:_STRATEGIES_SHOWN], start=1)
        ],
        "n_strategies": len(report.strategies),
        "network": svg,
        "network_hidden": hidden,
        "network_strategies": min(_NETWORK_STRATEGIES, len(report.strategies)),
        "contradictions": [contradiction_out(c, labels) for c in report.contradictions],
        "rows": [claim_out(c, labels) for c in rows],
        "contested": contested,
        "total": total,
        "page": page,
        "pages": pages,
        "prev_link": page_link(page - 1) if page > 1 else None,
        "next_link": page_link(page + 1) if page < pages else None,
        "chosen": chosen,
        "options": {
            "source": _options(context, {c.claim.context.ev_source for c in report.claims}),
            "route": _options(context, {c.claim.context.route for c in report.claims}),
            "model": _options(context, {c.claim.context.model for c in report.claims}),
            "level": sorted(
                {_level_of(c.strength) for c in report.claims},
                key=[s.value for s in StrengthLevel].index,
            ),
            "outcome": sorted({c.claim.outcome.value for c in report.claims if c.claim.outcome}),
        },
    }

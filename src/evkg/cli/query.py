"""Query commands: ``search``, ``disease``, ``cargo``, ``gene``, ``reference``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

if TYPE_CHECKING:
    from evkg.api import EntityReport, Knowledge
    from evkg.store import StoredClaim
    from evkg.store.protocol import Chain

__all__ = ["chain_text", "citation", "register"]


def citation(knowledge: Knowledge, curie: str) -> str:
    reference = knowledge.store.reference(curie)
    return reference.citation() if reference else curie


def _step(knowledge: Knowledge, stored: StoredClaim) -> str:
    from evkg.export import claim_text

    return claim_text(stored, knowledge.label)


def chain_text(knowledge: Knowledge, chain: Chain) -> str:
    """A chain as one line: 'MSC -carries-> miR-150-5p; miR-150-5p -regulates_down-> …'."""
    from evkg.export import chain_text as render

    return render(chain, knowledge.label)


def _claim_row(knowledge: Knowledge, stored: StoredClaim) -> list[Any]:
    claim = stored.claim
    return [
        knowledge.label(claim.subject),
        claim.predicate.value,
        knowledge.label(claim.object),
        claim.outcome.value if claim.outcome else "",
        knowledge.label(claim.context.disease),
        knowledge.label(claim.context.ev_source),
        stored.strength,
        [citation(knowledge, r) for r in stored.references],
    ]


_CLAIM_COLUMNS = [
    "subject", "predicate", "object", "outcome", "disease", "EV source", "strength", "references",
]  # fmt: skip


def _claim_payload(knowledge: Knowledge, stored: StoredClaim) -> dict[str, Any]:
    from evkg.export import claim_record

    record = claim_record(stored, knowledge.label)
    record["citations"] = [citation(knowledge, r) for r in stored.references]
    return record


@click.command()
@click.argument("text")
@click.option("--limit", default=15, show_default=True, help="Most results to show.")
@pass_state
@command_with_errors
def search(state: CliState, text: str, limit: int) -> None:
    """Find any entity by name or synonym (fuzzy, with suggestions)."""
    knowledge = state.knowledge()
    results = knowledge.search(text, limit=limit)
    table = Table(
        f"Search: {text}",
        ["identifier", "kind", "name", "how", "score", "claims"],
        [
            [" | ".join(m.curies), m.kind.value, m.label, m.how, round(m.score, 2), n]
            for m, n in results
        ],
    )
    if not results:
        table.notes.append(f"Nothing matches {text!r}. Try a shorter or different name.")
    emit(state, [table])


@click.command()
@click.argument("name")
@click.option("--limit", default=20, show_default=True, help="Most strategies to show.")
@pass_state
@command_with_errors
def disease(state: CliState, name: str, limit: int) -> None:
    """EV strategies for a disease, ranked by evidence, with mechanisms and citations."""
    knowledge = state.knowledge()
    report = knowledge.disease(name)
    strategies = report.strategies[:limit]
    rows, payload = [], []
    for rank, strategy in enumerate(strategies, start=1):
        key = strategy.key
        chains = [chain_text(knowledge, chain) for chain in strategy.chains]
        citations = [citation(knowledge, r) for r in strategy.references]
        rows.append(
            [
                rank,
                knowledge.label(key.agent),
                knowledge.label(key.ev_source),
                [knowledge.label(m) for m in key.modifications],
                knowledge.label(key.route),
                strategy.direction.value,
                strategy.strength,
                strategy.n_references,
                chains,
                citations,
                list(strategy.gaps),
            ]
        )
        payload.append(
            {
                "rank": rank,
                "agent": key.agent,
                "agent_label": knowledge.label(key.agent),
                "ev_source": key.ev_source,
                "modifications": list(key.modifications),
                "route": key.route,
                "direction": strategy.direction.value,
                "strength": strategy.strength,
                "score": strategy.score,
                "n_references": strategy.n_references,
                "references": list(strategy.references),
                "citations": citations,
                "mechanism_chains": [
                    {
                        "id": chain.id,
                        "text": chain_text(knowledge, chain),
                        "claims": [_claim_payload(knowledge, c) for c in chain.claims],
                    }
                    for chain in strategy.chains
                ],
                "gaps": list(strategy.gaps),
            }
        )
    title = f"EV strategies for {report.disease.label} ({report.disease.id})"
    table = Table(
        title,
        ["#", "agent", "EV source", "modifications", "route", "direction", "strength", "refs"],
        [row[:8] for row in rows],
    )
    for rank, strategy in enumerate(strategies, start=1):
        header = (
            f"\n[bold]{rank}. {knowledge.label(strategy.key.agent)}[/bold] — "
            f"{strategy.direction.value}, {strategy.strength}, "
            f"{strategy.n_references} reference(s), score {strategy.score}"
        )
        table.notes.append(header)
        for chain in strategy.chains:
            table.notes.append(f"   mechanism: {chain_text(knowledge, chain)}")
        for cited in [citation(knowledge, r) for r in strategy.references]:
            table.notes.append(f"   cites: {cited}")
        quote = strategy.outcome_claims[0].evidence[0].quote if strategy.outcome_claims else ""
        if quote:
            table.notes.append(f'   evidence: "{quote}"')
        if strategy.gaps:
            table.notes.append(f"   gaps: {'; '.join(strategy.gaps)}")
    if not rows:
        table.notes.append("No strategies recorded for this disease yet.")
    tables = [table]
    if report.contradictions:
        tables.append(
            Table(
                "Contradicting or contested evidence",
                ["claim", "against", "reason"],
                [
                    [
                        _step(knowledge, c.first),
                        _step(knowledge, c.second) if c.second else "",
                        c.reason,
                    ]
                    for c in report.contradictions
                ],
            )
        )
    emit(
        state,
        tables,
        payload={
            "disease": report.disease.model_dump(mode="json"),
            "included": list(report.included),
            "strategies": payload,
            "contradictions": [
                {
                    "claim": c.first.hash,
                    "against": c.second.hash if c.second else None,
                    "reason": c.reason,
                }
                for c in report.contradictions
            ],
        },
    )


def _entity_output(state: CliState, knowledge: Knowledge, report: EntityReport) -> None:
    entity = report.entity
    flags = f" [{', '.join(report.match.flags)}]" if report.match.flags else ""
    title = f"{entity.label} ({' | '.join(report.curies)}){flags}: {len(report.claims)} claims"
    claims = Table(title, _CLAIM_COLUMNS, [_claim_row(knowledge, c) for c in report.claims])
    if not report.claims:
        claims.notes.append("No claims mention this entity yet.")
    diseases = Table(
        "Diseases",
        ["disease", "direction", "claims"],
        [[knowledge.label(d), o, n] for d, o, n in report.diseases],
    )
    emit(
        state,
        [claims, diseases],
        payload={
            "entity": entity.model_dump(mode="json"),
            "identifiers": list(report.curies),
            "flags": list(report.match.flags),
            "claims": [_claim_payload(knowledge, c) for c in report.claims],
            "diseases": [
                {"disease": d, "direction": o, "claims": n} for d, o, n in report.diseases
            ],
        },
    )


@click.command()
@click.argument("name")
@click.option(
    "--species", default="hsa", show_default=True, help="miRBase species code for bare miRNA names."
)
@pass_state
@command_with_errors
def cargo(state: CliState, name: str, species: str) -> None:
    """Claims about a cargo (miRNA, protein, drug, siRNA…)."""
    knowledge = state.knowledge()
    _entity_output(state, knowledge, knowledge.cargo(name, species))


@click.command()
@click.argument("name")
@pass_state
@command_with_errors
def gene(state: CliState, name: str) -> None:
    """Claims about a gene (symbol, alias, rodent symbol or protein name)."""
    knowledge = state.knowledge()
    _entity_output(state, knowledge, knowledge.gene(name))


@click.command()
@click.argument("identifier")
@pass_state
@command_with_errors
def reference(state: CliState, identifier: str) -> None:
    """A reference (evkg.ref: id, review number, PMID or DOI) and the claims citing it."""
    knowledge = state.knowledge()
    ref, claims = knowledge.reference(identifier)
    header = Table(
        ref.citation(),
        ["field", "value"],
        [
            ["id", ref.id],
            ["authors", ", ".join(ref.authors) + (" et al." if ref.et_al else "")],
            ["title", ref.title],
            ["journal", f"{ref.journal} {ref.year};{ref.volume or ''}:{ref.pages or ''}"],
            ["doi", ref.doi or ""],
            ["pmid", ref.pmid or ""],
        ],
    )
    rows = Table(f"Claims citing it: {len(claims)}", _CLAIM_COLUMNS,
                 [_claim_row(knowledge, c) for c in claims])  # fmt: skip
    emit(
        state,
        [header, rows],
        payload={
            "reference": ref.model_dump(mode="json"),
            "claims": [_claim_payload(knowledge, c) for c in claims],
        },
    )


def register(group: click.Group) -> None:
    for command in (search, disease, cargo, gene, reference):
        group.add_command(command)

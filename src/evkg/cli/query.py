"""Query commands: ``search``, ``disease``, ``cargo``, ``gene``, ``reference``.

Each calls the same bounded service as the REST API (:mod:`evkg.api.diseases`,
:mod:`evkg.api.entities`) and prints its response model: ``--format json`` prints exactly
the body the REST API returns; tables and TSV are drawn from the same model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

if TYPE_CHECKING:
    from evkg.api.responses import ClaimOut, EntityReportOut, StrategyOut

__all__ = ["register"]

_CLAIM_COLUMNS = [
    "subject", "predicate", "object", "outcome", "disease", "EV source", "strength", "references",
]  # fmt: skip
#: Claim columns the terminal shows only with ``--wide``.
_CLAIM_WIDE = ("EV source", "strength")


def _claim_row(claim: ClaimOut) -> list[Any]:
    label = claim.labels.get
    citations = {e.reference: e.citation for e in claim.evidence}
    return [
        label(claim.subject, claim.subject),
        claim.predicate,
        label(claim.object, claim.object),
        claim.outcome or "",
        label(claim.disease, claim.disease) if claim.disease else "",
        label(claim.ev_source, claim.ev_source) if claim.ev_source else "",
        claim.strength,
        [citations.get(r, r) for r in claim.references],
    ]


@click.command()
@click.argument("text")
@click.option("--limit", default=15, show_default=True, help="Most results to show.")
@pass_state
@command_with_errors
def search(state: CliState, text: str, limit: int) -> None:
    """Find any entity by name or synonym (fuzzy, with suggestions)."""
    from evkg.api.entities import search_answer

    answer = search_answer(state.knowledge(), text, limit=limit)
    table = Table(
        f"Search: {text}",
        ["identifier", "kind", "name", "how", "score", "claims"],
        [[" | ".join(h.curies), h.kind, h.label, h.how, h.score, h.n_claims] for h in answer.hits],
        key="hits",
        wide=["how", "score"],
    )
    if not answer.hits:
        table.notes.append(f"Nothing matches {text!r}. Try a shorter or different name.")
    emit(state, [table], payload=answer.model_dump(mode="json"))


def _strategy_notes(rank: int, strategy: StrategyOut, chains: dict[str, str]) -> list[str]:
    studies = f"{strategy.n_studies} primary stud{'y' if strategy.n_studies == 1 else 'ies'}"
    where = "" if strategy.on_disease_itself else " (a narrower disease)"
    notes = [
        f"\n[bold]{rank}. {strategy.agent_label}[/bold] — {strategy.direction}, "
        f"{strategy.tier}, {studies}{where}"
    ]
    notes += [f"   mechanism: {chains[c]}" for c in strategy.chains if c in chains]
    notes += [f"   cites: {cited}" for cited in strategy.citations]
    notes += [f"   review statement in: {cited}" for cited in strategy.review_citations]
    notes += [f'   evidence: "{quote}"' for quote in strategy.quotes[:1]]
    if strategy.gaps:
        notes.append(f"   gaps: {'; '.join(strategy.gaps)}")
    return notes


def _strategy_row(strategy: StrategyOut) -> list[Any]:
    return [
        strategy.rank,
        strategy.agent_label,
        strategy.ev_source_label,
        strategy.modification_labels,
        strategy.route_label,
        strategy.direction,
        strategy.tier,
        strategy.n_studies,
    ]


_STRATEGY_COLUMNS = [
    "#", "agent", "EV source", "modifications", "route", "direction", "evidence", "studies",
]  # fmt: skip


@click.command()
@click.argument("name")
@click.option("--limit", default=20, show_default=True, help="Most strategies to show.")
@pass_state
@command_with_errors
def disease(state: CliState, name: str, limit: int) -> None:
    """EV strategies for a disease, ranked by evidence, with mechanisms and citations."""
    from evkg.api.diseases import disease_answer
    from evkg.api.labels import Labels

    knowledge = state.knowledge()
    answer = disease_answer(knowledge, Labels(knowledge), name, limit=limit)
    chains = {chain.id: chain.text for chain in answer.chains}
    ev = [s for s in answer.strategies if s.is_ev]
    other = [s for s in answer.strategies if not s.is_ev]
    title = f"EV strategies for {answer.disease.label} ({answer.disease.id})"
    table = Table(title, _STRATEGY_COLUMNS, [_strategy_row(s) for s in ev], key="strategies")
    for strategy in ev:
        table.notes += _strategy_notes(strategy.rank, strategy, chains)
    if not answer.strategies:
        table.notes.append("No strategies recorded for this disease yet.")
        for near in answer.nearest_evidence:
            table.notes.append(f"Nearest evidence: {near.label} ({near.disease}), {near.note}.")
    tables = [table]
    if other:
        apart = Table(
            "Non-EV products (conditioned medium), set apart from EV strategies",
            _STRATEGY_COLUMNS,
            [_strategy_row(s) for s in other],
            key="non-ev",
        )
        tables.append(apart)
    if answer.review_placements:
        listed = Table(
            "Listed by the review under this disease, curated under another",
            _CLAIM_COLUMNS,
            [_claim_row(c) for p in answer.review_placements for c in p.claims],
        )
        listed.notes += [p.label for p in answer.review_placements]
        tables.append(listed)
    if answer.contradictions:
        tables.append(
            Table(
                "Contradicting or contested evidence",
                ["claim", "against", "reason"],
                [[c.claim_text, c.against_text or "", c.reason] for c in answer.contradictions],
                key="contradictions",
            )
        )
    if not answer.ranking.complete:
        table.notes.append(answer.ranking.note)
    emit(state, tables, payload=answer.model_dump(mode="json"))


def _entity_output(state: CliState, answer: EntityReportOut) -> None:
    entity = answer.entity
    flags = f" [{', '.join(answer.flags)}]" if answer.flags else ""
    more = "+" if answer.n_claims_is_lower_bound else ""
    title = (
        f"{entity.label} ({' | '.join(answer.identifiers)}){flags}: {answer.n_claims}{more} claims"
    )
    claims = Table(
        title, _CLAIM_COLUMNS, [_claim_row(c) for c in answer.claims], key="claims",
        wide=_CLAIM_WIDE,
    )  # fmt: skip
    if not answer.claims:
        claims.notes.append("No claims mention this entity yet.")
    if answer.has_more:
        claims.notes.append(f"Showing the {len(answer.claims)} strongest; use --limit for more.")
    diseases = Table(
        "Diseases",
        ["disease", "direction", "claims"],
        [[d["label"], d["direction"], d["claims"]] for d in answer.diseases],
        key="diseases",
    )
    emit(state, [claims, diseases], payload=answer.model_dump(mode="json"))


_LIMIT = click.option("--limit", default=100, show_default=True, help="Most claims to show.")


@click.command()
@click.argument("name")
@click.option(
    "--species", default="hsa", show_default=True, help="miRBase species code for bare miRNA names."
)
@_LIMIT
@pass_state
@command_with_errors
def cargo(state: CliState, name: str, species: str, limit: int) -> None:
    """Claims about a cargo (miRNA, protein, drug, siRNA…)."""
    from evkg.api.entities import entity_answer
    from evkg.api.labels import Labels

    knowledge = state.knowledge()
    match = knowledge.cargo_match(name, species)
    _entity_output(state, entity_answer(knowledge, Labels(knowledge), match, limit=limit))


@click.command()
@click.argument("name")
@_LIMIT
@pass_state
@command_with_errors
def gene(state: CliState, name: str, limit: int) -> None:
    """Claims about a gene (symbol, alias, rodent symbol or protein name)."""
    from evkg.api.entities import entity_answer
    from evkg.api.labels import Labels

    knowledge = state.knowledge()
    match = knowledge.gene_match(name)
    _entity_output(state, entity_answer(knowledge, Labels(knowledge), match, limit=limit))


@click.command()
@click.argument("identifier")
@click.option("--limit", default=500, show_default=True, help="Most claims to show.")
@pass_state
@command_with_errors
def reference(state: CliState, identifier: str, limit: int) -> None:
    """A reference (evkg.ref: id, review number, PMID, DOI or PMCID) and the claims citing it."""
    from evkg.api.entities import reference_answer
    from evkg.api.labels import Labels

    knowledge = state.knowledge()
    answer = reference_answer(knowledge, Labels(knowledge), identifier, limit=limit)
    ref = answer.reference
    links = [f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"] if ref.pmid else []
    links += [f"https://doi.org/{ref.doi}"] if ref.doi else []
    header = Table(
        key="reference",
        title=ref.citation,
        columns=["field", "value"],
        rows=[
            ["id", ref.id],
            ["authors", ", ".join(ref.authors) + (" et al." if ref.et_al else "")],
            ["title", ref.title],
            ["journal", f"{ref.journal} {ref.year or 'n.d.'};{ref.volume or ''}:{ref.pages or ''}"],
            ["doi", ref.doi or ""],
            ["pmid", ref.pmid or ""],
            ["links", " ".join(links)],
        ],
    )
    more = "+" if answer.n_claims_is_lower_bound else ""
    rows = Table(f"Claims citing it: {answer.n_claims}{more}", _CLAIM_COLUMNS,
                 [_claim_row(c) for c in answer.claims], key="claims",
                 wide=_CLAIM_WIDE)  # fmt: skip
    emit(state, [header, rows], payload=answer.model_dump(mode="json"))


@click.command()
@click.argument("name")
@click.option("--species", help="Model species (mouse, rat, human…).")
@click.option("--route", help="Route of administration (intravenous…).")
@click.option("--source", help="EV source (bone marrow MSC, UC-MSC…).")
@click.option(
    "--design", type=click.Choice(["clinical", "in_vivo", "ex_vivo", "in_vitro"]), help="Design."
)
@click.option(
    "--outcome",
    type=click.Choice(["beneficial", "detrimental", "no_effect", "contested"]),
    help="Outcome direction.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write an HTML report (table, evidence map, gaps) here.",
)
@pass_state
@command_with_errors
def studies(
    state: CliState,
    name: str,
    species: str | None,
    route: str | None,
    source: str | None,
    design: str | None,
    outcome: str | None,
    report_path: Path | None,
) -> None:
    """The primary studies of a disease as a table (source, isolation, dose, route, model,
    species, n, outcome), with the evidence map and what no study reports."""
    from evkg.api.labels import Labels
    from evkg.api.studies import StudyQuery, studies_answer

    knowledge = state.knowledge()
    query = StudyQuery(species, route, source, design, outcome)
    answer = studies_answer(knowledge, Labels(knowledge), name, query)
    table = Table(
        f"Primary studies of {answer.disease_label}: {answer.n_studies}",
        [
            "study",
            "EV source",
            "isolation",
            "dose",
            "route",
            "model",
            "species",
            "n",
            "outcome",
            "design",
        ],
        [
            [
                r.citation,
                r.ev_source_label,
                r.isolation,
                r.dose,
                r.route,
                r.model,
                r.model_species,
                r.n_per_group or "",
                r.outcome,
                r.design,
            ]
            for r in answer.studies
        ],
        key="studies",
        wide=["isolation", "dose", "design"],
    )
    table.notes += [f"missing: {gap}" for gap in answer.missing]
    evidence_map = Table(
        "Evidence map (studies by disease × EV source × outcome)",
        ["disease", "EV source", "outcome", "studies"],
        [[c.disease, c.ev_source, c.outcome, c.studies] for c in answer.evidence_map],
        key="evidence-map",
    )
    emit(state, [table, evidence_map], payload=answer.model_dump(mode="json"))
    if report_path is not None:
        from evkg.report.cargo import write_report
        from evkg.report.studies import studies_report

        state.info(f"Report written to {write_report(studies_report(answer), report_path)}")


def register(group: click.Group) -> None:
    for command in (search, disease, studies, cargo, gene, reference):
        group.add_command(command)

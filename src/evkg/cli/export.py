"""``evkg export``: the evidence graph as TSV, JSON lines, KGX or GraphML."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evkg.cli._state import CliState, command_with_errors, pass_state

__all__ = ["register"]


@click.command()
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["tsv", "jsonl", "kgx", "graphml", "bibtex", "ris", "csljson"]),
    required=True,
    help="tsv/jsonl: one claim per row; kgx: nodes.tsv + edges.tsv (Biolink); graphml; "
    "bibtex/ris/csljson: the references the claims cite.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File (tsv, jsonl, graphml) or folder (kgx). Default: standard output for tsv/jsonl.",
)
@click.option("--disease", help="Only claims about this disease (and its sub-diseases).")
@pass_state
@command_with_errors
def export(state: CliState, export_format: str, output: Path | None, disease: str | None) -> None:
    """Export claims with their evidence."""
    from evkg.export import write_graphml, write_jsonl, write_kgx, write_tsv
    from evkg.store import ClaimFilter

    knowledge = state.knowledge()
    where = ClaimFilter()
    if disease:
        where = ClaimFilter(disease=knowledge.disease_match(disease).curie)
    claims = knowledge.store.claims(where)
    references = {r.id: r for r in knowledge.store.references_all()}
    if export_format in {"bibtex", "ris", "csljson"}:
        from evkg.export import citations

        cited = sorted({r for s in claims for r in s.references if r in references})
        write = {
            "bibtex": citations.write_bibtex,
            "ris": citations.write_ris,
            "csljson": citations.write_csljson,
        }[export_format]
        chosen = [references[r] for r in cited]
        if output is None:
            count = write(chosen, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as handle:
                count = write(chosen, handle)
        state.info(f"exported {count} cited references")
        return
    if export_format in {"tsv", "jsonl"}:
        writer = write_tsv if export_format == "tsv" else write_jsonl
        if output is None:
            count = writer(claims, sys.stdout, knowledge.label)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = writer(claims, handle, knowledge.label)
        state.info(f"exported {count} claims")
        return
    used = {c for s in claims for c in (s.claim.subject, s.claim.object)}
    entities = [e for e in knowledge.store.entities() if e.id in used]
    if export_format == "kgx":
        from evkg.export.citations import publication_curie

        publications = {r: publication_curie(ref) for r, ref in references.items()}
        nodes, edges = write_kgx(claims, entities, output or Path("evkg-kgx"), publications)
        state.info(f"wrote {nodes} and {edges}")
    else:
        path = output or Path("evkg.graphml")
        n_nodes, n_edges = write_graphml(claims, entities, path)
        state.info(f"wrote {path}: {n_nodes} nodes, {n_edges} edges")


def register(group: click.Group) -> None:
    group.add_command(export)

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
    help="File, or a folder to write a file of the default name in (evkg-claims.jsonl, "
    "evkg-claims.tsv, evkg.graphml, evkg-cited.bib…); kgx always writes a folder. "
    "Default: standard output, except kgx (./evkg-kgx) and graphml (./evkg.graphml).",
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
    if export_format == "kgx":
        folder = output or Path("evkg-kgx")
        if folder.exists() and not folder.is_dir():
            raise click.UsageError(f"{folder} is a file; KGX writes a folder (-o DIR)")
        used = {c for s in claims for c in (s.claim.subject, s.claim.object)}
        entities = [e for e in knowledge.store.entities() if e.id in used]
        files = write_kgx(claims, entities, folder, references)
        state.info(f"wrote {files.nodes}, {files.edges} and {files.prefixes}")
        return
    target = _file_target(output, export_format)
    if export_format in {"bibtex", "ris", "csljson"}:
        from evkg.export import citations

        cited = sorted({r for s in claims for r in s.references if r in references})
        write = {
            "bibtex": citations.write_bibtex,
            "ris": citations.write_ris,
            "csljson": citations.write_csljson,
        }[export_format]
        chosen = [references[r] for r in cited]
        if target is None:
            count = write(chosen, sys.stdout)
        else:
            with target.open("w", encoding="utf-8") as handle:
                count = write(chosen, handle)
        state.info(f"exported {count} cited references" + (f" to {target}" if target else ""))
        return
    if export_format in {"tsv", "jsonl"}:
        writer = write_tsv if export_format == "tsv" else write_jsonl
        if target is None:
            count = writer(claims, sys.stdout, knowledge.label)
        else:
            with target.open("w", encoding="utf-8", newline="") as handle:
                count = writer(claims, handle, knowledge.label)
        state.info(f"exported {count} claims" + (f" to {target}" if target else ""))
        return
    used = {c for s in claims for c in (s.claim.subject, s.claim.object)}
    entities = [e for e in knowledge.store.entities() if e.id in used]
    path = target or Path(_DEFAULT_NAME["graphml"])
    n_nodes, n_edges = write_graphml(claims, entities, path)
    state.info(f"wrote {path}: {n_nodes} nodes, {n_edges} edges")


_DEFAULT_NAME = {
    "tsv": "evkg-claims.tsv",
    "jsonl": "evkg-claims.jsonl",
    "graphml": "evkg.graphml",
    "bibtex": "evkg-cited.bib",
    "ris": "evkg-cited.ris",
    "csljson": "evkg-cited.json",
}


def _file_target(output: Path | None, export_format: str) -> Path | None:
    """The file a one-file export writes: ``-o`` itself, or a default name inside ``-o``
    when that is a folder (an existing one, or a path written with a trailing slash)."""
    if output is None:
        return None
    if output.is_dir() or str(output).endswith(("/", "\\")):
        output.mkdir(parents=True, exist_ok=True)
        return output / _DEFAULT_NAME[export_format]
    if not output.parent.is_dir():
        raise click.UsageError(f"cannot write {output}: folder {output.parent} does not exist")
    return output


def register(group: click.Group) -> None:
    group.add_command(export)

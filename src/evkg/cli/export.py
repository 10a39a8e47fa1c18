"""``evkg export``: the evidence graph as TSV, JSON lines, KGX or GraphML."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from evkg.cli._state import CliState, command_with_errors, pass_state

if TYPE_CHECKING:
    from evkg.api import Knowledge
    from evkg.store import ClaimFilter, SqlStore

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
    """Export claims with their evidence.

    Claims are read and written a thousand at a time (labels and references looked up per
    batch), so memory stays flat whatever the store's size; a progress bar shows on a
    terminal (``--no-progress`` hides it)."""
    from evkg.store import ClaimFilter

    knowledge = state.knowledge()
    where = ClaimFilter()
    if disease:
        where = ClaimFilter(disease=knowledge.disease_match(disease).curie)
    if export_format == "kgx":
        folder = output or Path("evkg-kgx")
        if folder.exists() and not folder.is_dir():
            raise click.UsageError(f"{folder} is a file; KGX writes a folder (-o DIR)")
    target = None if export_format == "kgx" else _file_target(output, export_format)
    if export_format in {"bibtex", "ris", "csljson"}:
        _export_citations(state, knowledge.store, where, export_format, target)
        return
    with _progress(state, knowledge.store, where) as advance:
        _export_claims(state, knowledge, where, export_format, output, target, advance)


def _export_claims(
    state: CliState,
    knowledge: Knowledge,
    where: ClaimFilter,
    export_format: str,
    output: Path | None,
    target: Path | None,
    advance: Callable[[int], None],
) -> None:
    from evkg.export import ClaimStream, GraphNode, write_graphml, write_jsonl, write_kgx, write_tsv

    store = knowledge.store
    fallback_label = knowledge.vocabulary.lexicon.label
    if export_format == "jsonl":  # the evidence in full: whole stored claims
        claims = ClaimStream(
            store.claim_batches(where), store.labels_of, fallback_label, on_batch=advance
        )
        count = _write_text(write_jsonl, claims, claims.label, target)
        state.info(f"exported {count} claims" + (f" to {target}" if target else ""))
        return
    # the other formats write a few columns of each claim: read as rows, no models built
    stream = ClaimStream(
        store.claim_row_batches(where),
        store.labels_of if export_format == "tsv" else None,  # KGX and GraphML edges: none
        fallback_label,
        references_of=store.publication_ids_of if export_format == "kgx" else None,
        on_batch=advance,
    )
    if export_format == "kgx":
        entities = (end.entity for end in store.claim_ends(where) if end.entity is not None)
        files = write_kgx(stream, entities, output or Path("evkg-kgx"), stream.reference)
        state.info(f"wrote {files.nodes}, {files.edges} and {files.prefixes}")
        return
    if export_format == "tsv":
        count = _write_text(write_tsv, stream, stream.label, target)
        state.info(f"exported {count} claims" + (f" to {target}" if target else ""))
        return
    nodes = (
        end.entity or GraphNode(end.curie, end.curie, "unknown") for end in store.claim_ends(where)
    )
    path = target or Path(_DEFAULT_NAME["graphml"])
    n_nodes, n_edges = write_graphml(stream, nodes, path)
    state.info(f"wrote {path}: {n_nodes} nodes, {n_edges} edges")


def _write_text(
    writer: Callable[[Any, TextIO, Callable[[str], str]], int],
    claims: Iterable[Any],
    label: Callable[[str], str],
    target: Path | None,
) -> int:
    """``writer`` to standard output, or to ``target``."""
    if target is None:
        return writer(claims, sys.stdout, label)
    with target.open("w", encoding="utf-8", newline="") as handle:
        return writer(claims, handle, label)


def _export_citations(
    state: CliState, store: SqlStore, where: ClaimFilter, export_format: str, target: Path | None
) -> None:
    from evkg.export import citations

    write = {
        "bibtex": citations.write_bibtex,
        "ris": citations.write_ris,
        "csljson": citations.write_csljson,
    }[export_format]
    cited = store.cited_references(where)
    if target is None:
        count = write(cited, sys.stdout)
    else:
        with target.open("w", encoding="utf-8") as handle:
            count = write(cited, handle)
    state.info(f"exported {count} cited references" + (f" to {target}" if target else ""))


@contextmanager
def _progress(
    state: CliState, store: SqlStore, where: ClaimFilter
) -> Iterator[Callable[[int], None]]:
    """A rich progress bar of claims written, on standard error when it is a terminal."""
    from rich.console import Console

    console = Console(stderr=True)
    if not state.progress or state.verbosity < 0 or not console.is_terminal:
        yield lambda _n: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    total = store.count_claims(where)
    with Progress(
        "exporting claims", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("export", total=total)
        yield lambda n: progress.advance(task, n)


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

"""Literature mining commands: ``mine``, ``review``, ``eval extract``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

if TYPE_CHECKING:
    from evkg.api.mining import MiningSummary
    from evkg.sources.text import TextMetadata

__all__ = ["register"]


def _summary_table(summary: MiningSummary) -> Table:
    rows: list[Sequence[Any]] = [
        ["files", summary.files],
        ["files already mined (skipped)", summary.files_skipped],
        ["documents", summary.documents],
        ["documents in finished batches (skipped)", summary.documents_skipped],
        ["documents counted unparsed (cannot be about EVs or cargo)", summary.documents_unparsed],
        ["documents about EVs or cargo", summary.relevant_documents],
        ["sentences in those documents", summary.sentences],
        ["claims extracted", summary.claims_extracted],
        ["claims new", summary.claims_new],
        ["claims merged with stored ones", summary.claims_merged],
        ["evidence new", summary.evidence_new],
        ["errors (records skipped)", len(summary.errors)],
        ["files that could not be read", len(summary.files_failed)],
        ["files read only in part (damaged)", len(summary.files_partial)],
    ]
    table = Table("Mining summary", ["what", "count"], rows)
    table.notes += [f"[red]failed[/red] {f}" for f in summary.files_failed[:20]]
    table.notes += [f"[yellow]read in part[/yellow] {f}" for f in summary.files_partial[:20]]
    table.notes += [f"[yellow]skipped[/yellow] {e}" for e in summary.errors[:20]]
    if len(summary.errors) > 20:
        table.notes.append(f"… and {len(summary.errors) - 20} more (run with -v to log all)")
    return table


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--workers", type=click.IntRange(min=1), help="Local worker processes [default: cores]."
)
@click.option(
    "--scheduler", help="Dask scheduler address (tcp://host:port) instead of local workers."
)
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(min=1),
    help="Documents per batch (one transaction each).",
)
@click.option("--pubmed-query", help="Fetch the abstracts of this PubMed query (needs a network).")
@click.option(
    "--max-results",
    default=1000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most PubMed records to fetch for --pubmed-query.",
)
@click.option(
    "--parse-every-record",
    is_flag=True,
    help="Parse every PubMed record, reporting broken markup even in records that cannot "
    "be about EVs or cargo (by default a byte screen counts those unparsed; about 2x slower).",
)
@click.option("--pmid", help="PubMed id of the one plain-text file mined.")
@click.option("--doi", help="DOI of the one plain-text file mined.")
@click.option("--title", help="Title of the one plain-text file mined.")
@pass_state
@command_with_errors
def mine(
    state: CliState,
    paths: tuple[Path, ...],
    workers: int | None,
    scheduler: str | None,
    batch_size: int,
    pubmed_query: str | None,
    max_results: int,
    parse_every_record: bool,
    pmid: str | None,
    doi: str | None,
    title: str | None,
) -> None:
    """Mine PubMed/MEDLINE XML, BioC, JATS (PMC full text), PubTator or text files (or a
    PubMed query) for EV and cargo claims, and load them into the store as extracted
    evidence awaiting review. Tables (in BioC, JATS or text) are read row by row.

    Re-running adds nothing; an interrupted run resumes where it stopped. A file that
    cannot be read is named with the reason and the others are mined. Exit status: 0 when
    every file was read (records skipped inside a file are listed), 3 when some files could
    not be read or only in part, 1 when nothing could be read.

    A plain-text file takes its PMID, DOI, title, authors, year and journal from a sidecar
    ``<file>.meta.json`` beside it (a JSON object with those keys), or, for one file, from
    --pmid, --doi and --title (which take precedence over its sidecar)."""
    from evkg.api.mining import MiningError, WorkerConfig
    from evkg.api.mining import mine as run_mine
    from evkg.store import SqlStore

    if not paths and not pubmed_query:
        raise click.UsageError("give files or folders to mine, or --pubmed-query")
    text_metadata = _text_metadata(paths, pmid, doi, title, pubmed_query)
    settings = state.settings()
    store = SqlStore(settings.database_url, origin=settings.origin("database_url"))
    config = WorkerConfig(
        str(settings.data_dir) if settings.data_dir else None,
        str(settings.cache_dir),
        parse_every_record=parse_every_record,
        text_metadata=text_metadata,
    )
    progress = _progress(state)
    try:
        with progress:
            task = progress.add_task("mining", total=None)

            def update(summary: MiningSummary) -> None:
                progress.update(
                    task,
                    completed=summary.documents,
                    description=f"mining: {summary.documents} documents, "
                    f"{summary.claims_new} new claims",
                )

            if pubmed_query:
                from evkg.api.mining import mine_documents
                from evkg.sources.eutils import EutilsClient, EutilsError

                client = EutilsClient()
                try:
                    sources = client.query_sources(pubmed_query, max_results=max_results)
                    summary = mine_documents(
                        sources,
                        store=store,
                        config=config,
                        workers=workers,
                        scheduler=scheduler,
                        batch_size=batch_size,
                        on_progress=update,
                    )
                except EutilsError as error:
                    raise click.ClickException(str(error)) from error
            if paths:
                summary = run_mine(
                    list(paths),
                    store=store,
                    config=config,
                    workers=workers,
                    scheduler=scheduler,
                    batch_size=batch_size,
                    on_progress=update,
                )
    except MiningError as error:
        raise click.ClickException(str(error)) from error
    emit(state, [_summary_table(summary)], payload=summary.as_dict())
    _exit_for(summary, "no record matched the query" if pubmed_query and not paths else None)


def _text_metadata(
    paths: tuple[Path, ...],
    pmid: str | None,
    doi: str | None,
    title: str | None,
    pubmed_query: str | None,
) -> TextMetadata | None:
    """The metadata options of ``mine``, checked: they describe exactly one file."""
    from evkg.sources.text import TextMetadata

    if pmid is None and doi is None and title is None:
        return None
    if len(paths) != 1 or not paths[0].is_file() or pubmed_query:
        raise click.UsageError(
            "--pmid, --doi and --title describe one plain-text file: give exactly one file "
            "(for many, put a <file>.meta.json sidecar beside each)"
        )
    try:
        return TextMetadata.checked(pmid=pmid, doi=doi, title=title, where="the options")
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


#: Exit status of ``mine`` when some files failed but others were read.
EXIT_SOME_FILES_FAILED = 3


def _exit_for(summary: MiningSummary, empty: str | None = None) -> None:
    """Exit non-zero when files failed: 1 when nothing could be read, else 3. ``empty``: why
    there may be nothing to mine (default: no file of a known type was found)."""
    if summary.files == 0:
        raise click.ClickException(
            f"nothing to mine: {empty or 'no PubMed/BioC/PubTator/text file found'}"
        )
    if summary.nothing_read:
        raise click.ClickException(
            f"no file could be read ({len(summary.files_failed)} failed; reasons above)"
        )
    if summary.files_failed or summary.files_partial:
        click.secho(
            f"evkg: {len(summary.files_failed)} file(s) could not be read and "
            f"{len(summary.files_partial)} only in part; the others were mined",
            fg="yellow",
            err=True,
        )
        raise SystemExit(EXIT_SOME_FILES_FAILED)


def _progress(state: CliState) -> Any:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        disable=not state.progress or state.verbosity < 0,
        transient=True,
    )


@click.group()
def review() -> None:
    """List, accept or reject extracted evidence."""


@review.command("list")
@click.option(
    "--status",
    type=click.Choice(["pending", "accepted", "rejected"]),
    default="pending",
    show_default=True,
)
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@pass_state
@command_with_errors
def review_list(state: CliState, status: str, limit: int, offset: int) -> None:
    """Extracted evidence with a review status, with the sentence it rests on."""
    from evkg.api.mining import review_evidence

    knowledge = state.knowledge(load_curated=False)
    rows = review_evidence(knowledge.store, status, limit=limit, offset=offset)
    table = Table(
        f"Extracted evidence ({status})",
        [
            "evidence",
            "subject",
            "predicate",
            "object",
            "reference",
            "level",
            "confidence",
            "sentence",
        ],
        key="evidence",
        wide=["reference", "level", "confidence"],
    )
    for evidence_hash, claim, evidence, _status in rows:
        table.rows.append(
            [
                evidence_hash[:12],
                knowledge.label(claim.subject) if claim else "?",
                claim.predicate.value if claim else "?",
                knowledge.label(claim.object) if claim else "?",
                evidence.reference,
                evidence.level.value,
                evidence.confidence,
                evidence.quote,
            ]
        )
    if not rows:
        table.notes.append(f"No {status} extracted evidence.")
    payload = [
        {
            "evidence": h,
            "claim": c.model_dump(mode="json") if c else None,
            "evidence_record": e.model_dump(mode="json"),
            "status": s,
        }
        for h, c, e, s in rows
    ]
    emit(state, [table], payload=payload)


def _set(state: CliState, hashes: tuple[str, ...], status: str) -> None:
    from evkg.api.mining import set_review

    knowledge = state.knowledge(load_curated=False)
    try:
        missing = set_review(knowledge.store, hashes, status)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    done = len(hashes) - len(missing)
    state.info(f"{status} {done} piece(s) of evidence")
    if missing:
        raise click.ClickException(
            "no single extracted evidence matches: "
            + ", ".join(missing)
            + " (use the hash shown by `evkg review list`, at least 8 characters)"
        )


@review.command("accept")
@click.argument("hashes", nargs=-1, required=True)
@pass_state
@command_with_errors
def review_accept(state: CliState, hashes: tuple[str, ...]) -> None:
    """Accept extracted evidence (by hash or unique hash prefix)."""
    _set(state, hashes, "accepted")


@review.command("reject")
@click.argument("hashes", nargs=-1, required=True)
@pass_state
@command_with_errors
def review_reject(state: CliState, hashes: tuple[str, ...]) -> None:
    """Reject extracted evidence; a claim left without evidence drops out of answers."""
    _set(state, hashes, "rejected")


@click.group("eval")
def eval_group() -> None:
    """Evaluate evkg components against annotated data."""


@eval_group.command("extract")
@click.option(
    "--corpus-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder with scai_mirna_bagewadi2014/ [default: <data dir>/corpora].",
)
@click.option(
    "--review-text",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Text of the founding review [default: ../shared/seed/ next to the data dir].",
)
@click.option(
    "--scai-test",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also score a held-out SCAI-format XML file (e.g. the test half), with the "
    "relation classifier trained on the training half only.",
)
@click.option(
    "--direction-set",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Score outcome direction on this test set (TSV: pattern, agent, disease, expected, "
    "sentence) [default: the set evkg ships].",
)
@click.option(
    "--context-set",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Score the EV source, modifications and donor state of claims on this test set "
    "(TSV: pattern, source, modifications, donor, sentence) [default: the set evkg ships].",
)
@click.option(
    "--direction-only",
    is_flag=True,
    help="Score only the sentence test sets, outcome direction and EV context (needs no "
    "corpus or review text).",
)
@click.option(
    "--texts",
    type=click.Path(path_type=Path, file_okay=False),
    help="Score only these MSC-EV texts (a folder of abstracts or full texts named by "
    "PMID, e.g. 31234567.txt) against the curated studies of the same papers.",
)
@click.option(
    "--errors",
    "show_errors",
    default=0,
    show_default=True,
    help="Print this many errors per score (error analysis).",
)
@pass_state
@command_with_errors
def eval_extract(
    state: CliState,
    corpus_dir: Path | None,
    review_text: Path | None,
    scai_test: Path | None,
    direction_set: Path | None,
    context_set: Path | None,
    direction_only: bool,
    texts: Path | None,
    show_errors: int,
) -> None:
    """Precision, recall and F1 of the extractor on the SCAI miRNA corpus (training half)
    and on the founding review's text against its curated knowledge, and the direction of
    outcome claims on a test set of sentences (recall there is the direction accuracy), and
    the EV source, modifications and donor state the claims carry on another."""
    from evkg.api.extraction_eval import evaluate_extractor
    from evkg.api.mining import MiningError

    settings = state.settings()
    try:
        report = evaluate_extractor(
            data_dir=settings.data_dir,
            cache_dir=settings.cache_dir,
            corpus_dir=corpus_dir,
            review_text=review_text,
            scai_test=scai_test,
            direction_set=direction_set,
            direction_only=direction_only,
            context_set=context_set,
            texts=texts,
        )
    except MiningError as error:  # a missing corpus, review or set: a message, no traceback
        raise click.ClickException(str(error)) from error
    tables = []
    for title, scores in report.items():
        table = Table(title, ["score", "gold", "tp", "fp", "fn", "precision", "recall", "F1"])
        for score in scores:
            table.rows.append(score.row())
            table.notes += [f"  {score.name}: {e}" for e in score.errors[:show_errors]]
        tables.append(table)
    payload = {
        title: [
            dict(
                zip(
                    ["score", "gold", "tp", "fp", "fn", "precision", "recall", "f1"],
                    s.row(),
                    strict=True,
                )
            )
            for s in scores
        ]
        for title, scores in report.items()
    }
    emit(state, tables, payload=payload)


def register(group: click.Group) -> None:
    """Add this module's commands to the ``evkg`` group."""
    group.add_command(mine)
    group.add_command(review)
    group.add_command(eval_group)

"""``evkg db``: create, load and describe the store."""

from __future__ import annotations

from pathlib import Path

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

__all__ = ["register"]


@click.group()
def db() -> None:
    """Create, load and describe the store."""


@db.command("init")
@pass_state
@command_with_errors
def db_init(state: CliState) -> None:
    """Create the schema (or migrate it to the current version)."""
    from evkg.store import SqlStore, redact_url

    settings = state.settings()
    store = SqlStore(settings.database_url, origin=settings.origin("database_url"))
    store.initialise()
    state.info(f"store ready: {redact_url(settings.database_url)}")


@db.command("load")
@click.option("--force", is_flag=True, help="Load even if this version was loaded before.")
@click.option(
    "--source-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Load curated sources from this folder (one sub-folder per source, each with a "
    "references.yaml) instead of those shipped with evkg.",
)
@pass_state
@command_with_errors
def db_load(state: CliState, force: bool, source_dir: Path | None) -> None:
    """Load curated knowledge (idempotent: a re-run adds nothing). Every file is validated
    before anything is written; a malformed record stops the load with its file and line."""
    from evkg.api import build_curated_bundle
    from evkg.store import SqlStore

    settings = state.settings()
    bundle = build_curated_bundle(root=source_dir)
    store = SqlStore(settings.database_url, origin=settings.origin("database_url"))
    store.initialise()
    if force:
        bundle.fingerprint = bundle.fingerprint + "-forced"
    report = store.load(bundle)
    if report.skipped:
        state.info("curated knowledge already loaded (unchanged); nothing to do")
    table = Table(
        "Load",
        ["dataset", "new claims", "new evidence", "new entities", "new references", "skipped"],
        [[report.dataset, report.new_claims, report.new_evidence, report.new_entities,
          report.new_references, report.skipped]],
    )  # fmt: skip
    emit(state, [table])


@db.command("stats")
@pass_state
@command_with_errors
def db_stats(state: CliState) -> None:
    """Counts of claims, evidence, references and entities."""
    knowledge = state.knowledge()
    counts = knowledge.store.counts()
    tables = [
        Table(title, ["key", "count"], [[k, v] for k, v in values.items()])
        for title, values in counts.items()
    ]
    emit(state, tables, payload=counts)


def register(group: click.Group) -> None:
    group.add_command(db)

"""``evkg db``: create, load and describe the store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    """Create the schema (or migrate it to the current version). A damaged SQLite file is
    refused (``PRAGMA quick_check``), with what to do about it."""
    from evkg.store import SqlStore, redact_url

    settings = state.settings()
    store = SqlStore(settings.database_url, origin=settings.origin("database_url"))
    store.initialise(check=True)
    state.info(f"store ready: {redact_url(settings.database_url)}")


@db.command("check")
@click.option(
    "--repair", is_flag=True, help="Rewrite claim counts that differ from their evidence."
)
@pass_state
@command_with_errors
def db_check(state: CliState, repair: bool) -> None:
    """Check the store: the SQLite file for damage (PRAGMA quick_check), the schema version,
    and every claim's derived counts (evidence, studies, strength, confidence, latest year)
    against its evidence. Exit status 1 when something is wrong (and not repaired)."""
    from evkg.store import SqlStore, StoreError, SupportCheck

    settings = state.settings()
    store = SqlStore(settings.database_url, origin=settings.origin("database_url"))
    try:
        damage = store.check_integrity()
    except StoreError as error:  # too damaged to be checked page by page
        damage = [str(error)]
    schema = "damaged" if damage else ("current" if store.is_current() else "not current")
    support = SupportCheck()
    if schema == "current":
        support = store.check_support(repair=repair)
    unrepaired = support.mismatched - support.repaired
    rows: list[Sequence[Any]] = [
        ["file integrity (SQLite PRAGMA quick_check)", "ok" if not damage else len(damage)],
        ["schema", schema],
        ["claims checked", support.claims],
        ["claims whose counts differ from their evidence", support.mismatched],
        ["claims repaired", support.repaired],
    ]
    table = Table("Store check", ["check", "result"], rows)
    table.notes += [f"[red]damage[/red] {problem}" for problem in damage[:20]]
    if schema == "not current":
        table.notes.append("[yellow]run `evkg db init` to migrate the schema[/yellow]")
    table.notes += [
        f"claim {h[:12]} {column}: stored {stored!r}, from its evidence {computed!r}"
        for h, column, stored, computed in support.examples[:20]
    ]
    if unrepaired:
        table.notes.append("[yellow]`evkg db check --repair` rewrites them[/yellow]")
    payload = {
        "integrity": damage,
        "schema": schema,
        "claims": support.claims,
        "mismatched": support.mismatched,
        "repaired": support.repaired,
        "examples": [
            {"claim": h, "column": c, "stored": s, "computed": v} for h, c, s, v in support.examples
        ],
    }
    emit(state, [table], payload=payload)
    if damage or schema != "current" or unrepaired:
        raise SystemExit(1)


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
    store.initialise(check=True)
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
